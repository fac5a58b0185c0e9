import { firstValueFrom, ReplaySubject, takeUntil, type Observable, type Subscription } from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';
import { createHubClients, type HubClients } from './clients';
import { createHttpClient } from './clients/http';
import { createIdentityClient } from './clients/identity';
import { SessionStore, type Session } from './clients/session';
import { parseConfig, type OrchestratorConfig, type ResolvedConfig } from './config';
import { perService, type ServiceName } from './hub';
import { OPERATIONS, type OperationMethods, type OperationObservableMethods } from './operations';
import { createNotifier, type Notifier } from './operations/notifications';
import { createOperationRunner, disposedError, type AnyOperation, type OperationReport, type OperationRunner } from './operations/runner';
import { redact } from './redact';
import { createCallPolicy, type CallPolicy } from './resilience/callPolicy';
import { CircuitBreaker } from './resilience/circuitBreaker';
import { RetryBudget } from './resilience/retryBudget';
import { createEventBus, type EventBus, type EventInit, type OrchestratorEvent } from './streams/events';
import { monitorHealth, statusesOf, type HealthMonitor, type SystemHealthCheck } from './streams/health';
import { logEvents, safeLog } from './streams/logging';
import { MetricsCollector, type OrchestratorMetrics } from './streams/metrics';

/** The runner behind each orchestrator's operation methods. */
const runners = new WeakMap<ServiceOrchestrator, OperationRunner>();

/** A callback of the seed's listener API. */
export type OrchestratorEventListener = (event: OrchestratorEvent) => void;

