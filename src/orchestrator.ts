import { BehaviorSubject, distinctUntilChanged, firstValueFrom, ReplaySubject, takeUntil, type Observable } from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';
import type { HubClients } from './clients';
import { createHttpClient, type HttpClient } from './clients/http';
import { SessionStore, type Session } from './clients/session';
import { parseConfig, type OrchestratorConfig, type ResolvedConfig } from './config';
import { installOperationMethods, type OperationMethods, type OperationObservableMethods } from './operations';
import { probeCapabilities, probeOptions, type CapabilityOptions, type CapabilityReport } from './operations/capabilities';
import { createOperationRunner, disposedError, type OperationReport, type OperationRunner } from './operations/runner';
import { redact, SecretValues } from './redact';
import { settingsOf, updatedConfig, type OrchestratorConfigUpdate, type OrchestratorSettings } from './settings';
import { createEventBus, type EventBus, type EventInit, type OrchestratorEvent } from './streams/events';
import { monitorHealth, statusesOf, type HealthMonitor, type SystemHealthCheck } from './streams/health';
import { createListeners, type Listeners, type OrchestratorEventListener } from './streams/listeners';
import { safeLog, switchedLogging } from './streams/logging';
import { MetricsCollector, type OrchestratorMetrics } from './streams/metrics';
import { createTracing } from './tracing';
import { createGuards, createWiring, type Wiring } from './wiring';

