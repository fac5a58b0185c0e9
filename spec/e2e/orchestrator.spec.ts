import axios from 'axios';
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { createServiceOrchestrator, type OrchestratorEvent, type SystemHealthCheck } from '../../src';
import { SEED } from '../../src/simulator';
import { seenEvent, UNKNOWN_ID, useHarness } from './support';

const doc = SEED.documents.quarterlyReport.id;
const ai = SEED.definitions.aiProcessing.id;
const { alice, bob, carol, demo } = SEED.users;

/**
 * Counts the intervals opened and not yet cleared: RxJS schedules every timer (timeouts, retry
 * waits, batch windows, the health interval) with setInterval. Server sockets' own keep-alive
 * timers would blur a count of every active Timeout, so only these are watched.
 */
function trackIntervals(): { open(): number; created(): number; restore(): void } {
  const live = new Set<unknown>();
  let created = 0;
  const realSet = global.setInterval;
  const realClear = global.clearInterval;
  const set = jest.spyOn(global, 'setInterval').mockImplementation(((handler: () => void, ms?: number) => {
    const id = realSet(handler, ms);
    created += 1;
    live.add(id);
    return id;
  }) as typeof setInterval);
  const clear = jest.spyOn(global, 'clearInterval').mockImplementation((id) => {
    live.delete(id);
    realClear(id);
  });
  return {
    open: () => live.size,
    created: () => created,
    restore: () => {
      set.mockRestore();
      clear.mockRestore();
    },
  };
}

describe('batching notifications', () => {
  // The window is far longer than any test: nothing here may wait for it.
  const h = useHarness({ enableBatching: true, batchSize: 3, batchWindow: 60_000 });

  it('splits notifications made together into bulk requests of batchSize, each caller getting its own receipt', async () => {
    const users = [alice.id, bob.id, carol.id, demo.id, alice.id, bob.id, carol.id];
    const result = await h.orchestrator.processDocumentWithAI(doc, ai, users);
    expect(result.success).toBe(true);
    const bulks = h.hub.requestsTo('communication', 'POST', '/api/v1/notifications/bulk');
    expect(bulks.map((r) => (r.body as unknown[]).length)).toEqual([3, 3]);
    // The seventh waited for the two full batches to answer (not for the window), then went alone as a single post.
    expect(h.hub.requestsTo('communication', 'POST', '/api/v1/notifications')).toHaveLength(1);
    expect(result.data?.notifications.map((n) => n.recipient)).toEqual(users);
    expect(result.data?.notifications.filter((n) => n.batched)).toHaveLength(6);
    const flushes = h.events.filter((e) => e.type === 'batch_flush');
    expect(flushes.map((e) => e.type === 'batch_flush' && [e.size, e.reason])).toEqual([
      [3, 'size'],
      [3, 'size'],
      [1, 'idle'],
    ]);
    expect(h.orchestrator.getMetrics()).toMatchObject({ batchesSent: 3, batchedNotifications: 7 });
  });

  it('sends the notification of an operation alone at once: it never waits for the window', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc, ai, [alice.id]);
    expect(result.data?.notifications).toEqual([expect.objectContaining({ recipient: alice.id, batched: false })]);
    const flushes = h.events.filter((e) => e.type === 'batch_flush');
    expect(flushes.map((e) => e.type === 'batch_flush' && [e.size, e.reason])).toEqual([[1, 'idle']]);
  });
});

