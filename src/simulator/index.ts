/**
 * An in-memory ReactDjango Hub over real HTTP, for tests, demos and benchmarks (Node only).
 * Imported as `@reactdjango-hub/orchestrator/simulator`.
 */

// Starting a hub
export { startHub } from './hub';

// The modes it plays
export { HUB_MODES } from './types';

// The seeded demo data
export { SEED } from './seed';

// Types
export type { FaultHandle, FaultInjection, FaultStep, HealthStatus, Hub, HubMode, HubOptions, HubRequest } from './types';
