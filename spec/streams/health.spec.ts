import { TestScheduler } from 'rxjs/testing';
import { createHealthStream, overallStatus } from '../../src/streams/health';
import type { SystemHealthCheck } from '../../src/streams/health';
import type { HealthStatus } from '../../src/hub';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const check = (overall: HealthStatus) => ({ overall }) as unknown as SystemHealthCheck;

describe('createHealthStream', () => {
  it('checks at once, then every interval, with one round of checks for any number of subscribers', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const check$ = cold('-a|', { a: check('healthy') });
      const health$ = createHealthStream(check$, 5);
      expectObservable(health$, '^ 12ms !').toBe('-a----a----a', { a: check('healthy') });
      expectObservable(health$, '^ 12ms !').toBe('-a----a----a', { a: check('healthy') });
      expectSubscriptions(check$.subscriptions).toBe(['^-!', '-----^-!', '----------^-!']);
    });
  });

  it('replays the last result to a late subscriber without an extra check', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const check$ = cold('-a|', { a: check('degraded') });
      const health$ = createHealthStream(check$, 10);
      expectObservable(health$, '^ 8ms !').toBe('-a', { a: check('degraded') });
      expectObservable(health$, '---^ 5ms !').toBe('---a', { a: check('degraded') });
      expectSubscriptions(check$.subscriptions).toBe(['^-!']);
    });
  });

  it('stops its timer when the last subscriber leaves, and starts afresh on the next', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const check$ = cold('-a|', { a: check('healthy') });
      const health$ = createHealthStream(check$, 5);
      expectObservable(health$, '^--!').toBe('-a', { a: check('healthy') });
      expectObservable(health$, '------------^--!').toBe('-------------a', { a: check('healthy') });
      expectSubscriptions(check$.subscriptions).toBe(['^-!', '------------^-!']);
    });
  });

  it('skips a tick while a slow round of checks is still out', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const check$ = cold('-------a|', { a: check('healthy') });
      const health$ = createHealthStream(check$, 5);
      expectObservable(health$, '^ 12ms !').toBe('-------a----', { a: check('healthy') });
      // The tick at 5 is skipped; the one at 10 starts a round that the end at 13 cuts short.
      expectSubscriptions(check$.subscriptions).toBe(['^-------!', '----------^--!']);
    });
  });
});

describe('overallStatus', () => {
  const all = (status: HealthStatus) => ({ identity: status, content: status, communication: status, workflow: status });

  it('is healthy only when all four are', () => {
    expect(overallStatus(all('healthy'))).toBe('healthy');
    expect(overallStatus({ ...all('healthy'), workflow: 'degraded' })).toBe('degraded');
  });

  it('is unhealthy when identity is, whatever the others', () => {
    expect(overallStatus({ ...all('healthy'), identity: 'unhealthy' })).toBe('unhealthy');
  });

  it('is unhealthy when fewer than two services are available', () => {
    expect(overallStatus({ identity: 'degraded', content: 'unhealthy', communication: 'unhealthy', workflow: 'unhealthy' })).toBe(
      'unhealthy',
    );
    expect(overallStatus({ identity: 'healthy', content: 'degraded', communication: 'unhealthy', workflow: 'unhealthy' })).toBe('degraded');
  });
});

describe('createHealthStream with a changing interval', () => {
  it('restarts the timer for its current subscribers: the next check comes one new interval after the change', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const check$ = cold('-a|', { a: check('healthy') });
      const interval$ = hot('i------j', { i: 100, j: 3 });
      const health$ = createHealthStream(check$, interval$);
      expectObservable(health$, '^ 14ms !').toBe('-a---------a--a', { a: check('healthy') });
      expectSubscriptions(check$.subscriptions).toBe(['^-!', '----------^-!', '-------------^-!']);
    });
  });
});
