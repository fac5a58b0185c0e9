/**
 * React bindings of the orchestrator, imported as `@reactdjango-hub/orchestrator/react` (React 18
 * or later, an optional peer dependency): a provider, the seed's `useOrchestrator`, `useOperation`
 * with a state per call, and the streams as hooks, all on `useSyncExternalStore`.
 */

// The orchestrator the hooks use
export { OrchestratorProvider, useOrchestratorInstance, type OrchestratorProviderProps } from './context';

// Operations
export { useOrchestrator, type UseOrchestrator } from './useOrchestrator';
export { useOperation, type OperationState, type UseOperation } from './useOperation';
export { unwrap } from '../index';

// Streams
export { useEvents, useHealth, useMetrics, type EventFilter, type UseEventsOptions } from './streams';
