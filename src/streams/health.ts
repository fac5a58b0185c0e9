import {
  catchError,
  defer,
  EMPTY,
  exhaustMap,
  forkJoin,
  isObservable,
  map,
  of,
  shareReplay,
  switchMap,
  takeUntil,
  tap,
  timer,
  type Observable,
} from 'rxjs';
import { getHealth$ } from '../clients/health';
import type { HttpClient } from '../clients/http';
import { errorMessage } from '../errors';
import { MAX_TIMER_MS, perService, SERVICE_NAMES, type HealthStatus, type ServiceName } from '../hub';
import { timeoutAfter } from '../operators/timeoutAfter';
import type { CircuitBreaker } from '../resilience/circuitBreaker';
import { redactText, type SecretList } from '../redact';
import type { EventInit, ServiceHealth } from './events';

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
  /** Secret values to scrub from the error of an unhealthy result (a service may echo a token). */
  secrets?: () => SecretList;
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
          // The service's own words, scrubbed like its errors.
          service: redactText(body.service.slice(0, 200), options.secrets?.() ?? []),
          version: redactText(body.version.slice(0, 200), options.secrets?.() ?? []),
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
          error: redactText(errorMessage(error), options.secrets?.() ?? []),
        };
        options.onResult?.(service, health, error);
        return of(health);
      }),
    );
  });
}

/** All four services checked in parallel, with the overall verdict. */
export function checkSystem$(options: HealthCheckOptions): Observable<SystemHealthCheck> {
  return forkJoin(perService((service) => checkService$(options, service))).pipe(
    map((results) => ({ ...results, overall: overallStatus(statusesOf(results)), timestamp: new Date().toISOString() })),
  );
}

/** Each service's status in a health check. */
export function statusesOf(health: Readonly<Record<ServiceName, ServiceHealth>>): Record<ServiceName, HealthStatus> {
  return perService((service) => health[service].status);
}

/**
 * Checks at once, then every `interval` ms; one round of checks however many subscribe, the last
 * result replayed to late subscribers, and the timer stopped when the last one leaves. Given as an
 * Observable, a new interval restarts the timer: the next check comes that many ms after the change.
 * `Infinity`: the first check only.
 */
export function createHealthStream(
  check$: Observable<SystemHealthCheck>,
  interval: number | Observable<number>,
): Observable<SystemHealthCheck> {
  const interval$ = isObservable(interval) ? interval : of(interval);
  return interval$.pipe(
    switchMap((ms, index) => {
      if (!(ms > 0 && (ms <= MAX_TIMER_MS || ms === Infinity))) {
        throw new RangeError(`health check interval must be between 1 and ${MAX_TIMER_MS} ms, or Infinity, got ${ms}`);
      }
      // `Infinity` means one check per subscription: Node would fire an interval that long after 1 ms.
      if (ms === Infinity) return index === 0 ? of(0) : EMPTY;
      return timer(index === 0 ? 0 : ms, ms);
    }),
    exhaustMap(() => check$),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}

/** What {@link monitorHealth} wires together. */
export interface HealthMonitorOptions extends Omit<HealthCheckOptions, 'onResult'> {
  /** ms between checks while `health$` has subscribers; a new value restarts the timer. */
  readonly checkInterval: number | Observable<number>;
  /** Each result feeds its service's breaker: unhealthy counts as a failure, anything else closes it. */
  readonly breakers: Readonly<Record<ServiceName, CircuitBreaker>>;
  /** Where `service_health_change` events go. */
  readonly emit: (event: EventInit) => void;
  /** Told of every round of checks (the metrics' availability). */
  readonly onCheck?: (health: SystemHealthCheck) => void;
  /** Ends `health$` for every subscriber. */
  readonly until$: Observable<unknown>;
}

/** The orchestrator's health: the checks, the shared `health$` stream, the status changes they cause. */
export interface HealthMonitor {
  /** One round of checks, for `performHealthCheck`. */
  check$(): Observable<SystemHealthCheck>;
  /** Checks at once, then every `checkInterval` ms while subscribed; see {@link createHealthStream}. */
  readonly health$: Observable<SystemHealthCheck>;
}

/**
 * Health checks that feed the circuit breakers and report each status change (the first status
 * seen counts as a change from `unknown`).
 */
export function monitorHealth(options: HealthMonitorOptions): HealthMonitor {
  const known: Partial<Record<ServiceName, HealthStatus>> = {};
  const onResult = (service: ServiceName, health: ServiceHealth, error?: unknown): void => {
    const breaker = options.breakers[service];
    if (health.status === 'unhealthy') breaker.recordFailure(error);
    else breaker.recordSuccess();
    const previous = known[service];
    if (previous === health.status) return;
    known[service] = health.status;
    options.emit({ type: 'service_health_change', service, previous: previous ?? 'unknown', current: health.status, data: health });
  };
  const check$ = (): Observable<SystemHealthCheck> =>
    checkSystem$({ ...options, onResult }).pipe(tap((health) => options.onCheck?.(health)));
  return {
    check$,
    health$: createHealthStream(defer(check$), options.checkInterval).pipe(takeUntil(options.until$)),
  };
}
