import type { Observable } from 'rxjs';
import * as z from 'zod/mini';
import { MAX_BULK_NOTIFICATIONS } from '../hub';
import type { HttpClient } from './http';
import { jsonObject, utcTimestamp, uuid } from './schemas';

/** The channels a notification can go through. */
export const NotificationTypeSchema = z.enum(['email', 'sms', 'push', 'in_app']);
/** The channels a notification can go through. */
export type NotificationType = z.infer<typeof NotificationTypeSchema>;

/**
 * `POST /api/v1/notifications` request, and one item of the bulk array. `to` is an address, a phone
 * number, a push token, or a user id for `in_app`.
 */
export const NotificationRequestSchema = z.object({
  type: NotificationTypeSchema,
  to: z.string().check(z.minLength(1), z.maxLength(320)),
  subject: z.optional(z.string().check(z.maxLength(1_000))),
  message: z.string().check(z.minLength(1), z.maxLength(10_000)),
  template_id: z.optional(z.string().check(z.maxLength(200))),
  variables: z.optional(jsonObject),
});
/** `POST /api/v1/notifications` request. */
export type NotificationRequest = z.infer<typeof NotificationRequestSchema>;

/** `POST /api/v1/notifications` response: the receipt of a queued notification. */
export const NotificationResponseSchema = z.object({
  notification_id: z.string(),
  task_id: z.string(),
  status: z.string(),
  channel: z.string(),
  recipient: z.string(),
  sent_by: z.string(),
  organization: z.string(),
  created_at: utcTimestamp,
});
/** `POST /api/v1/notifications` response. */
export type NotificationResponse = z.infer<typeof NotificationResponseSchema>;

/** `POST /api/v1/notifications/bulk` request: at most {@link MAX_BULK_NOTIFICATIONS} items. */
export const BulkNotificationRequestSchema = z.array(NotificationRequestSchema).check(z.maxLength(MAX_BULK_NOTIFICATIONS));
/** `POST /api/v1/notifications/bulk` request. */
export type BulkNotificationRequest = z.infer<typeof BulkNotificationRequestSchema>;

/** `POST /api/v1/notifications/bulk` response. */
export const BulkNotificationResponseSchema = z.object({
  task_id: z.string(),
  status: z.string(),
  notification_count: z.number(),
  sent_by: z.string(),
  organization: z.string(),
});
/** `POST /api/v1/notifications/bulk` response. */
export type BulkNotificationResponse = z.infer<typeof BulkNotificationResponseSchema>;

/** The kinds of conversation. */
export const ConversationTypeSchema = z.enum(['direct', 'group', 'support', 'system']);
/** The kinds of conversation. */
export type ConversationType = z.infer<typeof ConversationTypeSchema>;

/** `POST /api/v1/conversations` request (extension). */
export const ConversationRequestSchema = z.object({
  title: z.string().check(z.minLength(1), z.maxLength(1_000)),
  type: ConversationTypeSchema,
  participant_ids: z.array(z.string().check(z.minLength(1))),
  metadata: z.optional(jsonObject),
});
/** `POST /api/v1/conversations` request. */
export type ConversationRequest = z.infer<typeof ConversationRequestSchema>;

/** `POST /api/v1/conversations` response (extension). */
export const ConversationSchema = z.object({
  id: uuid,
  title: z.string(),
  type: ConversationTypeSchema,
  participant_ids: z.array(z.string()),
  created_by: z.string(),
  created_at: utcTimestamp,
});
/** A conversation. */
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * The communication service's calls, each a cold Observable.
 *
 * @example
 * createCommunicationClient(http).createNotification$({ type: 'in_app', to: userId, message: 'Welcome' }).subscribe();
 */
export function createCommunicationClient(http: HttpClient) {
  return {
    /** `POST /api/v1/notifications`. */
    createNotification$(notification: NotificationRequest): Observable<NotificationResponse> {
      return http.request$({
        service: 'communication',
        route: 'createNotification',
        body: notification,
        bodySchema: NotificationRequestSchema,
        schema: NotificationResponseSchema,
      });
    },

    /** `POST /api/v1/notifications/bulk`: one request for up to 1000 notifications, sent as a JSON array. */
    createBulkNotifications$(items: readonly NotificationRequest[]): Observable<BulkNotificationResponse> {
      return http.request$({
        service: 'communication',
        route: 'createBulkNotifications',
        body: items,
        bodySchema: BulkNotificationRequestSchema,
        schema: BulkNotificationResponseSchema,
      });
    },

    /** `POST /api/v1/conversations` (extension); `unsupported` where upstream answers 405. */
    createConversation$(conversation: ConversationRequest): Observable<Conversation> {
      return http.request$({
        service: 'communication',
        route: 'createConversation',
        body: conversation,
        bodySchema: ConversationRequestSchema,
        schema: ConversationSchema,
      });
    },
  };
}

/** The communication service's calls. */
export type CommunicationClient = ReturnType<typeof createCommunicationClient>;
