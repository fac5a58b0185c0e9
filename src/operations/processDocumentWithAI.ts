import { forkJoin, map, switchMap, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { DocumentDetail } from '../clients/content';
import type { Definition, WorkflowInstance } from '../clients/workflow';
import type { NotificationReceipt } from './notifications';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';

/** The document, the AI workflow definition, and the users to tell (identity user ids, UUID-shaped). */
export const ProcessDocumentInputSchema = z.object({
  documentId: z.guid(),
  workflowId: z.guid(),
  notifyUsers: z._default(z.array(z.guid()).check(z.maxLength(1_000)), []),
});

/** What `processDocumentWithAI` gives back. */
export interface ProcessDocumentResult {
  document: DocumentDetail;
  workflow: Definition;
  execution: WorkflowInstance;
  notifications: NotificationReceipt[];
}

/** The title a document goes by in messages: its metadata title, else its file name. */
export function documentTitle(document: DocumentDetail): string {
  return document.metadata.title ?? document.filename;
}

/**
 * ∥ get the document ∥ get the definition (both critical; the definition must be active) → start
 * it on the document (critical) → notify each user (best-effort).
 */
export function processDocumentWithAI$(
  run: OperationRun,
  input: z.output<typeof ProcessDocumentInputSchema>,
): Observable<ProcessDocumentResult> {
  const { content, workflow } = run.clients;
  return forkJoin({
    document: run.critical('get document', 'content', content.getDocument$(input.documentId)),
    workflow: run.critical('get workflow definition', 'workflow', workflow.getDefinition$(input.workflowId)),
  }).pipe(
    switchMap(({ document, workflow: definition }) => {
      if (!definition.is_active) run.refuse('get workflow definition', 'workflow', `definition "${definition.name}" is not active`);
      const start$ = workflow.startWorkflow$({
        definition_id: definition.id,
        entity_id: document.id,
        context: { document_id: document.id, document_title: documentTitle(document), document_type: document.content_type },
      });
      return run
        .critical('start workflow', 'workflow', start$)
        .pipe(
          switchMap((execution) =>
            run
              .notifyUsers$(
                input.notifyUsers,
                'AI processing started',
                `"${documentTitle(document)}" is being processed by ${definition.name}.`,
              )
              .pipe(map((notifications) => ({ document, workflow: definition, execution, notifications }))),
          ),
        );
    }),
  );
}

/** `processDocumentWithAI(documentId, workflowId, notifyUsers = [])`. */
export const processDocumentWithAI = defineOperation({
  name: 'processDocumentWithAI',
  input: ProcessDocumentInputSchema,
  args: (documentId: string, workflowId: string, notifyUsers?: string[]) => ({ documentId, workflowId, notifyUsers }),
  steps: processDocumentWithAI$,
});