describe('batching notifications of concurrent operations', () => {
  // The batch closes by size or by the request in flight answering, never by the clock.
  const h = useHarness({ enableBatching: true, batchSize: 2, batchWindow: 60_000 });

  it('gathers the notifications of concurrent operations while another batch is in flight', async () => {
    // The first notification hangs at the hub, so the batcher stays busy until that operation is cancelled.
    h.hub.inject('communication', { method: 'POST', path: '/api/v1/notifications', faults: [{ kind: 'hang' }] });
    const cancel = new AbortController();
    const sentAlone = seenEvent(h, 'batch_flush');
    const hanging = h.orchestrator.processDocumentWithAI(doc, ai, [carol.id], { signal: cancel.signal });
    expect(await sentAlone).toMatchObject({ size: 1, reason: 'idle' });
    const [first, second] = await Promise.all([
      h.orchestrator.processDocumentWithAI(doc, ai, [alice.id]),
      h.orchestrator.processDocumentWithAI(SEED.documents.productRoadmap.id, ai, [bob.id]),
    ]);
    expect(first.data?.notifications[0]).toMatchObject({ recipient: alice.id, batched: true });
    expect(second.data?.notifications[0]).toMatchObject({ recipient: bob.id, batched: true });
    const bulks = h.hub.requestsTo('communication', 'POST', '/api/v1/notifications/bulk');
    expect(bulks).toHaveLength(1);
    expect(bulks[0]?.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ to: alice.id }), expect.objectContaining({ to: bob.id })]),
    );
    cancel.abort();
    expect(await hanging).toMatchObject({ success: false, details: { code: 'aborted' } });
    const flushes = h.events.filter((e) => e.type === 'batch_flush');
    expect(flushes.map((e) => e.type === 'batch_flush' && [e.size, e.reason])).toEqual([
      [1, 'idle'],
      [2, 'size'],
    ]);
  });
});

describe('events, listeners and metrics', () => {
  const h = useHarness({ enableBatching: false });

  it('emits start, steps and complete for an operation, all with its id and a timestamp', async () => {
    await h.orchestrator.processDocumentWithAI(doc, ai, [alice.id]);
    const ids = new Set(h.events.flatMap((e) => ('operationId' in e && e.operationId ? [e.operationId] : [])));
    expect(ids.size).toBe(1);
    expect(h.events[0]?.type).toBe('operation_start');
    expect(h.events.at(-1)?.type).toBe('operation_complete');
    expect(h.events.every((e) => !Number.isNaN(Date.parse(e.timestamp)))).toBe(true);
  });

  it('keeps the callback API over events$: listeners, removal, and a throwing listener that harms no other', async () => {
    const seen: string[] = [];
    const throwing = () => {
      throw new Error('listener bug');
    };
    h.orchestrator.addEventListener(throwing);
    const stop = h.orchestrator.addEventListener((event) => seen.push(event.type));
    await h.orchestrator.searchAndTriggerWorkflows('contract', false);
    expect(seen).toContain('operation_complete');
    stop();
    const count = seen.length;
    await h.orchestrator.searchAndTriggerWorkflows('contract', false);
    expect(seen).toHaveLength(count);
    expect(h.logs.some((line) => line.startsWith('error') && line.includes('listener threw'))).toBe(true);
    h.orchestrator.removeEventListener(throwing);
  });

  it('gives the events as an async iterable that ends on dispose()', async () => {
    const collected: OrchestratorEvent['type'][] = [];
    const reading = (async () => {
      for await (const event of h.orchestrator.events()) collected.push(event.type);
    })();
    await h.orchestrator.searchAndTriggerWorkflows('contract', false);
    h.orchestrator.dispose();
    await reading;
    expect(collected[0]).toBe('operation_start');
    expect(collected).toContain('operation_complete');
  });

  it('counts operations, latencies, requests, errors and retries', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 502 }] });
    await h.orchestrator.processDocumentWithAI(doc, ai);
    await h.orchestrator.processDocumentWithAI(UNKNOWN_ID, ai);
    const metrics = h.orchestrator.getMetrics();
    // The harness's sign-in counts too.
    expect(metrics).toMatchObject({ totalOperations: 3, successfulOperations: 2, failedOperations: 1, retries: 1 });
    expect(metrics.operations.signIn).toMatchObject({ count: 1, successful: 1 });
    expect(metrics.operations.processDocumentWithAI).toMatchObject({ count: 2, successful: 1, failed: 1 });
    const { p50, p95, p99 } = metrics.operations.processDocumentWithAI!;
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    // 502 + 200 and a 404 for the documents; two definitions; one workflow start.
    expect(metrics.services.content).toEqual({ requests: 3, errors: 2, retries: 1 });
    expect(metrics.services.workflow).toEqual({ requests: 3, errors: 0, retries: 0 });
    expect(metrics.averageOperationTime).toBeGreaterThan(0);
  });

  it('streams metrics snapshots on metrics$', async () => {
    const snapshots = lastValueFrom(h.orchestrator.metrics$.pipe(take(2), toArray()));
    await h.orchestrator.searchAndTriggerWorkflows('contract', false);
    // The first snapshot comes at once (the harness's sign-in is counted), the next after the search.
    expect((await snapshots).map((m) => m.totalOperations)).toEqual([1, 2]);
  });
});

