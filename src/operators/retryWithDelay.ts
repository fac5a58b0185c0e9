import { asyncScheduler, Observable, Subscription, type MonoTypeOperatorFunction, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { isServiceError } from '../errors';
import { MAX_TIMER_MS } from '../hub';
import { Relay, type Sink } from '../relay';

const DEFAULT_MAX_DELAY = 30_000;
const DEFAULT_FACTOR = 2;
const DEFAULT_JITTER = 0.2;
const DEFAULT_MAX_RETRY_AFTER = 60_000;

/** What {@link retryWithDelay} reports just before it waits to try again. */
export interface RetryInfo {
  /** Which retry this is: 1 for the first retry, 2 for the second… */
  attempt: number;
  /** How long it waits before resubscribing, in ms. */
  delay: number;
  /** The error that made the previous attempt fail. */
  error: unknown;
}

/** The shape of the exponential backoff, shared by {@link retryWithDelay} and {@link computeBackoff}. */
export interface BackoffConfig {
  /** The wait before the first retry, in ms, before jitter. */
  delay: number;
  /** The longest wait between two attempts, in ms; jitter never goes above it. Default 30 000. */
  maxDelay?: number;
  /** How much the wait grows from one retry to the next. Default 2. */
  factor?: number;
  /**
   * How much of the wait is random, as a fraction from 0 to 1: the wait is drawn uniformly
   * from `[d * (1 - jitter), d]`, so that clients failing together do not retry together.
   * Default 0.2.
   */
  jitter?: number;
}

/** How {@link retryWithDelay} retries. */
export interface RetryWithDelayConfig extends BackoffConfig {
  /** How many retries after the first try; 0 means the first error passes through at once. */
  count: number;
  /** The longest wait a server may ask for with `Retry-After`, in ms. Default 60 000. */
  maxRetryAfter?: number;
  /**
   * Whether an error is worth another try; `attempt` is the retry being considered
   * (1 for the first). Default {@link defaultShouldRetry}.
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called just before each wait, for example to emit an `operation_retry` event; must not throw. */
  onRetry?: (info: RetryInfo) => void;
  /** The source of randomness for the jitter, returning a number in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Where the waits are scheduled. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * The retry rule of the orchestrator: only a {@link ServiceError} that is retryable (network,
 * timeout, 5xx, 429) and whose call is idempotent; a POST not marked idempotent is never repeated.
 *
 * @example
 * // Also retry a 409 once, otherwise keep the default rule.
 * const shouldRetry = (err: unknown, attempt: number) =>
 *   (isServiceError(err) && err.status === 409 && attempt === 1) || defaultShouldRetry(err, attempt);
 * source$.pipe(retryWithDelay({ count: 3, delay: 1000, shouldRetry }));
 */
export function defaultShouldRetry(error: unknown, _attempt: number): boolean {
  return isServiceError(error) && error.retryable && error.idempotent;
}

/**
 * The wait before retry number `attempt` (1 for the first): `min(maxDelay, delay * factor^(attempt - 1))`,
 * less up to `jitter` of it at random. Never above the cap, never below `d * (1 - jitter)`.
 *
 * @example
 * computeBackoff(3, { delay: 100, jitter: 0 }); // 400
 */
export function computeBackoff(attempt: number, config: BackoffConfig, random: () => number = Math.random): number {
  const { delay, maxDelay = DEFAULT_MAX_DELAY, factor = DEFAULT_FACTOR, jitter = DEFAULT_JITTER } = config;
  if (delay <= 0 || maxDelay <= 0) return 0;
  // Past a few hundred retries factor^n overflows to Infinity; the cap still applies.
  const ceiling = Math.min(maxDelay, delay * Math.pow(factor, Math.max(0, attempt - 1)));
  const draw = Math.min(1, Math.max(0, random()));
  return ceiling * (1 - jitter * draw);
}

/**
 * Resubscribes to the source after a retryable error, waiting an exponential backoff with jitter,
 * or what the server asked for with `Retry-After`. A cold source is re-executed on each attempt.
 * When it gives up, the last error passes through with `attempts` set (for a {@link ServiceError}).
 * Unsubscribing during a wait cancels it.
 *
 * @example
 * getDocument$(id).pipe(
 *   timeoutAfter(30_000, { service: 'content', endpoint: 'GET /api/v1/documents/{id}' }),
 *   retryWithDelay({ count: 3, delay: 1000, onRetry: (info) => emit({ type: 'operation_retry', ...info }) }),
 * );
 */
export function retryWithDelay<T>(config: RetryWithDelayConfig): MonoTypeOperatorFunction<T> {
  assertValid(config);
  const {
    count,
    maxRetryAfter = DEFAULT_MAX_RETRY_AFTER,
    shouldRetry = defaultShouldRetry,
    onRetry,
    random = Math.random,
    scheduler = asyncScheduler,
  } = config;

  const waitBefore = (attempt: number, error: unknown): number =>
    isServiceError(error) && error.retryAfterMs !== undefined
      ? Math.max(0, Math.min(error.retryAfterMs, maxRetryAfter))
      : computeBackoff(attempt, config, random);
  const rule: RetryRule = { count, shouldRetry, waitBefore, onRetry, scheduler };

  // One Observable, one object per subscription and one relay per attempt, rather than rxjs's
  // `retry` between two `defer`s: this wraps every service call, and holds all of it while it is out.
  return (source: Observable<T>) =>
    new Observable<T>((subscriber) => {
      const run = new RetryRun(subscriber, source, rule);
      run.attempt();
      return run;
    });
}

/** What a {@link RetryRun} decides with: the config, resolved once per operator. */
interface RetryRule {
  count: number;
  shouldRetry: (error: unknown, attempt: number) => boolean;
  waitBefore: (attempt: number, error: unknown) => number;
  onRetry: ((info: RetryInfo) => void) | undefined;
  scheduler: SchedulerLike;
}

/**
 * One subscription to a retried source: its attempts one after the other, and the wait between
 * two. Counted per subscription, so two subscriptions to the same pipeline do not share a tally.
 */
class RetryRun<T> extends Subscription {
  private attempts = 0;
  private wait: Subscription | null = null;
  /** The attempt out now: a field rather than `add`, which would make an array per call for one finalizer. */
  private current: Subscription | null = null;

  constructor(
    readonly destination: Sink<T>,
    private readonly source: Observable<T>,
    private readonly rule: RetryRule,
  ) {
    super();
  }

  attempt(): void {
    this.wait = null;
    if (this.closed) return;
    this.attempts += 1;
    const relay = new AttemptRelay(this);
    this.current = relay;
    this.source.subscribe(relay);
  }

  /** The attempt failed: wait and try again, or give up with its error. */
  failed(error: unknown): void {
    const { attempts, rule } = this;
    if (attempts <= rule.count && rule.shouldRetry(error, attempts)) {
      const delay = rule.waitBefore(attempts, error);
      rule.onRetry?.({ attempt: attempts, delay, error });
      this.wait = rule.scheduler.schedule(attemptAgain, delay, this);
      return;
    }
    if (isServiceError(error)) error.attempts = attempts;
    this.destination.error(error);
  }

  override unsubscribe(): void {
    this.wait?.unsubscribe();
    this.wait = null;
    this.current?.unsubscribe();
    this.current = null;
    super.unsubscribe();
  }
}

/** One attempt: values and the end pass on; an error goes to its run, which decides. */
class AttemptRelay<T> extends Relay<T> {
  constructor(private readonly run: RetryRun<T>) {
    super(run.destination);
  }

  protected override onError(error: unknown): void {
    this.run.failed(error);
  }
}

/** The wait's work: a plain function, the run its state, so that no closure is made per retry. */
function attemptAgain(this: SchedulerAction<{ attempt(): void }>, run?: { attempt(): void }): void {
  run?.attempt();
}

function assertValid(config: RetryWithDelayConfig): void {
  const { count, delay, maxDelay, factor, jitter, maxRetryAfter } = config;
  if (!(count === Infinity || (Number.isInteger(count) && count >= 0))) {
    throw new RangeError(`retryWithDelay: count must be a whole number >= 0, got ${count}`);
  }
  // Node fires a timer of 2^31 ms or more after 1 ms, so every wait is bounded by its longest timer.
  const timer = (value: number): boolean => value >= 0 && value <= MAX_TIMER_MS;
  if (!timer(delay)) throw new RangeError(`retryWithDelay: delay must be between 0 and ${MAX_TIMER_MS} ms, got ${delay}`);
  if (maxDelay !== undefined && !timer(maxDelay)) {
    throw new RangeError(`retryWithDelay: maxDelay must be between 0 and ${MAX_TIMER_MS} ms, got ${maxDelay}`);
  }
  if (factor !== undefined && !(factor >= 1)) throw new RangeError(`retryWithDelay: factor must be >= 1, got ${factor}`);
  if (jitter !== undefined && !(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(`retryWithDelay: jitter must be between 0 and 1, got ${jitter}`);
  }
  if (maxRetryAfter !== undefined && !timer(maxRetryAfter)) {
    throw new RangeError(`retryWithDelay: maxRetryAfter must be between 0 and ${MAX_TIMER_MS} ms, got ${maxRetryAfter}`);
  }
}
