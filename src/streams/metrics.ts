import { BehaviorSubject, map, shareReplay, type Observable } from 'rxjs';
import { perService, SERVICE_NAMES, type HealthStatus, type OperationName, type ServiceName } from '../hub';

/** Counts and latency percentiles of one operation. */
export interface OperationMetrics {
  count: number;
  successful: number;
  failed: number;
  /** Latency percentiles in ms over the most recent operations (a bounded window). */
  p50: number;
  p95: number;
  p99: number;
}

/** Calls to one service: attempts sent, attempts that failed, and retries. */
export interface ServiceMetrics {
  requests: number;
  errors: number;
  retries: number;
}

/** A snapshot of what the orchestrator has done since it was created. */
export interface OrchestratorMetrics {
  totalOperations: number;
  successfulOperations: number;
  failedOperations: number;
  /** Mean operation time in ms. */
  averageOperationTime: number;
  /** ms since the orchestrator was created. */
  uptime: number;
  /** Whether each service answered its last health check as healthy or degraded. */
  serviceAvailability: Record<ServiceName, boolean>;
  /** ISO time of the last health check, or null before the first. */
  lastHealthCheck: string | null;
  operations: Partial<Record<OperationName, OperationMetrics>>;
  services: Record<ServiceName, ServiceMetrics>;
  retries: number;
  batchesSent: number;
  batchedNotifications: number;
}

/** How many latencies each operation keeps for its percentiles. */
export const LATENCY_WINDOW = 1024;

/** A fixed-size ring of the latest samples: memory stays bounded however long the process runs. */
class LatencyWindow {
  private readonly samples = new Float64Array(LATENCY_WINDOW);
  private size = 0;
  private next = 0;

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % LATENCY_WINDOW;
    this.size = Math.min(this.size + 1, LATENCY_WINDOW);
  }

  percentiles(): Pick<OperationMetrics, 'p50' | 'p95' | 'p99'> {
    const sorted = this.samples.slice(0, this.size).sort();
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99) };
  }
}

/** Nearest-rank percentile of sorted samples; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] as number;
}

interface OperationCounts {
  count: number;
  successful: number;
  failed: number;
  latencies: LatencyWindow;
}

/** Counts what the orchestrator does; with `enabled: false` it counts nothing. */
export class MetricsCollector {
  private readonly startedAt = Date.now();
  private readonly changes = new BehaviorSubject<void>(undefined);
  private totalTime = 0;
  private total = 0;
  private successful = 0;
  private failed = 0;
  private retries = 0;
  private batchesSent = 0;
  private batchedNotifications = 0;
  private lastHealthCheck: string | null = null;
  private readonly availability = perService(() => false);
  private readonly services = perService((): ServiceMetrics => ({ requests: 0, errors: 0, retries: 0 }));
  private readonly perOperation = new Map<OperationName, OperationCounts>();

  /**
   * Snapshots, one at once and one after every change; computed only while someone listens, and
   * once per change however many listen (a late subscriber gets the latest).
   */
  readonly metrics$: Observable<OrchestratorMetrics> = this.changes.pipe(
    map(() => this.snapshot()),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  /**
   * @param enabled Whether anything is counted; may be changed later (`updateConfig`).
   */
  constructor(public enabled: boolean) {}

  recordOperation(operation: OperationName, durationMs: number, success: boolean): void {
    if (!this.enabled) return;
    let counts = this.perOperation.get(operation);
    if (!counts) {
      counts = { count: 0, successful: 0, failed: 0, latencies: new LatencyWindow() };
      this.perOperation.set(operation, counts);
    }
    counts.count += 1;
    counts[success ? 'successful' : 'failed'] += 1;
    counts.latencies.add(durationMs);
    this.total += 1;
    this.totalTime += durationMs;
    if (success) this.successful += 1;
    else this.failed += 1;
    this.changed();
  }

  /** One attempt sent to a service. */
  recordRequest(service: ServiceName): void {
    if (this.enabled) this.services[service].requests += 1;
  }

  /** Takes back a request counted as sent that was aborted before it could leave. */
  withdrawRequest(service: ServiceName): void {
    if (!this.enabled) return;
    this.services[service].requests = Math.max(0, this.services[service].requests - 1);
  }

  /** One attempt to a service that failed. */
  recordServiceError(service: ServiceName): void {
    if (this.enabled) this.services[service].errors += 1;
  }

  recordRetry(service: ServiceName): void {
    if (!this.enabled) return;
    this.services[service].retries += 1;
    this.retries += 1;
  }

  recordBatch(size: number): void {
    if (!this.enabled) return;
    this.batchesSent += 1;
    this.batchedNotifications += size;
  }

  recordHealth(statuses: Record<ServiceName, HealthStatus>, timestamp: string): void {
    if (!this.enabled) return;
    for (const service of SERVICE_NAMES) this.availability[service] = statuses[service] !== 'unhealthy';
    this.lastHealthCheck = timestamp;
    this.changed();
  }

  snapshot(): OrchestratorMetrics {
    const operations: Partial<Record<OperationName, OperationMetrics>> = {};
    for (const [name, counts] of this.perOperation) {
      operations[name] = { count: counts.count, successful: counts.successful, failed: counts.failed, ...counts.latencies.percentiles() };
    }
    return {
      totalOperations: this.total,
      successfulOperations: this.successful,
      failedOperations: this.failed,
      averageOperationTime: this.total === 0 ? 0 : this.totalTime / this.total,
      uptime: Date.now() - this.startedAt,
      serviceAvailability: { ...this.availability },
      lastHealthCheck: this.lastHealthCheck,
      operations,
      services: perService((service) => ({ ...this.services[service] })),
      retries: this.retries,
      batchesSent: this.batchesSent,
      batchedNotifications: this.batchedNotifications,
    };
  }

  complete(): void {
    this.changes.complete();
  }

  private changed(): void {
    if (this.changes.observed) this.changes.next();
  }
}