describe('metrics switched off', () => {
  const h = useHarness({ enableMetrics: false, enableBatching: true, batchWindow: 5 });

  it('counts nothing: operations, requests, retries, batches or health', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503 }] });
    await h.orchestrator.processDocumentWithAI(doc, ai, [alice.id, bob.id]);
    await h.orchestrator.performHealthCheck();
    expect(h.events.some((e) => e.type === 'operation_retry')).toBe(true);
    expect(h.events.some((e) => e.type === 'batch_flush')).toBe(true);
    const metrics = h.orchestrator.getMetrics();
    expect(metrics.totalOperations).toBe(0);
    expect(metrics.services.content.requests).toBe(0);
    expect(metrics.operations).toEqual({});
    expect(metrics).toMatchObject({ retries: 0, batchesSent: 0, batchedNotifications: 0, lastHealthCheck: null });
    expect(metrics.services.content).toEqual({ requests: 0, errors: 0, retries: 0 });
  });
});

describe('health$', () => {
  const h = useHarness({ health: { checkInterval: 40, timeout: 500 } });

  it('checks at once and then every interval, one round for all subscribers, and stops its timer when they leave', async () => {
    const intervals = trackIntervals();
    const results: SystemHealthCheck[] = [];
    const first = h.orchestrator.health$.subscribe((check) => results.push(check));
    const second = h.orchestrator.health$.subscribe();
    await firstValueFrom(h.orchestrator.health$.pipe(filter(() => results.length >= 3)));
    first.unsubscribe();
    second.unsubscribe();
    const rounds = h.hub.requestsTo('identity', 'GET', '/health').length;
    // Three subscribers (one of them the waiter above) and three rounds: one request per round, not per subscriber.
    expect(rounds).toBe(results.length);
    expect(results.every((check) => check.overall === 'healthy')).toBe(true);
    expect(intervals.created()).toBeGreaterThan(0);
    expect(intervals.open()).toBe(0);
    intervals.restore();
  });

  it('reports a stopped service, and a health change only when the status changes', async () => {
    await h.hub.stopService('content');
    try {
      const checks = await firstValueFrom(h.orchestrator.health$.pipe(take(3), toArray()));
      expect(checks.map((c) => c.content.status)).toEqual(['unhealthy', 'unhealthy', 'unhealthy']);
      expect(checks[0]?.overall).toBe('degraded');
      const changes = h.events.filter((e) => e.type === 'service_health_change' && e.service === 'content');
      expect(changes).toHaveLength(1);
    } finally {
      await h.hub.startService('content');
    }
  });
});

