import { defer, Observable, Subscription, take, type SchedulerLike, type Subscriber } from 'rxjs';
import { OrchestratorError } from '../errors';

/**
 * Why a batch was sent: it was full (`size`); nothing else was in flight at the end of the tick it
 * was formed in (`idle`); it waited `windowMs` for company while other batches were out (`window`);
 * or the batcher was disposed (`complete`).
 */
export type BatchFlushReason = 'size' | 'idle' | 'window' | 'complete';

/** How {@link createBatcher} groups and sends items. */
export interface BatcherConfig<I, R> {
  /** The most items in one batch. At least 1. */
  size: number;
  /**
   * The longest an item waits for company while other batches are in flight, in ms, counted from the
   * first item held. An item never waits while nothing else is in flight: it goes at the end of the tick.
   * `Infinity` waits until the batches in flight answer (or the batch fills).
   */
  windowMs: number;
  /**
   * Sends one batch; must emit exactly one array of results, one per item, in order. `isWanted(index)`
   * tells, at any time, whether the caller of an item is still waiting: a `send` that goes on to more
   * requests (a fall-back to one request per item, say) can leave out the items nobody waits for.
   */
  send: (items: I[], isWanted: (index: number) => boolean) => Observable<R[]>;
  /** Called once per batch sent, for `batch_flush` events and metrics; must not throw. */
  onFlush?: (info: { size: number; reason: BatchFlushReason }) => void;
  /**
   * Where the end of the tick and the window timers are scheduled. Default: the end of the tick is
   * `setImmediate` (after the I/O callbacks of this turn of the event loop; a zero `setTimeout` where
   * there is none), the window `setTimeout`. A test passes a `TestScheduler`.
   */
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

/** Cancels what was scheduled. */
type Cancel = () => void;

type Timers = { endOfTick(work: () => void): Cancel; after(ms: number, work: () => void): Cancel };

function timersOf(scheduler: SchedulerLike | undefined): Timers {
  if (scheduler) {
    const on = (ms: number, work: () => void): Cancel => {
      const action = scheduler.schedule(work, ms);
      return () => action.unsubscribe();
    };
    return { endOfTick: (work) => on(0, work), after: on };
  }
  const after = (ms: number, work: () => void): Cancel => {
    const timer = setTimeout(work, ms);
    return () => clearTimeout(timer);
  };
  // Node's and some browsers' setImmediate, looked up rather than named: the main entry is typed for browsers too.
  const { setImmediate: immediately, clearImmediate } = globalThis as {
    setImmediate?: (work: () => void) => unknown;
    clearImmediate?: (handle: unknown) => void;
  };
  if (typeof immediately !== 'function' || typeof clearImmediate !== 'function') return { endOfTick: (work) => after(0, work), after };
  return {
    endOfTick: (work) => {
      const handle = immediately(work);
      return () => clearImmediate(handle);
    },
    after,
  };
}

/**
 * Gathers single items from many callers into batches of at most `size` and sends each batch with
 * one `send` call; each caller gets back the result at its own index. It never makes an item wait
 * alone: **send when idle, gather while busy**. Items submitted in one tick are sent together at
 * its end when no batch is in flight; while batches are in flight, items gather until the batch is
 * full (sent at once), the batches in flight have all answered (sent at the end of that tick), or
 * `windowMs` has passed, whichever comes first. Batches are sent concurrently.
 *
 * A caller that unsubscribes before its batch is sent is left out of it (it still counts towards
 * `size` until then); a batch that every caller left is not sent, and a request whose every caller
 * left is unsubscribed.
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
  const { size, windowMs, send, onFlush } = config;
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`createBatcher: size must be a whole number >= 1, got ${size}`);
  if (!(windowMs >= 0)) throw new RangeError(`createBatcher: windowMs must be >= 0, got ${windowMs}`);
  const timers = timersOf(config.scheduler);

  let held: Caller<I, R>[] = [];
  /** Batches sent whose request has not ended. */
  let inFlight = 0;
  let tick: Cancel | null = null;
  let window: Cancel | null = null;
  let disposed = false;

  const stopTimers = (): void => {
    tick?.();
    tick = null;
    window?.();
    window = null;
  };

  function flush(reason: BatchFlushReason): void {
    stopTimers();
    // Reset before sending: a caller may submit again synchronously while its answer is handled.
    const batch = held;
    held = [];
    sendBatch(batch, reason);
  }

  /** At the end of this tick: send if nothing is in flight, else gather until it all answers or the window ends. */
  function atEndOfTick(): void {
    tick = null;
    if (held.length === 0) return;
    if (inFlight === 0) flush('idle');
    else if (!window && windowMs !== Infinity) window = timers.after(windowMs, () => flush('window'));
  }

  function hold(caller: Caller<I, R>): void {
    held.push(caller);
    if (held.length >= size) flush('size');
    else if (!tick && !window) tick = timers.endOfTick(atEndOfTick);
  }

  /** A request ended: when it was the last one out, what gathered meanwhile goes at the end of this tick. */
  function landed(): void {
    inFlight -= 1;
    if (inFlight === 0 && held.length > 0 && !tick) {
      window?.();
      window = null;
      tick = timers.endOfTick(atEndOfTick);
    }
  }

  function sendBatch(batch: Caller<I, R>[], reason: BatchFlushReason): void {
    const callers = batch.filter((caller) => !caller.left);
    if (callers.length === 0) return;
    onFlush?.({ size: callers.length, reason });

    let answered = false;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      landed();
    };
    const request = new Subscription(end);
    const stopIfAbandoned = (): void => {
      if (!answered && callers.every((caller) => caller.left)) request.unsubscribe();
    };
    for (const caller of callers) caller.onLeave = stopIfAbandoned;

    inFlight += 1;
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
            end();
            deliver(callers, results);
          },
          error: (error: unknown) => {
            answered = true;
            end();
            for (const { subscriber } of callers) subscriber.error(error);
          },
          complete: () => {
            end();
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
        hold(caller);
        return () => {
          caller.left = true;
          caller.onLeave?.();
          // A held caller that leaves is dropped at once, so that it holds no timer for nobody.
          if (!caller.onLeave && held.every((other) => other.left)) {
            held = [];
            stopTimers();
          }
        };
      }),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (held.length > 0) flush('complete');
      stopTimers();
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
