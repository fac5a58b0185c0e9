import { defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ServiceError, type ServiceErrorInit } from '../../src/errors';
import { computeBackoff, defaultShouldRetry, retryWithDelay, type RetryInfo } from '../../src/operators/retryWithDelay';

function serviceError(init: Partial<ServiceErrorInit> = {}): ServiceError {
  return new ServiceError({
    service: 'content',
    endpoint: 'GET /api/v1/documents/{id}',
    method: 'GET',
    code: 'http',
    status: 503,
    ...init,
  });
}

/** A random source that always draws 0, so the wait is exactly the backoff ceiling. */
const noJitter = (): number => 0;

describe('retryWithDelay', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('retries a 503 twice with exponential waits, then gives up with attempts = 3', () => {
    const error = serviceError();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 2, delay: 10, random: noJitter }));

      // fails at 2, waits 10 -> 12, fails at 14, waits 20 -> 34, fails at 36 for good
      expectObservable(result).toBe('36ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['^-!', '12ms ^-!', '34ms ^-!']);
    });
    expect(error.attempts).toBe(3);
  });

  it('waits delay * factor^(attempt - 1) before each retry', () => {
    const error = serviceError({ code: 'network', status: undefined });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 3, delay: 5, factor: 3, random: noJitter }));

      // waits 5, 15, 45
      expectObservable(result).toBe('65ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '5ms (^!)', '20ms (^!)', '65ms (^!)']);
    });
    expect(error.attempts).toBe(4);
  });

  it('re-executes a cold source and emits the value of the attempt that succeeds', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#', undefined, serviceError({ code: 'timeout', status: undefined }));
      const succeeding = cold('-a|');
      let executions = 0;
      const call$ = defer(() => (executions++ === 0 ? failing : succeeding));

      expectObservable(call$.pipe(retryWithDelay({ count: 3, delay: 10, random: noJitter }))).toBe('12ms a|');
      expectSubscriptions(failing.subscriptions).toBe('^!');
      expectSubscriptions(succeeding.subscriptions).toBe('11ms ^-!');
    });
  });

  it('never exceeds maxDelay', () => {
    const error = serviceError();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 3, delay: 10, maxDelay: 25, random: noJitter }));

      // waits 10, then 20, then min(25, 40) = 25
      expectObservable(result).toBe('55ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)', '30ms (^!)', '55ms (^!)']);
    });
  });

  it('applies jitter from the injected random source', () => {
    const error = serviceError();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 1, delay: 100, jitter: 0.2, random: () => 0.5 }));

      // 100 * (1 - 0.2 * 0.5) = 90
      expectObservable(result).toBe('90ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '90ms (^!)']);
    });
  });

  it('waits what Retry-After asks for, without jitter, instead of the backoff', () => {
    const error = serviceError({ status: 429, retryAfterMs: 70 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 1, delay: 10, jitter: 1, random: () => 0.99 }));

      expectObservable(result).toBe('70ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '70ms (^!)']);
    });
  });

  it('caps Retry-After at maxRetryAfter', () => {
    const error = serviceError({ status: 503, retryAfterMs: 120_000 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 1, delay: 10, maxRetryAfter: 40, random: noJitter }));

      expectObservable(result).toBe('40ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '40ms (^!)']);
    });
  });

  it('caps Retry-After at 60 s by default', () => {
    const error = serviceError({ status: 503, retryAfterMs: 120_000 });
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      source.pipe(retryWithDelay({ count: 1, delay: 10 })).subscribe({ error: () => undefined });

      expectSubscriptions(source.subscriptions).toBe(['(^!)', '60s (^!)']);
    });
  });

  it.each([
    ['a 400', serviceError({ status: 400 })],
    ['a 404', serviceError({ status: 404 })],
    ['a schema mismatch', serviceError({ code: 'validation', status: undefined })],
    ['an auth failure', serviceError({ code: 'auth', status: 401 })],
    ['an open circuit', serviceError({ code: 'circuit_open', status: undefined })],
    ['an aborted call', serviceError({ code: 'aborted', status: undefined })],
    [
      'a connection reset on a POST not marked idempotent',
      serviceError({ code: 'network', status: undefined, method: 'POST', endpoint: 'POST /api/v1/workflows' }),
    ],
    ['a 503 on a POST not marked idempotent', serviceError({ method: 'POST', endpoint: 'POST /api/v1/workflows' })],
  ])('lets %s pass through at once, with one subscription', (_name, error) => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, error);
      expectObservable(source.pipe(retryWithDelay({ count: 3, delay: 10 }))).toBe('--#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
    expect(error.attempts).toBe(1);
  });

  it('lets an error that is not a ServiceError pass through at once', () => {
    const error = new Error('boom');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, error);
      expectObservable(source.pipe(retryWithDelay({ count: 3, delay: 10 }))).toBe('-#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('retries a POST marked idempotent', () => {
    const error = serviceError({ method: 'POST', idempotent: true, endpoint: 'POST /api/v1/search' });
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      source.pipe(retryWithDelay({ count: 1, delay: 10, random: noJitter })).subscribe({ error: () => undefined });
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)']);
    });
    expect(error.attempts).toBe(2);
  });

  it('with count 0 never retries and reports one attempt', () => {
    const error = serviceError({ attempts: 7 });
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, error);
      expectObservable(source.pipe(retryWithDelay({ count: 0, delay: 10 }))).toBe('-#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
    expect(error.attempts).toBe(1);
  });

  it('stops when a custom shouldRetry says no, and passes it the retry number', () => {
    const error = serviceError();
    const shouldRetry = jest.fn((_error: unknown, attempt: number) => attempt < 2);
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 5, delay: 10, shouldRetry, random: noJitter }));

      expectObservable(result).toBe('10ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)']);
    });
    expect(shouldRetry.mock.calls).toEqual([
      [error, 1],
      [error, 2],
    ]);
    expect(error.attempts).toBe(2);
  });

  it('cancels the wait when unsubscribed during it: no resubscription, no late error', () => {
    const error = serviceError();
    const onRetry = jest.fn();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', undefined, error);
      const result = source.pipe(retryWithDelay({ count: 3, delay: 10, random: noJitter, onRetry }));

      // fails at 2, would resubscribe at 12; unsubscribed at 6
      expectObservable(result, '^-----!').toBe('-------');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('calls onRetry just before each wait with the attempt, the wait and the error', () => {
    const error = serviceError();
    const calls: Array<{ at: number; info: RetryInfo }> = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('--#', undefined, error);
      const onRetry = (info: RetryInfo): void => {
        calls.push({ at: testScheduler.now(), info });
      };
      const result = source.pipe(retryWithDelay({ count: 2, delay: 10, random: noJitter, onRetry }));
      expectObservable(result).toBe('36ms #', undefined, error);
    });
    expect(calls).toEqual([
      { at: 2, info: { attempt: 1, delay: 10, error } },
      { at: 14, info: { attempt: 2, delay: 20, error } },
    ]);
  });

  it('counts attempts per subscription', () => {
    const first = serviceError();
    const second = serviceError({ status: 400 });
    testScheduler.run(({ cold, expectObservable }) => {
      const errors = [first, first, second];
      let executions = 0;
      const call$ = defer(() => cold('-#', undefined, errors[executions++]));
      const result = call$.pipe(retryWithDelay({ count: 1, delay: 5, random: noJitter }));

      expectObservable(result).toBe('7ms #', undefined, first);
      expectObservable(result, '20ms ^').toBe('21ms #', undefined, second);
    });
    expect(first.attempts).toBe(2);
    expect(second.attempts).toBe(1);
  });

  it('rejects a negative count or a jitter outside 0..1', () => {
    expect(() => retryWithDelay({ count: -1, delay: 10 })).toThrow(/count/);
    expect(() => retryWithDelay({ count: 1, delay: 10, jitter: 1.5 })).toThrow(/jitter/);
    expect(() => retryWithDelay({ count: 1, delay: -5 })).toThrow(/delay/);
  });
});

