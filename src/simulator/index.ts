/**
 * An in-memory ReactDjango Hub over real HTTP, for tests, demos and benchmarks (Node only).
 * Imported as `@reactdjango-hub/orchestrator/simulator`.
 */

// Starting a hub
export { startHub } from './hub';

// Its control endpoint, for a dashboard or a test
export {
  CONTROL_BODY_LIMIT,
  CONTROL_MAX_FAILURES,
  CONTROL_MAX_LATENCY_MS,
  ControlActionSchema,
  createControlHandler,
  type ControlAction,
  type ControlHandler,
  type ControlOptions,
  type ControlRequest,
  type ControlResponse,
} from './control';

// The modes it plays
export { HUB_MODES } from './types';

// The seeded demo data
export { SEED } from './seed';

// Types
export type {
  FaultHandle,
  FaultInjection,
  FaultStep,
  FaultSummary,
  HealthStatus,
  Hub,
  HubMode,
  HubOptions,
  HubRequest,
  HubSnapshot,
  ServiceSnapshot,
} from './types';
