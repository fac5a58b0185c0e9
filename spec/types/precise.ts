// Type tests of the result types beyond the seed's examples: each `@ts-expect-error` line must be an
// error (tsc fails when it is not), each other line must compile.
import {
  createServiceOrchestrator,
  type OperationResult,
  type ProcessDocumentResult,
  type WorkflowInstance,
} from '@reactdjango-hub/orchestrator';
import type { OperationResult as SeedOperationResult } from './seed/errorHandling';

const orchestrator = createServiceOrchestrator();

export async function precise(): Promise<void> {
  const result = await orchestrator.processDocumentWithAI('document-id', 'workflow-id', []);
  // The seed's own declaration of the result accepts the library's.
  const asTheSeedDeclaresIt: SeedOperationResult<ProcessDocumentResult> = result;
  void asTheSeedDeclaresIt;
  if (result.success) {
    const { execution, document } = result.data;
    // `execution.id` is the started instance's id, a string.
    const id: string = execution.id;
    const same: string = execution.workflow_id;
    const progress: number = execution.progress_percentage;
    void [id, same, progress, document.filename];
    // @ts-expect-error a misspelt field of the response is a compile error
    void execution.totallyMadeUp;
    // @ts-expect-error so is one of a nested record
    void document.metadata.titel;
  } else {
    const why: string = result.error;
    void why;
    // @ts-expect-error a failure has no data to read
    void result.data.execution;
  }
  // @ts-expect-error before `success` is checked, data may be missing
  void result.data.execution;
}

/** A result of a known operation narrows on `success` alone. */
export function dataOf<T>(result: OperationResult<T>): T | null {
  return result.success ? result.data : null;
}

/** The instance type has no index signature: only its fields are there. */
export type NoIndexSignature = string extends keyof WorkflowInstance ? never : true;
export const noIndexSignature: NoIndexSignature = true;
