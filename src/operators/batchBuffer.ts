import { MAX_TIMER_MS } from '../hub';
import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/** Why a batch was closed: it was full, its window ran out, or the source completed. */
export type BatchCloseReason = 'size' | 'window' | 'complete';

/** How {@link batchBuffer} groups items. */
export interface BatchBufferConfig {
  /** The most items in one batch; a batch that reaches it is emitted at once. At least 1. */
  size: number;
  /**
   * How long a batch stays open, in ms, counted from its first item (not a periodic clock).
   * `Infinity` closes batches only by size or on completion.
   */
  windowMs: number;
  /** Where the window timers are scheduled. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Called synchronously just before each batch is emitted, with its size and why it closed. */
  onClose?: (info: { size: number; reason: BatchCloseReason }) => void;
}

/**
 * Groups source items into arrays of at most `size`, each emitted when full or `windowMs` after
 * its first item arrived, whichever comes first. Never emits an empty array and holds no timer
 * while it holds no item. On completion it emits what it holds, then completes; on error it
 * errors at once and the held items are dropped (there is nobody left to hand them to).
 *
 * @example
 * notificationRequests$.pipe(
 *   batchBuffer({ size: 10, windowMs: 20 }),
 *   mergeMap((batch) => communication.createBulkNotifications$(batch)),
 * );
 */
export function batchBuffer<T>(config: BatchBufferConfig): OperatorFunction<T, T[]> {
  const { size, windowMs, scheduler = asyncScheduler, onClose } = config;
  if (!(Number.isInteger(size) && size >= 1)) {
    throw new RangeError(`batchBuffer: size must be a whole number >= 1, got ${size}`);
  }
  if (!(windowMs >= 0 && (windowMs <= MAX_TIMER_MS || windowMs === Infinity))) {
    throw new RangeError(`batchBuffer: windowMs must be between 0 and ${MAX_TIMER_MS} (2^31 - 1), or Infinity, got ${windowMs}`);
  }

  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let windowTimer: Subscription | null = null;

      const stopWindow = (): void => {
        windowTimer?.unsubscribe();
        windowTimer = null;
      };

      const close = (reason: BatchCloseReason): void => {
        stopWindow();
        if (batch.length === 0) return;
        // Reset before emitting: a subscriber may push new items synchronously while handling this batch.
        const closed = batch;
        batch = [];
        onClose?.({ size: closed.length, reason });
        subscriber.next(closed);
      };

      const sourceSubscription = source.subscribe({
        next: (item) => {
          batch.push(item);
          if (batch.length >= size) close('size');
          else if (batch.length === 1 && windowMs !== Infinity) {
            windowTimer = scheduler.schedule(() => close('window'), windowMs);
          }
        },
        error: (error: unknown) => {
          stopWindow();
          batch = [];
          subscriber.error(error);
        },
        complete: () => {
          close('complete');
          subscriber.complete();
        },
      });

      return () => {
        sourceSubscription.unsubscribe();
        stopWindow();
        batch = [];
      };
    });
}
