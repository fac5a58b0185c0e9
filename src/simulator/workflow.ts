import { randomUUID } from 'node:crypto';
import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import type { DefinitionRecord, InstanceRecord } from './records';
import { offsetTimestamp } from './state';
import { Inputs } from './validation';

function definitionJson(definition: DefinitionRecord): Record<string, unknown> {
  return {
    id: definition.id,
    name: definition.name,
    category: definition.category,
    description: definition.description,
    is_template: definition.isTemplate,
    is_active: definition.isActive,
    trigger_events: [...definition.triggerEvents],
    states: [...definition.states],
    version: 1,
    created_at: offsetTimestamp(definition.createdAt),
  };
}

/** Upstream's stub lists definitions under slugs, which no other endpoint accepts. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function health(ctx: RequestContext): unknown {
  const status = ctx.state.health.workflow;
  return {
    service: 'workflow-intelligence-service',
    status,
    version: '1.0.0',
    port: ctx.port,
    dependencies: {
      database: { status: 'healthy', type: 'in-memory' },
      'ai-services': { status: status === 'healthy' ? 'healthy' : 'unavailable', openai: status === 'healthy', anthropic: false },
    },
    metrics: {
      uptime_seconds: Math.floor((Date.now() - ctx.state.startedAt) / 1000),
      active_connections: ctx.activeConnections,
      memory_usage_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
      active_workflows: [...ctx.state.instances.values()].filter((instance) => instance.status === 'active').length,
    },
  };
}

function listDefinitions(ctx: RequestContext): unknown {
  requireUser(ctx);
  const definitions = [...ctx.state.definitions.values()];
  if (ctx.state.mode === 'upstream') {
    return {
      message: 'Workflow definitions endpoint - implementation pending',
      definitions: definitions.map((definition) => ({ id: slug(definition.name), name: definition.name, category: definition.category })),
    };
  }

  const input = new Inputs(ctx);
  const isTemplate = input.queryBool('is_template');
  const trigger = input.queryString('trigger');
  input.check();
  const matching = definitions.filter(
    (definition) =>
      (isTemplate === undefined || definition.isTemplate === isTemplate) &&
      (trigger === undefined || definition.triggerEvents.includes(trigger)),
  );
  return { definitions: matching.map(definitionJson), total: matching.length };
}

function getDefinition(ctx: RequestContext): unknown {
  requireUser(ctx);
  const definition = ctx.state.definitions.get(ctx.params.definition_id ?? '');
  if (!definition) throw new HttpError(404, 'Definition not found');
  return definitionJson(definition);
}

function progressOf(instance: InstanceRecord): string {
  return String(instance.progress);
}

function startWorkflow(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const body = input.body();
  const definitionId = body.string('definition_id');
  const entityId = body.string('entity_id');
  const context = body.optionalObject('context') ?? {};
  input.check();

  const definition = ctx.state.definitions.get(definitionId);
  if (!definition) throw new HttpError(400, `Workflow definition ${definitionId} not found`);
  if (!definition.isActive) throw new HttpError(400, `Workflow definition ${definitionId} is not active`);

  const instance: InstanceRecord = {
    id: randomUUID(),
    definitionId,
    entityId,
    currentState: definition.states[0] ?? 'started',
    status: 'active',
    progress: 0,
    availableActions: [...definition.actions],
    context,
    organizationId: user.organizationId,
    createdBy: user.id,
    startedAt: Date.now(),
    completedAt: null,
  };
  ctx.state.instances.set(instance.id, instance);
  return {
    workflow_id: instance.id,
    definition_id: definitionId,
    entity_id: entityId,
    current_state: instance.currentState,
    status: instance.status,
    progress_percentage: progressOf(instance),
    available_actions: [...instance.availableActions],
    created_at: offsetTimestamp(instance.startedAt),
    created_by: user.id,
    organization: user.organizationId,
  };
}

function workflowStatus(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const instance = ctx.state.instances.get(ctx.params.workflow_id ?? '');
  if (!instance) throw new HttpError(404, 'Workflow instance not found');
  if (instance.organizationId !== user.organizationId) throw new HttpError(403, 'Access denied to this workflow');
  return {
    instance_id: instance.id,
    definition_id: instance.definitionId,
    entity_id: instance.entityId,
    current_state: instance.currentState,
    status: instance.status,
    progress_percentage: progressOf(instance),
    started_at: offsetTimestamp(instance.startedAt),
    completed_at: instance.completedAt === null ? null : offsetTimestamp(instance.completedAt),
    available_actions: [...instance.availableActions],
    context_data: instance.context,
  };
}

/** Workflow: `/api/v1`, a token on every route. */
export const workflowRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'GET', path: '/api/v1/definitions', handler: listDefinitions, auth: true },
  { method: 'GET', path: '/api/v1/definitions/{definition_id}', handler: getDefinition, auth: true, upstream: 'not-found' },
  { method: 'POST', path: '/api/v1/workflows', handler: startWorkflow, auth: true },
  { method: 'GET', path: '/api/v1/workflows/{workflow_id}/status', handler: workflowStatus, auth: true },
];
