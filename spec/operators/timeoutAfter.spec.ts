import { defer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ServiceError } from '../../src/errors';
import { retryWithDelay } from '../../src/operators/retryWithDelay';
import { timeoutAfter, type TimeoutInfo } from '../../src/operators/timeoutAfter';

const getDocument: TimeoutInfo = { service: 'content', endpoint: 'GET /api/v1/documents/{id}' };

/** Matches the timeout error of `getDocument` after `ms`. */
function timeoutError(ms: number, extra: Record<string, unknown> = {}): unknown {
  return expect.objectContaining({
    name: 'ServiceError',
    code: 'timeout',
    service: 'content',
    endpoint: 'GET /api/v1/documents/{id}',
    method: 'GET',
    retryable: true,
    message: `content GET /api/v1/documents/{id} failed with timeout: no answer within ${ms} ms`,
    ...extra,
  });
}

describe('timeoutAfter', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('fails with a timeout ServiceError naming the service and the endpoint', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-----a|');
      expectObservable(source.pipe(timeoutAfter(3, getDocument))).toBe('---#', undefined, timeoutError(3));
    });
  });

  it('raises an instance of ServiceError', () => {
    const errors: unknown[] = [];
    testScheduler.run(({ cold }) => {
      cold('-----a|')
        .pipe(timeoutAfter(3, getDocument))
        .subscribe({ error: (error) => errors.push(error) });
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ServiceError);
  });

  it('unsubscribes from the source at the timeout and drops its late value', () => {
    const values: string[] = [];
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-----a|');
      const result = source.pipe(timeoutAfter(3, getDocument));
      result.subscribe({ next: (value) => values.push(value), error: () => undefined });

      expectObservable(result).toBe('---#', undefined, timeoutError(3));
      expectSubscriptions(source.subscriptions).toBe(['^--!', '^--!']);
    });
    expect(values).toEqual([]);
  });

  it('lets a value that arrives in time through, and completes with the source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a|');
      expectObservable(source.pipe(timeoutAfter(3, getDocument))).toBe('--a|');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('times the first value only: later values may take as long as they like', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-------b|');
      expectObservable(source.pipe(timeoutAfter(3, getDocument))).toBe('-a-------b|');
    });
  });

  it('lets a source error through before the timeout', () => {
    const error = new Error('reset');
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-#', undefined, error).pipe(timeoutAfter(3, getDocument))).toBe('-#', undefined, error);
    });
  });

  it('carries the method and idempotency of the call, so a POST timeout is not retried by default', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const info: TimeoutInfo = { service: 'workflow', endpoint: 'POST /api/v1/executions', method: 'post' };
      expectObservable(cold('-----a|').pipe(timeoutAfter(2, info))).toBe(
        '--#',
        undefined,
        expect.objectContaining({ service: 'workflow', endpoint: 'POST /api/v1/executions', method: 'POST', idempotent: false }),
      );
    });
  });

  it('starts its clock on each subscription', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const result = cold('-----a|').pipe(timeoutAfter(3, getDocument));
      expectObservable(result, '4ms ^').toBe('7ms #', undefined, timeoutError(3));
    });
  });

  it('placed before retryWithDelay, bounds each attempt: times out, retries, then succeeds', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('------a|');
      const fast = cold('-b|');
      let attempt = 0;
      const call$ = defer(() => (attempt++ === 0 ? slow : fast));

      const result = call$.pipe(timeoutAfter(3, getDocument), retryWithDelay({ count: 2, delay: 10, random: () => 0 }));

      // attempt 1 times out at 3, waits 10, attempt 2 starts at 13 and answers at 14
      expectObservable(result).toBe('14ms b|');
      expectSubscriptions(slow.subscriptions).toBe('^--!');
      expectSubscriptions(fast.subscriptions).toBe('13ms ^-!');
    });
  });

  it('placed before retryWithDelay, gives up after the last attempt times out', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('------a|');
      const result = source.pipe(timeoutAfter(3, getDocument), retryWithDelay({ count: 1, delay: 10, random: () => 0 }));

      expectObservable(result).toBe('16ms #', undefined, timeoutError(3, { attempts: 2 }));
      expectSubscriptions(source.subscriptions).toBe(['^--!', '13ms ^--!']);
    });
  });

  it('with Infinity, never times out', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('100s a|').pipe(timeoutAfter(Infinity, getDocument))).toBe('100s a|');
    });
  });

  it('rejects a negative or NaN timeout', () => {
    expect(() => timeoutAfter(-1, getDocument)).toThrow(RangeError);
    expect(() => timeoutAfter(Number.NaN, getDocument)).toThrow(RangeError);
  });
});