describe('defaultShouldRetry', () => {
  it.each([
    ['a network error on a GET', { code: 'network' as const }, true],
    ['a timeout on a GET', { code: 'timeout' as const }, true],
    ['a 500', { code: 'http' as const, status: 500 }, true],
    ['a 503', { code: 'http' as const, status: 503 }, true],
    ['a 429', { code: 'http' as const, status: 429 }, true],
    ['a 400', { code: 'http' as const, status: 400 }, false],
    ['a 409', { code: 'http' as const, status: 409 }, false],
    ['a validation error', { code: 'validation' as const }, false],
    ['an unsupported route', { code: 'unsupported' as const, status: 404 }, false],
    ['an aborted call', { code: 'aborted' as const }, false],
    ['an auth failure', { code: 'auth' as const, status: 401 }, false],
    ['an open circuit', { code: 'circuit_open' as const }, false],
    ['a network error on a POST', { code: 'network' as const, method: 'POST' }, false],
    ['a 503 on a POST', { code: 'http' as const, status: 503, method: 'POST' }, false],
    ['a 503 on a POST marked idempotent', { code: 'http' as const, status: 503, method: 'POST', idempotent: true }, true],
    ['a 503 on a PUT marked not idempotent', { code: 'http' as const, status: 503, method: 'PUT', idempotent: false }, false],
    ['a 400 marked retryable on purpose', { code: 'http' as const, status: 400, retryable: true }, true],
  ])('%s -> %s', (_name, init, expected) => {
    const error = new ServiceError({ service: 'workflow', endpoint: 'X /y', method: 'GET', ...init });
    expect(defaultShouldRetry(error, 1)).toBe(expected);
  });

  it('never retries what is not a ServiceError', () => {
    expect(defaultShouldRetry(new Error('ECONNRESET'), 1)).toBe(false);
    expect(defaultShouldRetry({ retryable: true, idempotent: true }, 1)).toBe(false);
    expect(defaultShouldRetry(undefined, 1)).toBe(false);
  });
});

