import { catchError, defer, exhaustMap, forkJoin, map, of, shareReplay, tap, timer, type Observable } from 'rxjs';
import { getHealth$ } from '../clients/health';
import type { HttpClient } from '../clients/http';
import { errorMessage, SERVICE_NAMES, type ServiceName } from '../errors';
import { timeoutAfter } from '../operators/timeoutAfter';
import type { HealthStatus, ServiceHealth } from './events';

/** The health of the whole Hub: each service, and a verdict over all four. */
export interface SystemHealthCheck extends Record<ServiceName, ServiceHealth> {
  overall: HealthStatus;
  timestamp: string;
}

/** How health is checked. */
export interface HealthCheckOptions {
  /** Unwrapped calls: a health check is never retried, and it sees an open circuit as it is. */
  http: HttpClient;
  /** ms one `GET /health` may take. */
  timeout: number;
  /** ms above which a healthy answer counts as degraded. */
  degradedLatency: number;
  /** Told of every result and the error behind an unhealthy one (the orchestrator feeds its breakers). */
  onResult?: (service: ServiceName, health: ServiceHealth, error?: unknown) => void;
}

/**
 * `healthy` when all four are; `unhealthy` when identity is, or fewer than two services are
 * healthy or degraded; `degraded` otherwise.
 */
export function overallStatus(statuses: Readonly<Record<ServiceName, HealthStatus>>): HealthStatus {
  const values = SERVICE_NAMES.map((service) => statuses[service]);
  if (values.every((status) => status === 'healthy')) return 'healthy';
  const available = values.filter((status) => status !== 'unhealthy').length;
  if (statuses.identity === 'unhealthy' || available < 2) return 'unhealthy';
  return 'degraded';
}

/** One service's `GET /health`, read into the library's model; never errors. */
export function checkService$(options: HealthCheckOptions, service: ServiceName): Observable<ServiceHealth> {
  return defer(() => {
    const started = performance.now();
    const info = options.http.describe(service, 'health');
    const elapsed = () => Math.round(performance.now() - started);
    return getHealth$(options.http, service).pipe(
      timeoutAfter(options.timeout, info),
      map((body): ServiceHealth => {
        const latencyMs = elapsed();
        const reported: HealthStatus = body.status === 'healthy' ? 'healthy' : body.status === 'degraded' ? 'degraded' : 'unhealthy';
        const slow = reported === 'healthy' && latencyMs > options.degradedLatency;
        return {
          status: slow ? 'degraded' : reported,
          service: body.service,
          version: body.version,
          latencyMs,
          checkedAt: new Date().toISOString(),
          ...(slow ? { error: `answered in ${latencyMs} ms, over ${options.degradedLatency} ms` } : {}),
          ...(reported === 'unhealthy' ? { error: `reports status "${body.status}"` } : {}),
        };
      }),
      tap((health) => options.onResult?.(service, health)),
      catchError((error: unknown) => {
        const health: ServiceHealth = {
          status: 'unhealthy',
          service,
          version: 'unknown',
          latencyMs: elapsed(),
          checkedAt: new Date().toISOString(),
          error: errorMessage(error),
        };
        options.onResult?.(service, health, error);
        return of(health);
      }),
    );
  });
}

/** All four services checked in parallel, with the overall verdict. */
export function checkSystem$(options: HealthCheckOptions): Observable<SystemHealthCheck> {
  const checks = Object.fromEntries(SERVICE_NAMES.map((service) => [service, checkService$(options, service)])) as Record<
    ServiceName,
    Observable<ServiceHealth>
  >;
  return forkJoin(checks).pipe(
    map((results) => ({
      ...results,
      overall: overallStatus({
        identity: results.identity.status,
        content: results.content.status,
        communication: results.communication.status,
        workflow: results.workflow.status,
      }),
      timestamp: new Date().toISOString(),
    })),
  );
}

/**
 * Checks at once, then every `interval` ms; one round of checks however many subscribe, the last
 * result replayed to late subscribers, and the timer stopped when the last one leaves.
 */
export function createHealthStream(check$: Observable<SystemHealthCheck>, interval: number): Observable<SystemHealthCheck> {
  return timer(0, interval).pipe(
    exhaustMap(() => check$),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}
