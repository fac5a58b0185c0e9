import { catchError, forkJoin, map, of, shareReplay, switchMap, type Observable } from 'rxjs';
import type { Definition, StartWorkflowRequest, WorkflowInstance } from '../clients/workflow';
import type { OperationRun } from './operationRun';

/** The definitions an event triggers, listed ahead of their use; see {@link listTriggeredDefinitions$}. */
export type ListedDefinitions = Observable<{ definitions: Definition[] } | { error: unknown }>;

/**
 * Lists the definitions an event triggers ahead of the step that needs them, so that the list goes
 * out in parallel with the steps before: subscribe to it early (its answer is kept for the later
 * subscriber). A failure is kept too, and reported as the step's only where the list is used.
 */
export function listTriggeredDefinitions$(run: OperationRun, event: string): ListedDefinitions {
  return run.clients.workflow.listDefinitions$({ trigger: event }).pipe(
    map((definitions) => ({ definitions })),
    catchError((error: unknown) => of({ error })),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}

/**
 * Best-effort: starts every active definition that the event triggers, each on its own, and gives
 * back the instances that started. `listed$` is the list fetched ahead (see
 * {@link listTriggeredDefinitions$}); without it the list is fetched now.
 */
export function startTriggeredWorkflows$(
  run: OperationRun,
  event: string,
  request: (definition: Definition) => Omit<StartWorkflowRequest, 'definition_id'>,
  listed$?: ListedDefinitions,
): Observable<WorkflowInstance[]> {
  const { workflow } = run.clients;
  const list$ = listed$
    ? listed$.pipe(
        map((listed) => {
          if ('error' in listed) throw listed.error;
          return listed.definitions;
        }),
      )
    : workflow.listDefinitions$({ trigger: event });
  return run.bestEffort(`find ${event} workflows`, 'workflow', list$, []).pipe(
    // The client already keeps only the definitions this event triggers; the inactive ones cannot start.
    map((definitions) => definitions.filter((definition) => definition.is_active)),
    switchMap((definitions) =>
      definitions.length === 0
        ? of([])
        : forkJoin(
            definitions.map((definition) =>
              run.bestEffort(
                `start ${definition.name}`,
                'workflow',
                workflow.startWorkflow$({ definition_id: definition.id, ...request(definition) }),
                null,
              ),
            ),
          ),
    ),
    map((instances) => instances.filter((instance): instance is WorkflowInstance => instance !== null)),
  );
}