describe('computeBackoff', () => {
  const draws = [0, 1e-9, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999, 1 - Number.EPSILON];

  it('grows by factor from delay', () => {
    expect([1, 2, 3, 4].map((attempt) => computeBackoff(attempt, { delay: 100, jitter: 0 }))).toEqual([100, 200, 400, 800]);
    expect(computeBackoff(3, { delay: 100, factor: 3, jitter: 0 })).toBe(900);
  });

  it('stays within [d * (1 - jitter), d] for any draw, including 0 and almost 1', () => {
    for (const attempt of [1, 2, 5]) {
      const ceiling = 100 * 2 ** (attempt - 1);
      for (const draw of draws) {
        const wait = computeBackoff(attempt, { delay: 100, jitter: 0.2 }, () => draw);
        expect(wait).toBeLessThanOrEqual(ceiling);
        expect(wait).toBeGreaterThanOrEqual(ceiling * 0.8);
      }
    }
    expect(computeBackoff(1, { delay: 100, jitter: 0.2 }, () => 0)).toBe(100);
    expect(computeBackoff(1, { delay: 100, jitter: 0.2 }, () => 1 - Number.EPSILON)).toBeCloseTo(80, 6);
  });

  it('uses a default jitter of 20% drawn from Math.random', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      expect(computeBackoff(1, { delay: 100 })).toBe(90);
    } finally {
      spy.mockRestore();
    }
  });

  it('spreads the waits over the whole jitter range', () => {
    const waits = Array.from({ length: 1000 }, (_, i) => computeBackoff(2, { delay: 100, jitter: 0.5 }, () => i / 1000));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(100);
    expect(Math.min(...waits)).toBeLessThan(101);
    expect(Math.max(...waits)).toBe(200);
  });

  it('never goes above the cap, even with jitter, and survives huge attempt numbers', () => {
    for (const draw of draws) {
      const wait = computeBackoff(10, { delay: 100, maxDelay: 1000, jitter: 0.3 }, () => draw);
      expect(wait).toBeLessThanOrEqual(1000);
      expect(wait).toBeGreaterThanOrEqual(700);
    }
    expect(computeBackoff(5000, { delay: 100, jitter: 0 })).toBe(30_000);
    expect(computeBackoff(5000, { delay: 0 })).toBe(0);
  });

  it('clamps a random source that strays outside [0, 1]', () => {
    expect(computeBackoff(1, { delay: 100, jitter: 0.2 }, () => 5)).toBe(80);
    expect(computeBackoff(1, { delay: 100, jitter: 0.2 }, () => -3)).toBe(100);
  });
});
