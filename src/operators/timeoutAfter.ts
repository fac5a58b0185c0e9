import {
  asyncScheduler,
  identity,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerAction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { ServiceError } from '../errors';
import { MAX_TIMER_MS, type ServiceName } from '../hub';
import { Relay, type Sink } from '../relay';

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

  // One Observable and one relay rather than rxjs's `timeout`: this wraps every attempt of every service call.
  return (source) =>
    new Observable<T>((subscriber) => {
      const relay = new TimeoutRelay(subscriber, ms, info);
      relay.start(scheduler);
      source.subscribe(relay);
      return relay;
    });
}

/** One timed subscription: the timer runs until the first value, the end, or an unsubscribe. */
class TimeoutRelay<T> extends Relay<T> {
  private timer: Subscription | null = null;

  constructor(
    destination: Sink<T>,
    private readonly ms: number,
    private readonly info: TimeoutInfo,
  ) {
    super(destination);
  }

  start(scheduler: SchedulerLike): void {
    this.timer = scheduler.schedule(expire, this.ms, this);
  }

  /** No answer in time: the source is dropped (its request aborted), then the timeout is the error. */
  expire(): void {
    this.timer = null;
    const { destination, info, ms } = this;
    this.unsubscribe();
    destination.error(
      new ServiceError({
        service: info.service,
        endpoint: info.endpoint,
        method: info.method ?? 'GET',
        code: 'timeout',
        idempotent: info.idempotent,
        reason: `no answer within ${ms} ms`,
      }),
    );
  }

  protected override onNext(value: T): void {
    this.stopTimer();
    this.destination.next(value);
  }

  protected override onError(error: unknown): void {
    this.stopTimer();
    this.destination.error(error);
  }

  protected override onComplete(): void {
    this.stopTimer();
    this.destination.complete();
  }

  override unsubscribe(): void {
    this.stopTimer();
    super.unsubscribe();
  }

  private stopTimer(): void {
    const { timer } = this;
    if (!timer) return;
    this.timer = null;
    timer.unsubscribe();
  }
}

/** The timer's work: a plain function, the relay its state, so that no closure is made per attempt. */
function expire(this: SchedulerAction<{ expire(): void }>, relay?: { expire(): void }): void {
  relay?.expire();
}
