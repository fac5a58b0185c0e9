import { firstValueFrom, Observable, of, Subject, throwError } from 'rxjs';
import { CircuitBreaker } from '../../src/resilience/circuitBreaker';
import { ServiceError } from '../../src/errors';
import type { CircuitState } from '../../src/hub';

const call = { endpoint: 'GET /api/v1/documents/{id}', method: 'GET' };
const unavailable = () => new ServiceError({ service: 'content', endpoint: call.endpoint, method: 'GET', code: 'http', status: 503 });
const notFound = () => new ServiceError({ service: 'content', endpoint: call.endpoint, method: 'GET', code: 'http', status: 404 });

function setup(failureThreshold = 3, resetTimeout = 1000) {
  let clock = 0;
  const changes: Array<[CircuitState, CircuitState]> = [];
  const breaker = new CircuitBreaker({
    service: 'content',
    failureThreshold,
    resetTimeout,
    now: () => clock,
    onStateChange: (previous, current) => changes.push([previous, current]),
  });
  const attempt = <T>(source: Observable<T>) => firstValueFrom(source.pipe(breaker.guard<T>(call)));
  return { breaker, changes, attempt, advance: (ms: number) => (clock += ms) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as ServiceError).code;
  }
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive 5xx failures, then fails fast without calling', async () => {
    const { breaker, changes, attempt } = setup(3);
    for (let i = 0; i < 3; i += 1) expect(await codeOf(attempt(throwError(unavailable)))).toBe('http');
    expect(breaker.state).toBe('open');
    expect(changes).toEqual([['closed', 'open']]);
    let subscribed = false;
    const source = new Observable<number>((subscriber) => {
      subscribed = true;
      subscriber.next(1);
      subscriber.complete();
    });
    expect(await codeOf(attempt(source))).toBe('circuit_open');
    expect(subscribed).toBe(false);
  });

  it('does not count client errors, and a success resets the count', async () => {
    const { breaker, attempt } = setup(2);
    await codeOf(attempt(throwError(notFound)));
    await codeOf(attempt(throwError(notFound)));
    expect(breaker.state).toBe('closed');
    await codeOf(attempt(throwError(unavailable)));
    await attempt(of(1));
    await codeOf(attempt(throwError(unavailable)));
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through when half-open, even for callers in the same tick, and closes on its success', async () => {
    const { breaker, changes, attempt, advance } = setup(1, 1000);
    await codeOf(attempt(throwError(unavailable)));
    advance(999);
    expect(breaker.state).toBe('open');
    advance(1);
    expect(breaker.state).toBe('half_open');
    const probe = new Subject<number>();
    const first = attempt(probe);
    const second = codeOf(attempt(of(2)));
    const third = codeOf(attempt(of(3)));
    expect(await second).toBe('circuit_open');
    expect(await third).toBe('circuit_open');
    probe.next(1);
    probe.complete();
    expect(await first).toBe(1);
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('opens again when the probe fails', async () => {
    const { breaker, changes, attempt, advance } = setup(1, 1000);
    await codeOf(attempt(throwError(unavailable)));
    advance(1000);
    expect(await codeOf(attempt(throwError(unavailable)))).toBe('http');
    expect(breaker.state).toBe('open');
    expect(changes.at(-1)).toEqual(['half_open', 'open']);
  });

  it('frees the probe slot when the probe is unsubscribed', async () => {
    const { breaker, attempt, advance } = setup(1, 1000);
    await codeOf(attempt(throwError(unavailable)));
    advance(1000);
    const probe = new Subject<number>().pipe(breaker.guard<number>(call)).subscribe();
    expect(await codeOf(attempt(of(1)))).toBe('circuit_open');
    probe.unsubscribe();
    expect(breaker.state).toBe('half_open');
    expect(await attempt(of(7))).toBe(7);
    expect(breaker.state).toBe('closed');
  });
});

describe('CircuitBreaker probes', () => {
  it('lets a stale probe that ends late free nothing: one probe out at a time', async () => {
    let clock = 0;
    const breaker = new CircuitBreaker({ service: 'content', failureThreshold: 1, resetTimeout: 100, now: () => clock });
    const guard = () => breaker.guard<number>({ endpoint: 'GET /x', method: 'GET' });
    breaker.recordFailure(new ServiceError({ service: 'content', endpoint: 'GET /x', method: 'GET', code: 'network' }));
    clock += 100;
    const first = new Subject<number>().pipe(guard()).subscribe();
    // A failed health check reopens the circuit while the first probe is still out.
    breaker.recordFailure(new ServiceError({ service: 'content', endpoint: 'GET /x', method: 'GET', code: 'network' }));
    clock += 100;
    const second = new Subject<number>().pipe(guard()).subscribe();
    first.unsubscribe();
    let error: unknown;
    of(3)
      .pipe(guard())
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toMatchObject({ code: 'circuit_open' });
    second.unsubscribe();
  });
});