/** The runner behind each orchestrator's operation methods. */
const runners = new WeakMap<ServiceOrchestrator, OperationRunner>();

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

  /** The validated options, defaults filled in; replaced (never mutated) by `updateConfig`. */
  get config(): ResolvedConfig {
    return this.current;
  }

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
  private readonly wiring: Wiring;
  private readonly http: HttpClient;
  private readonly runner: OperationRunner;
  private current: ResolvedConfig;
  /** The options as given, with the service URLs as resolved: what an update is laid over. */
  private given: OrchestratorConfig;
  private readonly checkInterval$: BehaviorSubject<number>;
  private readonly disposed$ = new ReplaySubject<void>(1);
  private readonly listeners: Listeners;
  private readonly logging: { apply(): void; stop(): void };
  private disposed = false;

  constructor(config: OrchestratorConfig = {}) {
    this.current = parseConfig(config);
    this.given = { ...config, services: this.current.services };
    const options = this.current;
    // Every token the session knows and every password in flight, scrubbed from all that leaves.
    const secrets = new SecretValues(() => this.session.secrets());
    this.bus = createEventBus(() => secrets.values());
    this.events$ = this.bus.events$;
    this.listeners = createListeners(this.events$, (error) => {
      const { enableLogging, logger } = this.config;
      if (enableLogging) safeLog(logger, 'error', '[orchestrator] an event listener threw', redact(error, secrets.values()));
    });
    this.metrics = new MetricsCollector(options.enableMetrics);
    this.metrics$ = this.metrics.metrics$;
    const emit = (event: EventInit): void => this.bus.emit(event);
    const tracing = options.tracing ? createTracing(options.tracing, () => secrets.values()) : undefined;
    const { breakers, retryBudgets } = createGuards(options, emit);

    this.session = new SessionStore({ auth: options.auth, refresh$: (token) => this.wiring.refreshClient.refreshToken$(token) });
    const http = createHttpClient({
      baseUrls: options.services,
      routes: options.routes,
      axios: options.axios,
      fetch: options.fetch,
      getToken: () => this.session.token(),
      tracing,
      maxResponseBytes: options.maxResponseBytes,
      secrets: () => secrets.values(),
    });
    this.http = http;
    // The request metrics count what reached the wire, told by the HTTP layer, not what a breaker let through.
    const counted = http.withOnSent({
      sent: (info) => this.metrics.recordRequest(info.service),
      withdrawn: (info) => this.metrics.withdrawRequest(info.service),
    });
    const { metrics, session } = this;
    this.wiring = createWiring({ config: () => this.current, http: counted, breakers, retryBudgets, metrics, session, emit, tracing });
    this.clients = this.wiring.clients;

    const runner = createOperationRunner({
      isDisposed: () => this.disposed,
      clientsFor: (tag) => this.wiring.clientsFor(tag),
      notify$: (notification, clients) => this.wiring.notifier().notify$(notification, clients.communication),
      setSession: (session) => this.session.set(session),
      secrets,
      tracing,
      report: (report: OperationReport) => {
        if (report.type === 'operation_complete' || report.type === 'operation_error') {
          this.metrics.recordOperation(report.operation, report.duration, report.type === 'operation_complete');
        }
        emit(report);
      },
    });
    this.runner = runner;
    runners.set(this, runner);
    this.checkInterval$ = new BehaviorSubject(options.health.checkInterval);
    const health = () => this.current.health;
    this.health = monitorHealth({
      // Unwrapped calls: a health check is never retried, and it sees an open circuit as it is.
      http,
      // Read at each check, so that `updateConfig` counts from the next one.
      get timeout() {
        return health().timeout;
      },
      get degradedLatency() {
        return health().degradedLatency;
      },
      checkInterval: this.checkInterval$.pipe(distinctUntilChanged()),
      breakers,
      emit,
      secrets: () => secrets.values(),
      onCheck: (health) => this.metrics.recordHealth(statusesOf(health), health.timestamp),
      until$: this.disposed$,
    });
    this.health$ = this.health.health$;
    this.logging = switchedLogging(this.events$, () => this.current);
  }

  /**
   * The options in the seed's names (`retryAttempts`, `retryDelay`, `timeout`, `enableBatching`,
   * `batchSize`, `enableMetrics`, `enableLogging`) and the library's others; a copy, without `auth`.
   *
   * @example
   * const { retryAttempts, timeout } = orchestrator.getConfig();
   */
  getConfig(): OrchestratorSettings {
    return settingsOf(this.current);
  }

  /**
   * Changes options, validated as the constructor validates them (a bad one throws, naming it, and
   * changes nothing). Operations started afterwards use them; a new `health.checkInterval` restarts
   * `health$`'s timer for its current subscribers. The service URLs, `auth` and the wiring are fixed.
   *
   * @example
   * orchestrator.updateConfig({ retryAttempts: 5, health: { checkInterval: 10_000 } });
   */
  updateConfig(update: OrchestratorConfigUpdate): void {
    if (this.disposed) throw disposedError();
    const { input, resolved } = updatedConfig(this.given, update);
    this.given = input;
    this.current = resolved;
    this.metrics.enabled = resolved.enableMetrics;
    this.logging.apply();
    this.checkInterval$.next(resolved.health.checkInterval);
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

  /**
   * Probes this Hub without writing to it: which operations can run fully, partly or not at all, and
   * what each endpoint answered. Probes with the session's token unless given a token or credentials.
   *
   * @example
   * const { operations } = await orchestrator.capabilities();
   * if (operations.setupCollaborativeWorkspace === 'unavailable') console.warn('no shared workspaces on this Hub');
   */
  capabilities(options: CapabilityOptions = {}): Promise<CapabilityReport> {
    return probeCapabilities(probeOptions(this.config, () => this.session.token(), options));
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
    if (!this.disposed) this.listeners.add(listener);
    return () => this.removeEventListener(listener);
  }

  /** Removes a listener added with `addEventListener`. */
  removeEventListener(listener: OrchestratorEventListener): void {
    this.listeners.remove(listener);
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
   * `metrics$`, clears every timer, and closes the connections of the default transport's pool
   * (Node: the idle ones at once, the others as their requests end; an `axios` instance given in the
   * options is left as it is). Idempotent; later operations resolve to a failure.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.runner.disposeAll();
    this.disposed$.next();
    this.disposed$.complete();
    this.wiring.dispose();
    // Last: what dispose() cancelled has let go of its connections; the default transport's pool closes the rest.
    this.http.close();
    this.checkInterval$.complete();
    this.listeners.clear();
    this.bus.complete();
    this.metrics.complete();
    this.logging.stop();
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }
}

// Each operation's two methods, derived from its one declaration in `operations/index.ts`.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the methods are added to the prototype below
export interface ServiceOrchestrator extends OperationMethods, OperationObservableMethods {}

installOperationMethods(ServiceOrchestrator.prototype, (instance) => {
  const runner = runners.get(instance as ServiceOrchestrator);
  if (!runner) throw new TypeError('not a ServiceOrchestrator: call its methods on an instance');
  return runner;
});

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
