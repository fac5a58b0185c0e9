import { OrchestratorError, type OrchestratorErrorCode } from '../errors';
import type { OperationResult } from './runner';

/**
 * The data of an operation's result, or a rejection with an {@link OrchestratorError} (its `code`
 * and `details` kept): for libraries such as TanStack Query or SWR, which need a promise that
 * rejects on failure. The promise forms never reject; this is the one place that turns them.
 *
 * @example
 * useQuery({ queryKey: ['search', q], queryFn: ({ signal }) => unwrap(orchestrator.searchAndTriggerWorkflows(q, false, [], { signal })) });
 */
export async function unwrap<T>(result: OperationResult<T> | Promise<OperationResult<T>>): Promise<T> {
  const settled = await result;
  if (settled.success) return settled.data;
  const code = typeof settled.details.code === 'string' ? (settled.details.code as OrchestratorErrorCode) : 'step_failed';
  throw new OrchestratorError(settled.error, code, settled.details);
}
