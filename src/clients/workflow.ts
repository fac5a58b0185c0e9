import { map, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { HttpClient } from './http';
import { jsonObject, numberFromString, utcTimestamp, uuid } from './schemas';

/** A workflow definition (extension): what can be started, and by which events. */
export const DefinitionSchema = z.object({
  id: uuid,
  name: z.string(),
  category: z.string(),
  is_template: z.boolean(),
  is_active: z.boolean(),
  trigger_events: z.array(z.string()),
  description: z.nullish(z.string()),
});
/** A workflow definition. */
export type Definition = z.infer<typeof DefinitionSchema>;

/** `GET /api/v1/definitions` response (extension). */
export const DefinitionListSchema = z.object({ definitions: z.array(DefinitionSchema) });
/** `GET /api/v1/definitions` response. */
export type DefinitionList = z.infer<typeof DefinitionListSchema>;

/** What the upstream definitions stub answers: slug ids, no `is_active` nor `trigger_events`. */
export const DefinitionListStubSchema = z.object({
  message: z.string(),
  definitions: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
});

/** The states of a workflow instance. */
export const WorkflowStatusValueSchema = z.enum(['active', 'completed', 'failed', 'paused']);
/** The states of a workflow instance. */
export type WorkflowStatusValue = z.infer<typeof WorkflowStatusValueSchema>;

/** `POST /api/v1/workflows` request: starts an instance of an active definition. */
export const StartWorkflowRequestSchema = z.object({
  definition_id: uuid,
  entity_id: z.string().check(z.minLength(1)),
  context: z.optional(jsonObject),
});
/** `POST /api/v1/workflows` request. */
export type StartWorkflowRequest = z.infer<typeof StartWorkflowRequestSchema>;

/**
 * `POST /api/v1/workflows` response: the started instance; `progress_percentage` is read as a number.
 * The Hub names the instance's id `workflow_id`; it is given as `id` too, the name the seed's
 * examples read (`execution.id`) and the one every other record of the Hub uses.
 */
export const WorkflowInstanceSchema = z.pipe(
  z.object({
    workflow_id: uuid,
    definition_id: uuid,
    entity_id: z.string(),
    current_state: z.string(),
    status: WorkflowStatusValueSchema,
    progress_percentage: numberFromString,
    available_actions: z.array(z.unknown()),
    created_at: utcTimestamp,
    created_by: z.string(),
    organization: z.string(),
  }),
  z.transform((instance) => ({ id: instance.workflow_id, ...instance })),
);
/** A started workflow instance. */
export type WorkflowInstance = z.infer<typeof WorkflowInstanceSchema>;

/** `GET /api/v1/workflows/{id}/status` response; `progress_percentage` is read as a number. */
export const WorkflowStatusSchema = z.object({
  instance_id: uuid,
  definition_id: uuid,
  entity_id: z.string(),
  current_state: z.string(),
  status: WorkflowStatusValueSchema,
  progress_percentage: numberFromString,
  started_at: utcTimestamp,
  completed_at: z.nullish(utcTimestamp),
  available_actions: z.array(z.unknown()),
  context_data: jsonObject,
});
/** The status of a workflow instance. */
export type WorkflowStatus = z.infer<typeof WorkflowStatusSchema>;

/** The filters of `GET /api/v1/definitions` (extension). */
export type DefinitionFilter = { is_template?: boolean; trigger?: string };

/**
 * The workflow service's calls, each a cold Observable.
 *
 * @example
 * createWorkflowClient(http).listDefinitions$({ trigger: 'user_onboarding' }).subscribe(console.log);
 */
export function createWorkflowClient(http: HttpClient) {
  return {
    /**
     * `GET /api/v1/definitions` (extension), unwrapped. The filters are applied here as well, because
     * a server may ignore them; the upstream stub gives `unsupported`.
     */
    listDefinitions$(filter: DefinitionFilter = {}): Observable<Definition[]> {
      const { is_template, trigger } = filter;
      return http
        .request$({
          service: 'workflow',
          route: 'listDefinitions',
          query: { is_template, trigger },
          schema: DefinitionListSchema,
          stub: DefinitionListStubSchema,
        })
        .pipe(
          map(({ definitions }) =>
            definitions.filter(
              (definition) =>
                (is_template === undefined || definition.is_template === is_template) &&
                (trigger === undefined || definition.trigger_events.includes(trigger)),
            ),
          ),
        );
    },

    /** `GET /api/v1/definitions/{id}` (extension). */
    getDefinition$(id: string): Observable<Definition> {
      return http.request$({ service: 'workflow', route: 'getDefinition', params: { id }, schema: DefinitionSchema });
    },

    /** `POST /api/v1/workflows`: starts an instance of an active definition. */
    startWorkflow$(request: StartWorkflowRequest): Observable<WorkflowInstance> {
      return http.request$({
        service: 'workflow',
        route: 'startWorkflow',
        body: request,
        bodySchema: StartWorkflowRequestSchema,
        schema: WorkflowInstanceSchema,
      });
    },

    /** `GET /api/v1/workflows/{id}/status`. */
    getWorkflowStatus$(id: string): Observable<WorkflowStatus> {
      return http.request$({ service: 'workflow', route: 'getWorkflowStatus', params: { id }, schema: WorkflowStatusSchema });
    },
  };
}

/** The workflow service's calls. */
export type WorkflowClient = ReturnType<typeof createWorkflowClient>;
