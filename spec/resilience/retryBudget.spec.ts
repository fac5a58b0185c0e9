import { defer, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { CallInfo } from '../../src/clients/http';
import { ServiceError } from '../../src/errors';
import { perService } from '../../src/hub';
import { createCallPolicy, type RetryBudgetReport, type RetryReport } from '../../src/resilience/callPolicy';
import { CircuitBreaker } from '../../src/resilience/circuitBreaker';
import { RetryBudget } from '../../src/resilience/retryBudget';

/** A clock the tests move by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Asks for a retry and, when granted, makes it: the retry is an attempt the service receives. */
function retried(budget: RetryBudget): boolean {
  const granted = budget.tryRetry();
  if (granted) budget.recordAttempt();
  return granted;
}

describe('RetryBudget', () => {
  it('allows retries up to ratio × requests plus the floor, and no more', () => {
    const clock = manualClock();
    // floor: 1 per second over 10 s = 10 retries
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10_000, now: clock.now });
    for (let i = 0; i < 100; i += 1) budget.recordAttempt();
    let granted = 0;
    while (budget.tryRetry()) {
      granted += 1;
      // each granted retry is an attempt the service receives
      budget.recordAttempt();
    }
    expect(granted).toBe(30);
    expect(budget.state()).toEqual({ requests: 100, retries: 30, allowed: 30 });
  });

  it('lets a quiet client retry on the floor alone', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0.3, windowMs: 10_000, now: clock.now });
    budget.recordAttempt();
    expect([retried(budget), retried(budget), retried(budget), retried(budget)]).toEqual([true, true, true, false]);
  });

  it('with no floor and a ratio of 0, refuses every retry', () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0, windowMs: 1_000, now: manualClock().now });
    for (let i = 0; i < 50; i += 1) budget.recordAttempt();
    expect(budget.tryRetry()).toBe(false);
  });

  it('forgets requests and retries once they slide out of the window', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 10_000, now: clock.now });
    for (let i = 0; i < 10; i += 1) budget.recordAttempt();
    for (let i = 0; i < 5; i += 1) expect(retried(budget)).toBe(true);
    expect(retried(budget)).toBe(false);
    // 9.9 s later the first bucket is still in the window
    clock.advance(9_900);
    expect(budget.tryRetry()).toBe(false);
    // at 10 s it has slid out: no requests, no retries, nothing allowed
    clock.advance(100);
    expect(budget.state()).toEqual({ requests: 0, retries: 0, allowed: 0 });
    for (let i = 0; i < 4; i += 1) budget.recordAttempt();
    expect([retried(budget), retried(budget), retried(budget)]).toEqual([true, true, false]);
  });

  it('slides bucket by bucket: requests of 5 s ago still count, those of 10 s ago do not', () => {
    const clock = manualClock();
    const budget = new RetryBudget({ ratio: 1, minRetriesPerSecond: 0, windowMs: 10_000, now: clock.now });
    budget.recordAttempt();
    clock.advance(5_000);
    budget.recordAttempt();
    expect(budget.state().requests).toBe(2);
    clock.advance(5_000);
    expect(budget.state().requests).toBe(1);
    clock.advance(60_000);
    expect(budget.state().requests).toBe(0);
  });

  it('rejects a negative ratio or floor and an empty window', () => {
    expect(() => new RetryBudget({ ratio: -1, minRetriesPerSecond: 1, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => new RetryBudget({ ratio: 0.2, minRetriesPerSecond: -1, windowMs: 1_000 })).toThrow(RangeError);
    expect(() => new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowMs: 0 })).toThrow(RangeError);
  });
});

const GET_DOCUMENT: CallInfo = {
  service: 'content',
  route: 'getDocument',
  endpoint: 'GET /api/v1/documents/{id}',
  method: 'GET',
  idempotent: true,
  extension: false,
  authenticated: false,
};

const unavailable = (): ServiceError =>
  new ServiceError({ service: 'content', endpoint: GET_DOCUMENT.endpoint, method: 'GET', code: 'http', status: 503 });

