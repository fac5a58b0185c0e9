import { asyncScheduler, identity, Observable, Subscription, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { ServiceError } from '../errors';
import { MAX_TIMER_MS, type ServiceName } from '../hub';

/** Which call a {@link timeoutAfter} guards, so that its timeout error names it. */
export interface TimeoutInfo {
  /** The service called. */
  service: ServiceName;
  /** Method and route template, for example `GET /api/v1/documents/{id}`. */
  endpoint: string;
  /** The HTTP method of the call. Default `GET`. */
  method?: string;
  /** Whether the call may be repeated safely; decides whether the timeout is retried. Default: not a POST. */
  idempotent?: boolean;
}

/**
 * Fails with a `timeout` {@link ServiceError} when the source emits nothing within `ms` of being
 * subscribed, and unsubscribes from it, which aborts the HTTP request of a cold service call.
 *
 * Only the first value is timed: a service call answers with one value, and once it has answered
 * the call is no longer slow. The clock starts on each subscription, so placed before
 * `retryWithDelay` it bounds each attempt, not the whole. A value arriving after the timeout is
 * never seen. `ms = Infinity` turns the timeout off; above 2^31 - 1 ms (Node's longest timer) it throws.
 *
 * @example
 * getDocument$(id).pipe(
 *   timeoutAfter(30_000, { service: 'content', endpoint: 'GET /api/v1/documents/{id}' }),
 *   retryWithDelay({ count: 3, delay: 1000 }),
 * );
 */
export function timeoutAfter<T>(ms: number, info: TimeoutInfo, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
  // Node fires a timer of 2^31 ms or more after 1 ms: such a timeout would fail every call at once.
  if (!(ms >= 0 && (ms <= MAX_TIMER_MS || ms === Infinity))) {
    throw new RangeError(`timeoutAfter: ms must be between 0 and ${MAX_TIMER_MS} (2^31 - 1), or Infinity, got ${ms}`);
  }
  // A timer of Infinity ms would fire at once in Node (it is clamped to 1 ms), so none is started.
  if (ms === Infinity) return identity;

  // One Observable rather than rxjs's `timeout`: this wraps every attempt of every service call.
  return (source) =>
    new Observable<T>((subscriber) => {
      let answered = false;
      const subscription = new Subscription();
      const timer = scheduler.schedule(() => {
        subscription.unsubscribe();
        subscriber.error(
          new ServiceError({
            service: info.service,
            endpoint: info.endpoint,
            method: info.method ?? 'GET',
            code: 'timeout',
            idempotent: info.idempotent,
            reason: `no answer within ${ms} ms`,
          }),
        );
      }, ms);
      const stopTimer = (): void => {
        answered = true;
        timer.unsubscribe();
      };
      subscription.add(
        source.subscribe({
          next: (value) => {
            if (!answered) stopTimer();
            subscriber.next(value);
          },
          error: (error: unknown) => {
            stopTimer();
            subscriber.error(error);
          },
          complete: () => {
            stopTimer();
            subscriber.complete();
          },
        }),
      );
      return () => {
        timer.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
