/** How a {@link RetryBudget} is sized. */
export interface RetryBudgetConfig {
  /** Retries allowed per request over the window: 0.2 lets retries add at most 20 % to the requests. */
  readonly ratio: number;
  /** Retries allowed per second of the window whatever the traffic, so that a quiet client can still retry. */
  readonly minRetriesPerSecond: number;
  /** The sliding window, in ms; kept in ten buckets, so it slides in steps of a tenth of it. */
  readonly windowMs: number;
  /** The clock, in ms. Default `Date.now`; tests move their own. */
  readonly now?: () => number;
}

/** What a budget holds now, for the event that reports it spent. */
export interface RetryBudgetState {
  /** Requests (first attempts) in the window. */
  requests: number;
  /** Retries granted in the window. */
  retries: number;
  /** Retries the window allows: `ratio × requests + minRetriesPerSecond × window seconds`. */
  allowed: number;
}

const BUCKETS = 10;

/**
 * A token bucket for retries, one per service: every attempt the service receives deposits, every
 * retry withdraws. Over a sliding window, retries may reach `ratio` of the requests plus a floor of
 * `minRetriesPerSecond` per second, and no more: when a service fails much of its traffic, retries
 * stop multiplying its load, while a rare failure is still retried. Shared by every operation of an
 * orchestrator.
 *
 * @example
 * const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10_000 });
 * budget.recordAttempt();
 * if (budget.tryRetry()) console.log('retrying');
 */
export class RetryBudget {
  private readonly attempts = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  private readonly bucketMs: number;
  private readonly floor: number;
  private readonly now: () => number;
  /** The bucket the current time falls in, and the time its span starts. */
  private head = 0;
  private headStart: number;
  private attemptTotal = 0;
  private retryTotal = 0;

  constructor(private readonly config: RetryBudgetConfig) {
    const { ratio, minRetriesPerSecond, windowMs } = config;
    if (!(ratio >= 0)) throw new RangeError(`RetryBudget: ratio must be >= 0, got ${ratio}`);
    if (!(minRetriesPerSecond >= 0)) throw new RangeError(`RetryBudget: minRetriesPerSecond must be >= 0, got ${minRetriesPerSecond}`);
    if (!(windowMs > 0 && Number.isFinite(windowMs))) throw new RangeError(`RetryBudget: windowMs must be > 0, got ${windowMs}`);
    this.bucketMs = windowMs / BUCKETS;
    this.floor = (minRetriesPerSecond * windowMs) / 1000;
    this.now = config.now ?? Date.now;
    this.headStart = this.now();
  }

  /** An attempt reached the service (a first try or a retry): first tries are what retries are counted against. */
  recordAttempt(): void {
    this.slide();
    this.attempts[this.head] = (this.attempts[this.head] as number) + 1;
    this.attemptTotal += 1;
  }

  /** Takes one retry from the budget if there is one left; false when it is spent. */
  tryRetry(): boolean {
    this.slide();
    if (this.retryTotal + 1 > this.allowed()) return false;
    this.retries[this.head] = (this.retries[this.head] as number) + 1;
    this.retryTotal += 1;
    return true;
  }

  /** The window's counts now. */
  state(): RetryBudgetState {
    this.slide();
    return { requests: this.requests(), retries: this.retryTotal, allowed: this.allowed() };
  }

  /** Retries granted are attempts too; what is left are the requests themselves. */
  private requests(): number {
    return Math.max(0, this.attemptTotal - this.retryTotal);
  }

  private allowed(): number {
    return this.config.ratio * this.requests() + this.floor;
  }

  /** Moves the head to the bucket of now, emptying the buckets that fell out of the window. */
  private slide(): void {
    const elapsed = this.now() - this.headStart;
    if (elapsed < this.bucketMs) return;
    // A clock that goes back (tests, NTP) just keeps the current bucket.
    const steps = Math.floor(elapsed / this.bucketMs);
    for (let step = 0; step < Math.min(steps, BUCKETS); step += 1) {
      this.head = (this.head + 1) % BUCKETS;
      this.attemptTotal -= this.attempts[this.head] as number;
      this.retryTotal -= this.retries[this.head] as number;
      this.attempts[this.head] = 0;
      this.retries[this.head] = 0;
    }
    this.headStart += steps * this.bucketMs;
  }
}
