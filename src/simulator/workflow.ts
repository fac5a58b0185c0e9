import { randomUUID } from 'node:crypto';
import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import type { DefinitionRecord, InstanceRecord } from './records';
import { CONFIGURED_PORTS, offsetTimestamp } from './state';
import { Inputs, isUuid } from './validation';

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

/**
 * The published stub's hard-coded list: eight slug ids, which no other endpoint accepts. Only the
 * first entry is recorded word for word (hub-recorded.md); the other seven are stand-ins of the same shape.
 */
const STUB_DEFINITIONS: readonly { id: string; name: string; category: string }[] = [
  { id: 'contract-approval', name: 'Contract Approval Workflow', category: 'procurement' },
  { id: 'invoice-processing', name: 'Invoice Processing Workflow', category: 'finance' },
  { id: 'employee-onboarding', name: 'Employee Onboarding Workflow', category: 'hr' },
  { id: 'document-review', name: 'Document Review Workflow', category: 'compliance' },
  { id: 'purchase-request', name: 'Purchase Request Workflow', category: 'procurement' },
  { id: 'expense-approval', name: 'Expense Approval Workflow', category: 'finance' },
  { id: 'leave-request', name: 'Leave Request Workflow', category: 'hr' },
  { id: 'policy-acknowledgement', name: 'Policy Acknowledgement Workflow', category: 'compliance' },
];

function metrics(ctx: RequestContext): Record<string, unknown> {
  return {
    uptime_seconds: Math.floor((Date.now() - ctx.state.startedAt) / 1000),
    active_connections: ctx.activeConnections,
    memory_usage_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    active_workflows: [...ctx.state.instances.values()].filter((instance) => instance.status === 'active').length,
  };
}

/** The published health: degraded whenever no AI key is configured, which is the normal local state. */
function publishedHealth(ctx: RequestContext): unknown {
  return {
    service: 'workflow-intelligence-service',
    status: ctx.state.healthOf('workflow'),
    version: '1.0.0',
    port: CONFIGURED_PORTS.workflow,
    dependencies: {
      database: { status: 'healthy', version: 'PostgreSQL 15.4', pool_size: 5, checked_in: 1, checked_out: 0, overflow: -4, invalid: 0 },
      redis: 'healthy',
      'identity-service': 'healthy',
      'ai-services': { openai: 'not-configured', anthropic: 'not-configured' },
    },
    metrics: metrics(ctx),
  };
}

function health(ctx: RequestContext): unknown {
  if (ctx.state.published) return publishedHealth(ctx);
  const status = ctx.state.healthOf('workflow');
  return {
    service: 'workflow-intelligence-service',
    status,
    version: '1.0.0',
    port: ctx.port,
    dependencies: {
      database: { status: 'healthy', type: 'in-memory' },
      'ai-services': { status: status === 'healthy' ? 'healthy' : 'unavailable', openai: status === 'healthy', anthropic: false },
    },
    metrics: metrics(ctx),
  };
}

function listDefinitions(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  if (ctx.state.published) {
    // Any query is ignored.
    return {
      message: 'Workflow definitions - TODO: implement',
      definitions: STUB_DEFINITIONS.map((definition) => ({ ...definition })),
      requested_by: user.id,
      organization: user.organizationId,
    };
  }
  const definitions = [...ctx.state.definitions.values()];

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

  const { published } = ctx.state;
  // The published service hands the id to the database as it is: a slug fails there, caught as a 500.
  if (published && !isUuid(definitionId)) throw new HttpError(500, 'Failed to create workflow instance');
  const definition = ctx.state.definitions.get(definitionId.toLowerCase());
  if (published && (!definition || !definition.isActive)) {
    throw new HttpError(400, `Workflow definition ${definitionId} not found or inactive`);
  }
  if (!definition) throw new HttpError(400, `Workflow definition ${definitionId} not found`);
  if (!definition.isActive) throw new HttpError(400, `Workflow definition ${definitionId} is not active`);

  const instance: InstanceRecord = {
    id: randomUUID(),
    definitionId,
    entityId,
    // The published service starts every instance in `draft`.
    currentState: published ? 'draft' : (definition.states[0] ?? 'started'),
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
  const id = ctx.params.workflow_id ?? '';
  const { published } = ctx.state;
  if (published && !isUuid(id)) throw new HttpError(500, 'Failed to retrieve workflow status');
  const instance = ctx.state.instances.get(id.toLowerCase());
  if (!instance) throw new HttpError(404, 'Workflow instance not found');
  if (instance.organizationId !== user.organizationId) throw new HttpError(403, 'Access denied to this workflow');
  const status = {
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
  if (!published) return status;
  return {
    ...status,
    previous_state: null,
    due_date: null,
    is_overdue: false,
    assigned_to: null,
    recent_history: [],
    requested_by: user.id,
    organization: user.organizationId,
  };
}

/** Workflow: `/api/v1`, a token on every route. `GET /api/v1/workflows` is a 405: the path is served for POST only. */
export const workflowRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'GET', path: '/api/v1/definitions', handler: listDefinitions, auth: true },
  { method: 'GET', path: '/api/v1/definitions/{definition_id}', handler: getDefinition, auth: true, upstream: 'not-found' },
  { method: 'POST', path: '/api/v1/workflows', handler: startWorkflow, auth: true },
  { method: 'GET', path: '/api/v1/workflows/{workflow_id}/status', handler: workflowStatus, auth: true },
];
