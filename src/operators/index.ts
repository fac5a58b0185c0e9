// The three custom operators, exported by name for the orchestrator and for users' own pipelines.

// Retries with exponential backoff, jitter and Retry-After
export { computeBackoff, defaultShouldRetry, retryWithDelay } from './retryWithDelay';
export type { BackoffConfig, RetryInfo, RetryWithDelayConfig } from './retryWithDelay';

// Per-attempt timeout of a service call
export { timeoutAfter } from './timeoutAfter';
export type { TimeoutInfo } from './timeoutAfter';

// Grouping items into batches by size and time window
export { batchBuffer } from './batchBuffer';
export type { BatchBufferConfig, BatchCloseReason } from './batchBuffer';
