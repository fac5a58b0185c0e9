// Many callers, one request: gathers items into batches and hands each caller its own result.
export { createBatcher } from './createBatcher';
export type { Batcher, BatcherConfig, BatchFlushReason } from './createBatcher';
