import { map, of, switchMap, type Observable } from 'rxjs';
import * as z from 'zod';
import type { SearchResponse, SearchResult } from '../clients/content';
import type { WorkflowInstance } from '../clients/workflow';
import { INPUT_LIMITS } from '../hub';
import type { NotificationReceipt } from './notifications';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';
import { startTriggeredWorkflows$ } from './startTriggeredWorkflows';

/** How many of the best results count as relevant. */
export const RELEVANT_DOCUMENTS = 5;

/** The search text, whether to trigger workflows, and the users to tell (identity user ids, UUID-shaped). */
export const SearchAndTriggerInputSchema = z.object({
  query: z.string().max(INPUT_LIMITS.query, { abort: true }).trim().min(1),
  triggerWorkflows: z.boolean().default(true),
  notifyUsers: z.array(z.guid()).max(1_000).default([]),
});

/** What `searchAndTriggerWorkflows` gives back. */
export interface SearchAndTriggerResult {
  searchResults: Pick<SearchResponse, 'query' | 'total' | 'documents'>;
  relevantDocuments: SearchResult[];
  workflowsTriggered: WorkflowInstance[];
  notificationsSent: NotificationReceipt[];
}

/**
 * search (critical) → the top five are relevant → when asked and any were found, start every
 * active definition triggered by `search_results` (best-effort each) → tell each user (best-effort).
 */
export function searchAndTriggerWorkflows$(
  run: OperationRun,
  input: z.output<typeof SearchAndTriggerInputSchema>,
): Observable<SearchAndTriggerResult> {
  const { content } = run.clients;
  return run.critical('search', 'content', content.search$({ q: input.query })).pipe(
    switchMap((results) => {
      const relevantDocuments = results.documents.slice(0, RELEVANT_DOCUMENTS);
      const [top] = relevantDocuments;
      const triggered$ =
        input.triggerWorkflows && top
          ? startTriggeredWorkflows$(run, 'search_results', () => ({
              entity_id: top.id,
              context: { query: input.query, total: results.total, document_ids: relevantDocuments.map((document) => document.id) },
            }))
          : of<WorkflowInstance[]>([]);
      return triggered$.pipe(
        switchMap((workflowsTriggered) =>
          run
            .notifyUsers$(
              input.notifyUsers,
              `Search results for "${input.query}"`,
              `"${input.query}" found ${results.total} documents (${relevantDocuments.length} relevant); ${workflowsTriggered.length} workflows started.`,
            )
            .pipe(
              map((notificationsSent) => ({
                searchResults: { query: results.query, total: results.total, documents: results.documents },
                relevantDocuments,
                workflowsTriggered,
                notificationsSent,
              })),
            ),
        ),
      );
    }),
  );
}

/** `searchAndTriggerWorkflows(query, triggerWorkflows = true, notifyUsers = [])`. */
export const searchAndTriggerWorkflows = defineOperation({
  name: 'searchAndTriggerWorkflows',
  input: SearchAndTriggerInputSchema,
  args: (query: string, triggerWorkflows?: boolean, notifyUsers?: string[]) => ({ query, triggerWorkflows, notifyUsers }),
  steps: searchAndTriggerWorkflows$,
});
