import { defer, Observable, Subject, Subscription, take, type SchedulerLike, type Subscriber } from 'rxjs';
import { OrchestratorError } from '../errors';
import { batchBuffer, type BatchCloseReason } from '../operators/batchBuffer';

/** How {@link createBatcher} groups and sends items. */
export interface BatcherConfig<I, R> {
  /** The most items in one batch. At least 1. */
  size: number;
  /** How long a batch waits for more items, in ms, counted from its first item. */
  windowMs: number;
  /**
   * Sends one batch; must emit exactly one array of results, one per item, in order. `isWanted(index)`
   * tells, at any time, whether the caller of an item is still waiting: a `send` that goes on to more
   * requests (a fall-back to one request per item, say) can leave out the items nobody waits for.
   */
  send: (items: I[], isWanted: (index: number) => boolean) => Observable<R[]>;
  /** Called once per batch sent, for `batch_flush` events and metrics; must not throw. */
  onFlush?: (info: { size: number; reason: BatchCloseReason }) => void;
  /** Where the window timers are scheduled. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Lets many callers each submit one item and each get back their own result from one batched request. */
export interface Batcher<I, R> {
  /** Cold: the item joins a batch on subscribe; emits this item's result, then completes. */
  submit$(item: I): Observable<R>;
  /** Sends what is held, then stops accepting; idempotent. Batches already sent still answer. */
  dispose(): void;
}

/** One `submit$` subscription waiting for its result. */
interface Caller<I, R> {
  item: I;
  subscriber: Subscriber<R>;
  /** Set when the subscription ends, whether by unsubscribing or by getting its answer. */
  left: boolean;
  /** Set once the caller's batch is sent: lets the batch stop its request when every caller left. */
  onLeave?: () => void;
}

/**
 * Gathers single items from many callers into batches (see {@link batchBuffer}) and sends each batch
 * with one `send` call; each caller gets back the result at its own index. Batches are sent
 * concurrently. A caller that unsubscribes before its batch is sent is left out of it (it still
 * counts towards `size` until then); a batch that every caller left is not sent, and a request
 * whose every caller left is unsubscribed.
 *
 * @example
 * const notifications = createBatcher<NotificationRequest, string>({
 *   size: 10,
 *   windowMs: 20,
 *   // One bulk request; each caller of the batch gets the task id it is part of.
 *   send: (items) => communication.createBulkNotifications$(items).pipe(map((bulk) => items.map(() => bulk.task_id))),
 *   onFlush: ({ size, reason }) => emit({ type: 'batch_flush', size, reason }),
 * });
 * notifications.submit$({ type: 'in_app', to: userId, message: 'Welcome' }).subscribe((taskId) => console.log(taskId));
 */
export function createBatcher<I, R>(config: BatcherConfig<I, R>): Batcher<I, R> {
  const { size, windowMs, send, onFlush, scheduler } = config;
  const callers$ = new Subject<Caller<I, R>>();
  let disposed = false;

  // batchBuffer calls onClose synchronously just before it emits the batch the reason belongs to.
  let closeReason: BatchCloseReason = 'size';
  callers$
    .pipe(batchBuffer({ size, windowMs, scheduler, onClose: ({ reason }) => (closeReason = reason) }))
    .subscribe((batch) => sendBatch(batch, closeReason));

  function sendBatch(batch: Caller<I, R>[], reason: BatchCloseReason): void {
    const callers = batch.filter((caller) => !caller.left);
    if (callers.length === 0) return;
    onFlush?.({ size: callers.length, reason });

    let answered = false;
    const request = new Subscription();
    const stopIfAbandoned = (): void => {
      if (!answered && callers.every((caller) => caller.left)) request.unsubscribe();
    };
    for (const caller of callers) caller.onLeave = stopIfAbandoned;

    request.add(
      defer(() =>
        send(
          callers.map((caller) => caller.item),
          (index) => callers[index]?.left === false,
        ),
      )
        .pipe(take(1))
        .subscribe({
          next: (results) => {
            answered = true;
            deliver(callers, results);
          },
          error: (error: unknown) => {
            answered = true;
            for (const { subscriber } of callers) subscriber.error(error);
          },
          complete: () => {
            if (answered) return;
            answered = true;
            deliver(callers, []);
          },
        }),
    );
  }

  return {
    submit$: (item) =>
      new Observable<R>((subscriber) => {
        if (disposed) {
          subscriber.error(new OrchestratorError('The batcher is disposed and accepts no more items', 'disposed'));
          return undefined;
        }
        const caller: Caller<I, R> = { item, subscriber, left: false };
        callers$.next(caller);
        return () => {
          caller.left = true;
          caller.onLeave?.();
        };
      }),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      callers$.complete();
    },
  };
}

function deliver<I, R>(callers: Caller<I, R>[], results: readonly R[]): void {
  callers.forEach(({ subscriber }, index) => {
    if (index < results.length) {
      subscriber.next(results[index] as R);
      subscriber.complete();
    } else {
      subscriber.error(
        new OrchestratorError(
          `The batch answered ${results.length} results for ${callers.length} items; item ${index} has none`,
          'validation',
          { expected: callers.length, received: results.length, index },
        ),
      );
    }
  });
}