describe('dispose()', () => {
  const h = useHarness();

  it('ends operations in flight (their requests aborted), completes the streams and leaves no timer', async () => {
    const intervals = trackIntervals();
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'hang' }] });
    const health = lastValueFrom(h.orchestrator.health$.pipe(toArray()));
    const metricsDone = lastValueFrom(h.orchestrator.metrics$.pipe(toArray()));
    const pending = h.orchestrator.processDocumentWithAI(doc, ai);
    await h.hub.waitForRequest('content', 'GET', '/api/v1/documents/{id}');
    h.orchestrator.dispose();
    h.orchestrator.dispose();
    expect(await pending).toMatchObject({ success: false, details: { code: 'disposed' } });
    expect((await pending).error).toMatch(/disposed/);
    await health; // completes: it would hang the test otherwise
    expect((await metricsDone).length).toBeGreaterThan(0);
    expect(intervals.created()).toBeGreaterThan(0);
    expect(intervals.open()).toBe(0);
    intervals.restore();
  });

  it('aborts the HTTP request of an operation in flight', async () => {
    const instance = axios.create();
    const cancelled = new Promise<string>((resolve) => {
      instance.interceptors.response.use(undefined, (error: unknown) => {
        if (axios.isCancel(error)) resolve(String((error as { config?: { url?: string } }).config?.url));
        return Promise.reject(error);
      });
    });
    const orchestrator = createServiceOrchestrator({
      services: h.hub.urls,
      axios: instance,
      enableLogging: false,
      auth: { token: h.hub.tokenFor(demo.email) },
    });
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'hang' }] });
    const pending = orchestrator.processDocumentWithAI(doc, ai);
    await h.hub.waitForRequest('content', 'GET', '/api/v1/documents/{id}');
    orchestrator.dispose();
    expect(await pending).toMatchObject({ success: false, details: { code: 'disposed' } });
    expect(await cancelled).toBe(`/api/v1/documents/${doc}`);
  });

  it('errors the $ form of an operation in flight with a disposed OrchestratorError', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/search', faults: [{ kind: 'hang' }] });
    const outcome = firstValueFrom(h.orchestrator.searchAndTriggerWorkflows$('report')).catch((error: unknown) => error);
    await h.hub.waitForRequest('content', 'GET', '/api/v1/search');
    h.orchestrator.dispose();
    expect(await outcome).toMatchObject({ name: 'OrchestratorError', code: 'disposed' });
  });

  it('ends as disposed, sending nothing, an operation whose start event made a listener dispose the orchestrator', async () => {
    h.hub.clearRequests();
    h.orchestrator.addEventListener((event) => {
      if (event.type === 'operation_start') h.orchestrator.dispose();
    });
    const result = await h.orchestrator.searchAndTriggerWorkflows('report');
    expect(result).toMatchObject({ success: false, details: { code: 'disposed' } });
    expect(h.hub.requests).toHaveLength(0);
  });

  it('makes later operations resolve to a failure that says so, sending nothing', async () => {
    h.orchestrator.dispose();
    h.hub.clearRequests();
    const result = await h.orchestrator.searchAndTriggerWorkflows('report');
    expect(result).toMatchObject({ success: false, details: { code: 'disposed' } });
    await expect(h.orchestrator.performHealthCheck()).rejects.toMatchObject({ code: 'disposed' });
    expect(h.hub.requests).toHaveLength(0);
  });
});

describe('secrets', () => {
  const h = useHarness({ enableBatching: true, batchWindow: 5 }, {}, false);

  it('never show in events, log lines, results or errors across a whole run', async () => {
    const texts: string[] = [];
    const signIn = await h.orchestrator.signIn(demo.email, demo.password);
    const secrets = [demo.password, signIn.data!.accessToken, signIn.data!.refreshToken!];
    const bad = await h.orchestrator.signIn(demo.email, 'WrongPassword1!');
    texts.push(JSON.stringify(bad));
    h.hub.expireTokens();
    texts.push(JSON.stringify(await h.orchestrator.processDocumentWithAI(doc, ai, [alice.id])));
    secrets.push(h.orchestrator.getSession()!.accessToken);
    const onboard = await h.orchestrator.onboardNewUser({
      email: 'mallory@hub.local',
      password: 'Sup3rSecret!',
      first_name: 'M',
      last_name: 'X',
    });
    secrets.push('Sup3rSecret!', onboard.data!.session.accessToken);
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 401 }], repeat: true });
    texts.push(JSON.stringify(await h.orchestrator.processDocumentWithAI(doc, ai)));
    await h.orchestrator.performHealthCheck();
    const everything = [...texts, JSON.stringify(h.events), ...h.logs].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Bearer\s+(?!\[redacted\])\S/);
    expect(h.events.some((e) => e.type === 'operation_start' && e.operation === 'onboardNewUser')).toBe(true);
  });
});

describe('an orchestrator with no session', () => {
  it('sends the token from auth.getToken', async () => {
    const { startHub } = await import('../../src/simulator');
    const hub = await startHub();
    const token = hub.tokenFor(demo.email);
    const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false, auth: { getToken: async () => token } });
    try {
      const result = await orchestrator.processDocumentWithAI(doc, ai);
      expect(result.success).toBe(true);
      expect(hub.requests.every((r) => r.authorized)).toBe(true);
    } finally {
      orchestrator.dispose();
      await hub.close();
    }
  });
});
