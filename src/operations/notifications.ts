import { catchError, defer, finalize, forkJoin, map, Observable, of, tap } from 'rxjs';
import type { BulkNotificationResponse, CommunicationClient, NotificationRequest, NotificationResponse } from '../clients/communication';
import { isServiceError, OrchestratorError } from '../errors';
import { createBatcher, type BatchFlushReason } from '../batching/createBatcher';
import type { TraceContext, Tracing } from '../tracing';

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
  /**
   * With tracing on, a bulk request serves several operations, so it gets a span of its own, linked
   * to each operation's; a notification sent alone stays in the trace of the operation that sent it.
   */
  readonly tracing?: Tracing;
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

/** One notification waiting in a batch, with the trace context of the operation that sent it. */
interface Pending {
  readonly notification: NotificationRequest;
  readonly context: TraceContext | null;
}

/**
 * Notifications gathered into bulk requests of up to `batching.size`, with a fall-back to single
 * posts where this Hub does not serve bulk (404/405); a bulk 5xx is each caller's failure, never
 * re-sent. A lone notification goes as a single post.
 *
 * @example
 * const notifier = createNotifier({ communication, batching: { size: 10, windowMs: 20 } });
 * notifier.notify$({ type: 'in_app', to: userId, message: 'Welcome' }, communication).subscribe(console.log);
 */
export function createNotifier(config: NotifierConfig): Notifier {
  const { communication, tracing } = config;
  let bulkSupported = true;
  /** Runs a request in a trace context (with tracing off, as it is). */
  const within = <T>(context: TraceContext | null, request$: Observable<T>): Observable<T> =>
    tracing && context ? tracing.within$(context, request$) : request$;

  /** One batch; falling back after a bulk request, it posts only what somebody still waits for. */
  function send$(pending: Pending[], isWanted: (index: number) => boolean): Observable<NotifyOutcome[]> {
    const items = pending.map((entry) => entry.notification);
    const singles$ = (): Observable<NotifyOutcome[]> =>
      forkJoin(
        items.map((item, index) =>
          isWanted(index)
            ? within(pending[index]?.context ?? null, communication.createNotification$(item)).pipe(
                map((response): NotifyOutcome => ({ receipt: receiptFromSingle(response) })),
                catchError((error: unknown) => of<NotifyOutcome>({ error })),
              )
            : of<NotifyOutcome>({ error: new OrchestratorError('nobody waits for this notification any more', 'aborted') }),
        ),
      );
    if (items.length === 1 || !bulkSupported) return singles$();
    return bulk$(pending).pipe(
      map((response) => items.map((item): NotifyOutcome => ({ receipt: receiptFromBulk(response, item) }))),
      catchError((error: unknown) => {
        // Only a missing route (404 Not Found, 405) falls back: the router refused the request before
        // any handler ran, so nothing was queued. Any other failure, a 500 above all, may come after the
        // server queued part of the batch; notifications are not idempotent, so re-sending them as
        // single posts could deliver some twice. Each caller gets the bulk failure instead (and the
        // published Hub answers single posts with the same 500, so a fall-back would gain nothing there).
        if (isServiceError(error) && error.code === 'unsupported') {
          bulkSupported = false;
          return singles$();
        }
        return of(items.map((): NotifyOutcome => ({ error })));
      }),
    );
  }

  /** The bulk request, under a span of its own linked to each operation's when tracing is on. */
  function bulk$(pending: Pending[]): Observable<BulkNotificationResponse> {
    const request$ = communication.createBulkNotifications$(pending.map((entry) => entry.notification));
    if (!tracing) return request$;
    return defer(() => {
      const linked = pending.flatMap((entry) => (entry.context ? [entry.context] : []));
      const span = tracing.startShared('notifications bulk', 'communication', linked);
      span.span.setAttribute('orchestrator.batch.size', pending.length);
      return within(span.context, request$).pipe(
        tap({ error: (error: unknown) => span.end({ type: isServiceError(error) ? error.code : 'unknown' }) }),
        finalize(() => span.end()),
      );
    });
  }

  const batcher = config.batching
    ? createBatcher<Pending, NotifyOutcome>({ ...config.batching, send: send$, onFlush: config.onFlush })
    : null;

  return {
    notify$(notification, caller) {
      if (!batcher) return caller.createNotification$(notification).pipe(map(receiptFromSingle));
      // The context is taken on subscribe: that of the step sending it.
      return defer(() => batcher.submit$({ notification, context: tracing ? tracing.active() : null })).pipe(
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