/**
 * Runs operations that span the four Hub services, with retries, timeouts, circuit breakers,
 * batching, health monitoring, metrics and events. Each operation comes in two forms: a promise
 * method that never rejects (`onboardNewUser(…)`), and a cold Observable (`onboardNewUser$(…)`).
 *
 * @example
 * const orchestrator = createServiceOrchestrator({ services: { identity: 'http://127.0.0.1:8001' } });
 * orchestrator.events$.subscribe((event) => console.log(event.type));
 * const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [userId]);
 * if (result.success) console.log(result.data.workflowsTriggered.length);
 * orchestrator.dispose();
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its operation methods are declared below and set on the prototype
export class ServiceOrchestrator {
  /** Every event of every operation, health check, circuit and batch; hot. */
  readonly events$: Observable<OrchestratorEvent>;
  /** Health of the Hub: at once, then every `health.checkInterval` ms while subscribed; shared. */
  readonly health$: Observable<SystemHealthCheck>;
  /** Metrics snapshots: one at once, then one after each operation or health check. */
  readonly metrics$: Observable<OrchestratorMetrics>;

  /** The validated options, defaults filled in. */
  readonly config: ResolvedConfig;

  /**
   * The Hub clients behind the operations, for calls no operation makes: each call has the
   * orchestrator's timeout, circuit breaker, session refresh and retries, and is counted in the metrics.
   *
   * @example
   * const document = await firstValueFrom(orchestrator.clients.content.getDocument$(documentId));
   */
  readonly clients: HubClients;

  private readonly bus: EventBus;
  private readonly metrics: MetricsCollector;
  private readonly session: SessionStore;
  private readonly health: HealthMonitor;
  private readonly notifier: Notifier;
  private readonly disposed$ = new ReplaySubject<void>(1);
  private readonly listeners = new Map<OrchestratorEventListener, Subscription>();
  private readonly logSubscription: Subscription | null;
  private disposed = false;

  constructor(config: OrchestratorConfig = {}) {
    this.config = parseConfig(config);
    const { config: options } = this;
    this.bus = createEventBus();
    this.events$ = this.bus.events$;
    this.metrics = new MetricsCollector(options.enableMetrics);
    this.metrics$ = this.metrics.metrics$;
    const emit = (event: EventInit): void => this.bus.emit(event);
    const breakers = perService(
      (service) =>
        new CircuitBreaker({
          service,
          ...options.circuitBreaker,
          now: options.clock,
          onStateChange: (previous, current) => emit({ type: 'circuit_state_change', service, previous, current }),
        }),
    );

    const { enabled, ...budget } = options.retryBudget;
    const retryBudgets = enabled ? perService(() => new RetryBudget({ ...budget, now: options.clock })) : undefined;

    this.session = new SessionStore({ auth: options.auth, refresh$: (token) => refreshClient.refreshToken$(token) });
    const http = createHttpClient({
      baseUrls: options.services,
      routes: options.routes,
      axios: options.axios,
      getToken: () => this.session.token(),
    });
    const policyOf = (session?: SessionStore): CallPolicy =>
      createCallPolicy({
        timeout: options.timeout,
        retry: { count: options.retryAttempts, delay: options.retryDelay, maxDelay: options.maxRetryDelay },
        breakers,
        attempts: perService((service: ServiceName) => ({
          admitted: () => this.metrics.recordRequest(service),
          failed: () => this.metrics.recordServiceError(service),
        })),
        session,
        onRetry: (report) => {
          this.metrics.recordRetry(report.service);
          emit(report);
        },
        retryBudgets,
        onRetryRefused: emit,
      });
    const policy = policyOf(this.session);
    // The refresh call goes without the refresh-on-401 layer, or a failed refresh would refresh.
    const refreshClient = createIdentityClient(http.withWrap(policyOf().wrap()));
    this.clients = createHubClients(http.withWrap(policy.wrap()));

    this.notifier = createNotifier({
      communication: this.clients.communication,
      batching: options.enableBatching ? { size: options.batchSize, windowMs: options.batchWindow } : null,
      onFlush: ({ size, reason }) => {
        this.metrics.recordBatch(size);
        emit({ type: 'batch_flush', service: 'communication', size, reason });
      },
    });
    const runner = createOperationRunner({
      disposed$: this.disposed$,
      isDisposed: () => this.disposed,
      clientsFor: (tag) => createHubClients(http.withWrap(policy.wrap(tag))),
      notify$: (notification, clients) => this.notifier.notify$(notification, clients.communication),
      setSession: (session) => this.session.set(session),
      report: (report: OperationReport) => {
        if (report.type === 'operation_complete' || report.type === 'operation_error') {
          this.metrics.recordOperation(report.operation, report.duration, report.type === 'operation_complete');
        }
        emit(report);
      },
    });
    runners.set(this, runner);
    this.health = monitorHealth({
      // Unwrapped calls: a health check is never retried, and it sees an open circuit as it is.
      http,
      timeout: options.health.timeout,
      degradedLatency: options.health.degradedLatency,
      checkInterval: options.health.checkInterval,
      breakers,
      emit,
      onCheck: (health) => this.metrics.recordHealth(statusesOf(health), health.timestamp),
      until$: this.disposed$,
    });
    this.health$ = this.health.health$;
    this.logSubscription = options.enableLogging ? logEvents(this.events$, options.logger) : null;
  }

  /** The current session, or null before a sign-in. */
  getSession(): Session | null {
    return this.session.current;
  }

  /** Forgets the session; later calls use `auth` again. */
  signOut(): void {
    this.session.set(null);
  }

  /**
   * Checks the four services' `GET /health` in parallel, each bounded by `health.timeout`.
   *
   * @example
   * const health = await orchestrator.performHealthCheck();
   * console.log(health.overall, health.content.latencyMs);
   */
  performHealthCheck(): Promise<SystemHealthCheck> {
    if (this.disposed) return Promise.reject(disposedError());
    return firstValueFrom(this.health.check$().pipe(takeUntil(this.disposed$)), { defaultValue: undefined }).then((health) => {
      if (!health) throw disposedError();
      return health;
    });
  }

  /** A snapshot of the metrics. */
  getMetrics(): OrchestratorMetrics {
    return this.metrics.snapshot();
  }

  /**
   * The seed's callback API over `events$`; returns a function that removes the listener. A listener
   * that throws does not stop the others.
   *
   * @example
   * const stop = orchestrator.addEventListener((event) => console.log(event.type));
   */
  addEventListener(listener: OrchestratorEventListener): () => void {
    if (!this.disposed && !this.listeners.has(listener)) {
      const subscription = this.events$.subscribe((event) => {
        try {
          listener(event);
        } catch (error) {
          if (this.config.enableLogging) safeLog(this.config.logger, 'error', '[orchestrator] an event listener threw', redact(error));
        }
      });
      this.listeners.set(listener, subscription);
    }
    return () => this.removeEventListener(listener);
  }

  /** Removes a listener added with `addEventListener`. */
  removeEventListener(listener: OrchestratorEventListener): void {
    this.listeners.get(listener)?.unsubscribe();
    this.listeners.delete(listener);
  }

  /**
   * The events as an async iterable, for `for await` loops; ends on `dispose()`.
   *
   * @example
   * for await (const event of orchestrator.events()) if (event.type === 'operation_error') console.error(event.error);
   */
  events(): AsyncIterable<OrchestratorEvent> {
    return eachValueFrom(this.events$);
  }

  /**
   * Cancels every operation (their requests are aborted), completes `events$`, `health$` and
   * `metrics$`, and clears every timer. Idempotent; later operations resolve to a failure.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposed$.next();
    this.disposed$.complete();
    this.notifier.dispose();
    for (const subscription of this.listeners.values()) subscription.unsubscribe();
    this.listeners.clear();
    this.bus.complete();
    this.metrics.complete();
    this.logSubscription?.unsubscribe();
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }
}

// Each operation's two methods, derived from its one declaration in `operations/index.ts`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the methods are added to the prototype below
export interface ServiceOrchestrator extends OperationMethods, OperationObservableMethods {}

const definitions: readonly AnyOperation[] = Object.values(OPERATIONS);
for (const definition of definitions) {
  Object.defineProperties(ServiceOrchestrator.prototype, {
    [definition.name]: {
      value: function (this: ServiceOrchestrator, ...args: unknown[]) {
        return runnerOf(this).settle(definition, args);
      },
      writable: true,
      configurable: true,
    },
    [`${definition.name}$`]: {
      value: function (this: ServiceOrchestrator, ...args: unknown[]) {
        return runnerOf(this).data$(definition, args);
      },
      writable: true,
      configurable: true,
    },
  });
}

function runnerOf(orchestrator: ServiceOrchestrator): OperationRunner {
  const runner = runners.get(orchestrator);
  if (!runner) throw new TypeError('not a ServiceOrchestrator: call its methods on an instance');
  return runner;
}

/**
 * Creates an orchestrator; the options are validated at once (a bad one throws, naming it).
 * Nothing starts until it is used: no timer, no socket.
 *
 * @example
 * const orchestrator = createServiceOrchestrator({ retryAttempts: 5, timeout: 60_000 });
 */
export function createServiceOrchestrator(config: OrchestratorConfig = {}): ServiceOrchestrator {
  return new ServiceOrchestrator(config);
}
