import { catchError, forkJoin, map, of, type Observable } from 'rxjs';
import type { BulkNotificationResponse, CommunicationClient, NotificationRequest, NotificationResponse } from '../clients/communication';
import { isServiceError, OrchestratorError } from '../errors';
import { createBatcher, type BatchFlushReason } from '../batching/createBatcher';

/** What the Hub acknowledged for one notification, sent alone or in a bulk batch. */
export interface NotificationReceipt {
  /** The notification's id; null when it went out in a bulk batch, which answers with a task only. */
  notificationId: string | null;
  taskId: string;
  status: string;
  channel: string;
  recipient: string;
  batched: boolean;
}

/** How notifications are sent. */
export interface NotifierConfig {
  /** The communication client batches are sent with (its calls belong to no single operation). */
  readonly communication: CommunicationClient;
  /** Batching into bulk requests, or null to post each notification alone. */
  readonly batching: { readonly size: number; readonly windowMs: number } | null;
  /** Called once per batch sent, for `batch_flush` events and metrics. */
  readonly onFlush?: (info: { size: number; reason: BatchFlushReason }) => void;
}

/** Sends the operations' notifications, batched or not; each caller gets its own receipt. */
export interface Notifier {
  /** One notification; without batching it goes through `communication`, the calling operation's client. */
  notify$(notification: NotificationRequest, communication: CommunicationClient): Observable<NotificationReceipt>;
  /** Sends what a batch holds, then accepts no more. */
  dispose(): void;
}

/** The result of one notification inside a batch: each caller gets its own. */
type NotifyOutcome = { receipt: NotificationReceipt } | { error: unknown };

/**
 * Notifications gathered into bulk requests of up to `batching.size`, with a fall-back to single
 * posts where this Hub does not serve bulk. A lone notification goes as a single post.
 *
 * @example
 * const notifier = createNotifier({ communication, batching: { size: 10, windowMs: 20 } });
 * notifier.notify$({ type: 'in_app', to: userId, message: 'Welcome' }, communication).subscribe(console.log);
 */
export function createNotifier(config: NotifierConfig): Notifier {
  const { communication } = config;
  let bulkSupported = true;

  /** One batch; falling back after a bulk request, it posts only what somebody still waits for. */
  function send$(items: NotificationRequest[], isWanted: (index: number) => boolean): Observable<NotifyOutcome[]> {
    const singles$ = (): Observable<NotifyOutcome[]> =>
      forkJoin(
        items.map((item, index) =>
          isWanted(index)
            ? communication.createNotification$(item).pipe(
                map((response): NotifyOutcome => ({ receipt: receiptFromSingle(response) })),
                catchError((error: unknown) => of<NotifyOutcome>({ error })),
              )
            : of<NotifyOutcome>({ error: new OrchestratorError('nobody waits for this notification any more', 'aborted') }),
        ),
      );
    if (items.length === 1 || !bulkSupported) return singles$();
    return communication.createBulkNotifications$(items).pipe(
      map((response) => items.map((item): NotifyOutcome => ({ receipt: receiptFromBulk(response, item) }))),
      catchError((error: unknown) => {
        if (isServiceError(error) && error.code === 'unsupported') {
          bulkSupported = false;
          return singles$();
        }
        return of(items.map((): NotifyOutcome => ({ error })));
      }),
    );
  }

  const batcher = config.batching
    ? createBatcher<NotificationRequest, NotifyOutcome>({ ...config.batching, send: send$, onFlush: config.onFlush })
    : null;

  return {
    notify$(notification, caller) {
      if (!batcher) return caller.createNotification$(notification).pipe(map(receiptFromSingle));
      return batcher.submit$(notification).pipe(
        map((outcome) => {
          if ('error' in outcome) throw outcome.error;
          return outcome.receipt;
        }),
      );
    },
    dispose: () => batcher?.dispose(),
  };
}

function receiptFromSingle(response: NotificationResponse): NotificationReceipt {
  return {
    notificationId: response.notification_id,
    taskId: response.task_id,
    status: response.status,
    channel: response.channel,
    recipient: response.recipient,
    batched: false,
  };
}

function receiptFromBulk(response: BulkNotificationResponse, item: NotificationRequest): NotificationReceipt {
  return { notificationId: null, taskId: response.task_id, status: response.status, channel: item.type, recipient: item.to, batched: true };
}
