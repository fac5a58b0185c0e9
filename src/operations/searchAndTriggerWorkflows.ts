import { ignoreElements, map, merge, of, switchMap, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { SearchResponse, SearchResult } from '../clients/content';
import type { WorkflowInstance } from '../clients/workflow';
import { INPUT_LIMITS } from '../hub';
import type { NotificationReceipt } from './notifications';
import type { OperationRun } from './operationRun';
import { defineOperation } from './runner';
import { listTriggeredDefinitions$, startTriggeredWorkflows$ } from './startTriggeredWorkflows';

/** How many of the best results count as relevant. */
export const RELEVANT_DOCUMENTS = 5;

/** The search text, whether to trigger workflows, and the users to tell (identity user ids, UUID-shaped). */
export const SearchAndTriggerInputSchema = z.object({
  query: z.string().check(z.maxLength(INPUT_LIMITS.query, { abort: true }), z.trim(), z.minLength(1)),
  triggerWorkflows: z._default(z.boolean(), true),
  notifyUsers: z._default(z.array(z.guid()).check(z.maxLength(1_000)), []),
});

/** What `searchAndTriggerWorkflows` gives back. */
export interface SearchAndTriggerResult {
  searchResults: Pick<SearchResponse, 'query' | 'total' | 'documents'>;
  relevantDocuments: SearchResult[];
  workflowsTriggered: WorkflowInstance[];
  notificationsSent: NotificationReceipt[];
}

/**
 * search (critical) ∥ list the definitions triggered by `search_results` (when asked to trigger:
 * the list does not depend on the search) → the top five are relevant → when any were found, start
 * every active one of those definitions (best-effort each) → tell each user (best-effort). Three
 * hops, not four; an empty search costs one list request it did not need.
 */
export function searchAndTriggerWorkflows$(
  run: OperationRun,
  input: z.output<typeof SearchAndTriggerInputSchema>,
): Observable<SearchAndTriggerResult> {
  const { content } = run.clients;
  const listed$ = input.triggerWorkflows ? listTriggeredDefinitions$(run, 'search_results') : null;
  const result$ = run.critical('search', 'content', content.search$({ q: input.query })).pipe(
    switchMap((results) => {
      const relevantDocuments = results.documents.slice(0, RELEVANT_DOCUMENTS);
      const [top] = relevantDocuments;
      const triggered$ =
        input.triggerWorkflows && top
          ? startTriggeredWorkflows$(
              run,
              'search_results',
              () => ({
                entity_id: top.id,
                context: { query: input.query, total: results.total, document_ids: relevantDocuments.map((document) => document.id) },
              }),
              listed$ ?? undefined,
            )
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
  // Subscribed first, the list's request goes out with the search; the result is the search's chain alone.
  return listed$ ? merge(listed$.pipe(ignoreElements()), result$) : result$;
}

/** `searchAndTriggerWorkflows(query, triggerWorkflows = true, notifyUsers = [])`. */
export const searchAndTriggerWorkflows = defineOperation({
  name: 'searchAndTriggerWorkflows',
  input: SearchAndTriggerInputSchema,
  args: (query: string, triggerWorkflows?: boolean, notifyUsers?: string[]) => ({ query, triggerWorkflows, notifyUsers }),
  steps: searchAndTriggerWorkflows$,
});
