import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { isOutageError, ServiceError } from '../errors';
import type { CircuitState, ServiceName } from '../hub';
import { Relay, type Sink } from '../relay';

/** How a {@link CircuitBreaker} decides. */
export interface CircuitBreakerConfig {
  /** The service it guards, named in the `circuit_open` errors it raises. */
  service: ServiceName;
  /** Consecutive transport, timeout or 5xx failures that open the circuit. */
  failureThreshold: number;
  /** ms the circuit stays open before one probe call may go through. */
  resetTimeout: number;
  /** Called on every state change. */
  onStateChange?: (previous: CircuitState, current: CircuitState) => void;
  /** The clock, injectable for tests (default `Date.now`). */
  now?: () => number;
}

/** What a guarded call reports besides the breaker's own bookkeeping. */
export interface GuardObserver {
  /** The call was let through (it is about to be sent). */
  admitted?: () => void;
  /** The call failed, whatever the kind of failure. */
  failed?: (error: unknown) => void;
}

/**
 * A circuit breaker for one service. It needs no timer: an open circuit turns half-open when a
 * call arrives after `resetTimeout`, and exactly one such call (the probe) is let through; callers
 * arriving in the same tick while the probe is out fail fast.
 *
 * @example
 * const breaker = new CircuitBreaker({ service: 'content', failureThreshold: 5, resetTimeout: 30_000 });
 * getDocument$(id).pipe(breaker.guard({ endpoint: 'GET /api/v1/documents/{id}', method: 'GET' }));
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  /** The probe out now, if any: a token, so that only that probe's end frees the place. */
  private probe: object | null = null;
  private readonly now: () => number;

  constructor(private readonly config: CircuitBreakerConfig) {
    this.now = config.now ?? Date.now;
  }

  /** The state now, counting an elapsed open period as half-open. */
  get state(): CircuitState {
    return this.current === 'open' && this.now() - this.openedAt >= this.config.resetTimeout ? 'half_open' : this.current;
  }

  /** Records a success: a half-open (or open) circuit closes. */
  recordSuccess(): void {
    this.failures = 0;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** Records a failure; only outages (transport, timeout, 5xx: {@link isOutageError}) count. */
  recordFailure(error: unknown): void {
    if (!isOutageError(error)) return;
    this.failures += 1;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.config.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  /**
   * Guards each subscription: fails fast with `circuit_open` while open, lets one probe through when
   * half-open, and feeds every outcome back. Unsubscribing a probe frees its place without a verdict.
   * `observer` hears of each admitted call and each failure, for counting requests and errors.
   */
  guard<T>(call: { endpoint: string; method: string }, observer: GuardObserver = {}): MonoTypeOperatorFunction<T> {
    return (source) =>
      new Observable<T>((subscriber) => {
        const probe = this.admit();
        if (probe === undefined) {
          subscriber.error(this.rejection(call));
          return undefined;
        }
        observer.admitted?.();
        const relay = new GuardRelay(subscriber, this.verdicts, probe, observer);
        source.subscribe(relay);
        return relay;
      });
  }

  /** What a guarded call tells its breaker: made once per breaker, not per call. */
  private readonly verdicts: Verdicts = {
    succeeded: (probe) => {
      this.release(probe);
      this.recordSuccess();
    },
    failed: (probe, error) => {
      this.release(probe);
      this.recordFailure(error);
    },
    dropped: (probe) => this.release(probe),
  };

  /** A token for the probe, `null` for an ordinary call, `undefined` when rejected. */
  private admit(): object | null | undefined {
    if (this.current === 'closed') return null;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.config.resetTimeout) return undefined;
      this.transition('half_open');
    }
    if (this.probe) return undefined;
    this.probe = {};
    return this.probe;
  }

  private release(probe: object | null): void {
    if (probe && this.probe === probe) this.probe = null;
  }

  private rejection(call: { endpoint: string; method: string }): ServiceError {
    return new ServiceError({
      service: this.config.service,
      endpoint: call.endpoint,
      method: call.method,
      code: 'circuit_open',
      retryable: false,
      reason: `the ${this.config.service} circuit is open after repeated failures`,
    });
  }

  private transition(next: CircuitState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    if (next !== 'half_open') this.probe = null;
    this.config.onStateChange?.(previous, next);
  }
}

/** How a guarded call's outcome reaches its breaker; `probe` is the call's token (null for an ordinary call). */
interface Verdicts {
  succeeded(probe: object | null): void;
  failed(probe: object | null, error: unknown): void;
  /** Unsubscribed before any answer: the probe's place is freed, without a verdict. */
  dropped(probe: object | null): void;
}

/** One guarded call: its first value (the service's answer) is a success, even if the caller then stops listening. */
class GuardRelay<T> extends Relay<T> {
  private settled = false;

  constructor(
    destination: Sink<T>,
    private readonly verdicts: Verdicts,
    private readonly probe: object | null,
    private readonly observer: GuardObserver,
  ) {
    super(destination);
  }

  protected override onNext(value: T): void {
    this.succeed();
    this.destination.next(value);
  }

  protected override onError(error: unknown): void {
    this.settled = true;
    this.verdicts.failed(this.probe, error);
    this.observer.failed?.(error);
    this.destination.error(error);
  }

  protected override onComplete(): void {
    this.succeed();
    this.destination.complete();
  }

  override unsubscribe(): void {
    if (!this.settled) {
      this.settled = true;
      this.verdicts.dropped(this.probe);
    }
    super.unsubscribe();
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    this.verdicts.succeeded(this.probe);
  }
}
