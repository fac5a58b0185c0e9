import { MAX_BULK_NOTIFICATIONS } from '../hub';
import { randomUUID } from 'node:crypto';
import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import type { ConversationRecord, NotificationRecord, NotificationType, UserRecord } from './records';
import { CONFIGURED_PORTS, naiveTimestamp } from './state';
import { Inputs, type FieldReader } from './validation';

const NOTIFICATION_TYPES: readonly NotificationType[] = ['email', 'sms', 'push', 'in_app'];
const CONVERSATION_TYPES: readonly ConversationRecord['type'][] = ['direct', 'group', 'support', 'system'];

function health(ctx: RequestContext): unknown {
  const status = ctx.state.healthOf('communication');
  const { published } = ctx.state;
  const workers = published ? 'not-implemented' : status === 'healthy' ? 'healthy' : 'unavailable';
  return {
    service: 'communication-service',
    status,
    version: '1.0.0',
    port: published ? CONFIGURED_PORTS.communication : ctx.port,
    dependencies: { redis: 'healthy', 'identity-service': 'healthy', 'celery-workers': workers },
    metrics: {
      uptime_seconds: Math.floor((Date.now() - ctx.state.startedAt) / 1000),
      active_connections: ctx.activeConnections,
      memory_usage_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    },
  };
}

type NotificationFields = Omit<NotificationRecord, 'id' | 'taskId' | 'sentBy' | 'organizationId' | 'createdAt' | 'bulk' | 'type'> & {
  type: string;
};

/**
 * The fields of one notification; `type` is only checked to be a string, as upstream's model does.
 * The published model defaults it: a body without fields has errors on `to` and `message` only.
 */
function readNotification(fields: FieldReader, published: boolean): NotificationFields {
  return {
    type: published ? (fields.optionalString('type') ?? 'email') : fields.string('type'),
    to: fields.string('to'),
    subject: fields.optionalString('subject') ?? null,
    message: fields.string('message'),
    templateId: fields.optionalString('template_id') ?? null,
    variables: fields.optionalObject('variables') ?? null,
  };
}

/**
 * Upstream converts `type` to its enum inside the handler, so an unknown type escapes as an
 * uncaught ValueError: the plain-text 500, not a 422.
 */
function notificationType(type: string): NotificationType {
  const known = NOTIFICATION_TYPES.find((candidate) => candidate === type);
  if (!known) throw new Error(`'${type}' is not a valid NotificationType`);
  return known;
}

function queue(ctx: RequestContext, user: UserRecord, fields: NotificationFields, taskId: string, bulk: boolean): NotificationRecord {
  const record: NotificationRecord = {
    ...fields,
    type: notificationType(fields.type),
    id: randomUUID(),
    taskId,
    sentBy: user.id,
    organizationId: user.organizationId,
    createdAt: Date.now(),
    bulk,
  };
  ctx.state.notifications.push(record);
  return record;
}

/**
 * The published notification handlers fail at run time on a broken relative import, whatever the
 * body: an uncaught exception, which Starlette answers with its plain-text 500.
 */
function brokenImport(): never {
  throw new Error('attempted relative import beyond top-level package');
}

function createNotification(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const fields = readNotification(input.body(), ctx.state.published);
  input.check();
  if (ctx.state.published) brokenImport();

  const record = queue(ctx, user, fields, randomUUID(), false);
  return {
    notification_id: record.id,
    task_id: record.taskId,
    status: 'queued',
    channel: record.type,
    recipient: record.to,
    sent_by: record.sentBy,
    organization: record.organizationId,
    created_at: naiveTimestamp(record.createdAt),
  };
}

function createBulkNotifications(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const items = input.bodyList().map((item) => readNotification(item, ctx.state.published));
  input.check();
  // The route exists upstream (not a 404): a list, even an empty one, reaches the broken handler.
  if (ctx.state.published) brokenImport();
  if (items.length > MAX_BULK_NOTIFICATIONS) throw new HttpError(400, `Maximum ${MAX_BULK_NOTIFICATIONS} notifications per bulk request`);

  // Check every type before queueing any, so a bad item does not leave half a batch behind.
  items.forEach((item) => notificationType(item.type));
  const taskId = randomUUID();
  for (const item of items) queue(ctx, user, item, taskId, true);
  return { task_id: taskId, status: 'queued', notification_count: items.length, sent_by: user.id, organization: user.organizationId };
}

function createConversation(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const body = input.body();
  const title = body.string('title', { minLength: 1 });
  const type = body.enumValue('type', CONVERSATION_TYPES);
  const participantIds = body.stringArray('participant_ids');
  const metadata = body.optionalObject('metadata') ?? {};
  input.check();

  const conversation: ConversationRecord = {
    id: randomUUID(),
    title,
    type,
    participantIds,
    metadata,
    createdBy: user.id,
    organizationId: user.organizationId,
    createdAt: Date.now(),
  };
  ctx.state.conversations.set(conversation.id, conversation);
  return {
    id: conversation.id,
    title,
    type,
    participant_ids: [...participantIds],
    metadata,
    created_by: user.id,
    created_at: naiveTimestamp(conversation.createdAt),
  };
}

/** `GET /api/v1/notifications/unread` (published only): the broken import again. */
function unreadNotifications(ctx: RequestContext): unknown {
  requireUser(ctx);
  return brokenImport();
}

/** `GET /api/v1/notifications/history` (published only): a handler that names a function nobody defined. */
function notificationHistory(ctx: RequestContext): unknown {
  requireUser(ctx);
  throw new HttpError(500, "name 'get_db_session' is not defined");
}

/** `GET /api/v1/conversations` (published only): a stub. */
function listConversations(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  return { message: `Conversations for user ${user.id} - TODO: implement`, user_id: user.id, organization: user.organizationId };
}

/** Communication: `/api/v1`, a token on every route. */
export const communicationRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'POST', path: '/api/v1/notifications', handler: createNotification, auth: true },
  { method: 'POST', path: '/api/v1/notifications/bulk', handler: createBulkNotifications, auth: true },
  { method: 'GET', path: '/api/v1/notifications/unread', handler: unreadNotifications, auth: true, extended: 'not-found' },
  { method: 'GET', path: '/api/v1/notifications/history', handler: notificationHistory, auth: true, extended: 'not-found' },
  { method: 'GET', path: '/api/v1/conversations', handler: listConversations, auth: true, extended: 'not-found' },
  // Upstream serves GET on this path only, so a POST is a 405.
  { method: 'POST', path: '/api/v1/conversations', handler: createConversation, auth: true, upstream: 'method-not-allowed' },
];
