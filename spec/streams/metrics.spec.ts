import { MetricsCollector, percentile, LATENCY_WINDOW } from '../../src/streams/metrics';
import type { OrchestratorMetrics } from '../../src/streams/metrics';

describe('MetricsCollector', () => {
  it('counts operations with their mean and nearest-rank percentiles', () => {
    const metrics = new MetricsCollector(true);
    for (let ms = 1; ms <= 100; ms += 1) metrics.recordOperation('searchAndTriggerWorkflows', ms, ms % 10 !== 0);
    const snapshot = metrics.snapshot();
    expect(snapshot.totalOperations).toBe(100);
    expect(snapshot.successfulOperations).toBe(90);
    expect(snapshot.failedOperations).toBe(10);
    expect(snapshot.averageOperationTime).toBeCloseTo(50.5);
    expect(snapshot.operations.searchAndTriggerWorkflows).toEqual({ count: 100, successful: 90, failed: 10, p50: 50, p95: 95, p99: 99 });
  });

  it('keeps latencies in a bounded window: percentiles follow the most recent operations', () => {
    const metrics = new MetricsCollector(true);
    for (let i = 0; i < LATENCY_WINDOW; i += 1) metrics.recordOperation('signIn', 1000, true);
    for (let i = 0; i < LATENCY_WINDOW; i += 1) metrics.recordOperation('signIn', 5, true);
    const signIn = metrics.snapshot().operations.signIn;
    expect(signIn?.count).toBe(2 * LATENCY_WINDOW);
    expect(signIn?.p99).toBe(5);
  });

  it('counts requests, errors and retries per service, and batches', () => {
    const metrics = new MetricsCollector(true);
    metrics.recordRequest('content');
    metrics.recordRequest('content');
    metrics.recordServiceError('content');
    metrics.recordRetry('content');
    metrics.recordBatch(10);
    metrics.recordBatch(3);
    const snapshot = metrics.snapshot();
    expect(snapshot.services.content).toEqual({ requests: 2, errors: 1, retries: 1 });
    expect(snapshot.services.identity).toEqual({ requests: 0, errors: 0, retries: 0 });
    expect(snapshot.retries).toBe(1);
    expect(snapshot.batchesSent).toBe(2);
    expect(snapshot.batchedNotifications).toBe(13);
  });

  it('counts nothing when disabled', () => {
    const metrics = new MetricsCollector(false);
    metrics.recordOperation('signIn', 5, true);
    metrics.recordRequest('identity');
    metrics.recordRetry('identity');
    metrics.recordBatch(4);
    metrics.recordHealth({ identity: 'healthy', content: 'healthy', communication: 'healthy', workflow: 'healthy' }, 'now');
    const snapshot = metrics.snapshot();
    expect(snapshot.totalOperations).toBe(0);
    expect(snapshot.services.identity.requests).toBe(0);
    expect(snapshot.batchesSent).toBe(0);
    expect(snapshot.lastHealthCheck).toBeNull();
  });

  it('streams a snapshot at once and after each operation, and completes', () => {
    const metrics = new MetricsCollector(true);
    const seen: OrchestratorMetrics[] = [];
    let completed = false;
    metrics.metrics$.subscribe({ next: (m) => seen.push(m), complete: () => (completed = true) });
    metrics.recordOperation('signIn', 3, true);
    metrics.recordHealth({ identity: 'healthy', content: 'unhealthy', communication: 'degraded', workflow: 'healthy' }, 't');
    metrics.complete();
    expect(seen.map((m) => m.totalOperations)).toEqual([0, 1, 1]);
    expect(seen[2]?.serviceAvailability).toEqual({ identity: true, content: false, communication: true, workflow: true });
    expect(completed).toBe(true);
  });
});

describe('percentile', () => {
  it('is 0 without samples and the nearest rank otherwise', () => {
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
  });
});
