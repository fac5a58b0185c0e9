import { forkJoin, map, of, switchMap, type Observable } from 'rxjs';
import type { Definition, StartWorkflowRequest, WorkflowInstance } from '../clients/workflow';
import type { OperationRun } from './operationRun';

/**
 * Best-effort: starts every active definition that the event triggers, each on its own, and gives
 * back the instances that started.
 */
export function startTriggeredWorkflows$(
  run: OperationRun,
  event: string,
  request: (definition: Definition) => Omit<StartWorkflowRequest, 'definition_id'>,
): Observable<WorkflowInstance[]> {
  const { workflow } = run.clients;
  return run.bestEffort(`find ${event} workflows`, 'workflow', workflow.listDefinitions$({ trigger: event }), []).pipe(
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