describe('createCallPolicy with retry budgets', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  function policyWith(budget: RetryBudget | undefined) {
    const retries: RetryReport[] = [];
    const refused: RetryBudgetReport[] = [];
    const breakers = perService((service) => new CircuitBreaker({ service, failureThreshold: 1_000, resetTimeout: 1_000 }));
    const retryBudgets = budget ? perService(() => budget) : undefined;
    const policy = createCallPolicy({
      timeout: 1_000,
      retry: { count: 3, delay: 10, maxDelay: 10 },
      breakers,
      retryBudgets,
      onRetry: (report) => retries.push(report),
      onRetryRefused: (report) => refused.push(report),
    });
    return { wrap: policy.wrap({ operationId: 'op-1', operation: 'processDocumentWithAI' }), retries, refused };
  }

  /** A call that fails with a 503 on its first `failures` attempts, then answers `ok`; counts its attempts. */
  function flaky(failures: number): { call$: Observable<string>; attempts: () => number } {
    let attempts = 0;
    return {
      call$: defer(() => {
        attempts += 1;
        return attempts <= failures ? throwError(unavailable) : testScheduler.createColdObservable('(o|)', { o: 'ok' });
      }),
      attempts: () => attempts,
    };
  }

  it('retries while the budget has retries left, then lets the failure through at once, saying why', () => {
    // 2 retries in all: no requests to earn more from (ratio 0), a floor of 2
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 1, windowMs: 2_000, now: () => testScheduler.now() });
    const { wrap, retries, refused } = policyWith(budget);
    const first = flaky(5);
    const second = flaky(5);
    const seen: { error: unknown; at: number }[] = [];
    testScheduler.run(() => {
      const record = (error: unknown): void => void seen.push({ error, at: testScheduler.now() });
      wrap(first.call$, GET_DOCUMENT).subscribe({ error: record });
      // a later call finds the budget spent: its first failure passes through at once
      testScheduler.schedule(() => wrap(second.call$, GET_DOCUMENT).subscribe({ error: record }), 100);
    });
    // two retries, each after 8–10 ms (the backoff's jitter), then the failure with no third wait
    expect(seen[0]?.error).toMatchObject({ notRetried: 'retry_budget_exhausted', attempts: 3 });
    expect(seen[0]?.at).toBeGreaterThanOrEqual(16);
    expect(seen[0]?.at).toBeLessThanOrEqual(20);
    expect(seen[1]).toEqual({ error: expect.objectContaining({ notRetried: 'retry_budget_exhausted', attempts: 1 }), at: 100 });
    expect(first.attempts()).toBe(3);
    expect(second.attempts()).toBe(1);
    expect(retries.map((report) => report.attempt)).toEqual([1, 2]);
    expect(refused).toEqual([
      expect.objectContaining({
        type: 'retry_budget_exhausted',
        operationId: 'op-1',
        service: 'content',
        endpoint: 'GET /api/v1/documents/{id}',
        attempt: 3,
        budget: { requests: 1, retries: 2, allowed: 2 },
      }),
      expect.objectContaining({ attempt: 1, budget: { requests: 2, retries: 2, allowed: 2 } }),
    ]);
  });

  it('earns retries back from requests that went through', () => {
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 10_000, now: () => testScheduler.now() });
    const { wrap } = policyWith(budget);
    const answers: string[] = [];
    const failing = flaky(1);
    testScheduler.run(() => {
      for (let i = 0; i < 2; i += 1) wrap(flaky(0).call$, GET_DOCUMENT).subscribe((answer) => answers.push(answer));
      // two requests earn one retry: a call failing once still succeeds
      wrap(failing.call$, GET_DOCUMENT).subscribe((answer) => answers.push(answer));
    });
    expect(answers).toEqual(['ok', 'ok', 'ok']);
    expect(failing.attempts()).toBe(2);
  });

  it('without a budget, retries up to retry.count as before', () => {
    const { wrap, refused } = policyWith(undefined);
    const call = flaky(5);
    let failure: unknown;
    testScheduler.run(() => wrap(call.call$, GET_DOCUMENT).subscribe({ error: (error: unknown) => (failure = error) }));
    expect(failure).toMatchObject({ attempts: 4 });
    expect(failure).not.toHaveProperty('notRetried');
    expect(call.attempts()).toBe(4);
    expect(refused).toEqual([]);
  });
});
