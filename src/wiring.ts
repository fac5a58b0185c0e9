// The parts of an orchestrator that its options shape, rebuilt when `updateConfig` changes them:
// the call policy (timeout, retries) and the notifier (batching). Each operation takes the parts
// current when it starts and keeps them, so a change applies to the operations started afterwards.
import type { HubClients } from './clients';
import { createHubClients } from './clients';
import type { CallWrapper, HttpClient } from './clients/http';
import { createIdentityClient, type IdentityClient } from './clients/identity';
import type { SessionStore } from './clients/session';
import type { ResolvedConfig } from './config';
import { perService, type ServiceName } from './hub';
import { createNotifier, type Notifier } from './operations/notifications';
import { createCallPolicy, type CallPolicy, type OperationTag, type RetryReport } from './resilience/callPolicy';
import { CircuitBreaker } from './resilience/circuitBreaker';
import { RetryBudget } from './resilience/retryBudget';
import type { EventInit } from './streams/events';
import type { MetricsCollector } from './streams/metrics';
import type { Tracing } from './tracing';

/** What {@link createWiring} builds on. */
export interface WiringDeps {
  readonly config: () => ResolvedConfig;
  readonly http: HttpClient;
  readonly breakers: Readonly<Record<ServiceName, CircuitBreaker>>;
  /** One retry budget per service, or none when `retryBudget.enabled` is false. */
  readonly retryBudgets?: Readonly<Record<ServiceName, RetryBudget>>;
  readonly metrics: MetricsCollector;
  readonly session: SessionStore;
  readonly emit: (event: EventInit) => void;
  /** Spans for calls and bulk requests, when tracing is on. */
  readonly tracing?: Tracing;
}

/** The option-shaped parts, always those of the current options. */
export interface Wiring {
  /** Clients for the calls no operation makes (`orchestrator.clients`): each call takes the current policy. */
  readonly clients: HubClients;
  /** The identity client the session refreshes with: without the refresh-on-401 layer, or a failed refresh would refresh. */
  readonly refreshClient: IdentityClient;
  /** Clients for one operation, with the policy current at its start. */
  clientsFor(tag: OperationTag): HubClients;
  /** The notifier of the current batching options. */
  notifier(): Notifier;
  /** Disposes every notifier built so far (their batches are sent first). */
  dispose(): void;
}

/** Each service's circuit breaker and retry budget: fixed at creation, shared by every call to it. */
export function createGuards(
  options: ResolvedConfig,
  emit: (event: EventInit) => void,
): { breakers: Record<ServiceName, CircuitBreaker>; retryBudgets?: Record<ServiceName, RetryBudget> } {
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
  return enabled ? { breakers, retryBudgets: perService(() => new RetryBudget({ ...budget, now: options.clock })) } : { breakers };
}

/** Builds the option-shaped parts lazily, and again whenever the options they read change. */
export function createWiring(deps: WiringDeps): Wiring {
  const { http, metrics } = deps;
  const policyOf = (config: ResolvedConfig, session?: SessionStore): CallPolicy =>
    createCallPolicy({
      timeout: config.timeout,
      retry: { count: config.retryAttempts, delay: config.retryDelay, maxDelay: config.maxRetryDelay },
      breakers: deps.breakers,
      // Requests are counted by the HTTP layer as they reach the wire; the breaker counts failures.
      attempts: perService((service: ServiceName) => ({ failed: () => metrics.recordServiceError(service) })),
      session,
      tracing: deps.tracing,
      onRetry: (report: RetryReport) => {
        metrics.recordRetry(report.service);
        deps.emit(report);
      },
      retryBudgets: deps.retryBudgets,
      onRetryRefused: deps.emit,
    });

  /** A value rebuilt when the options it is keyed on change. */
  const rebuiltOn = <T>(key: (config: ResolvedConfig) => string, build: (config: ResolvedConfig) => T, retire?: (old: T) => void) => {
    let built: { key: string; value: T } | null = null;
    // The options change only on `updateConfig`, which replaces them: the same object, the same key.
    let keyedOn: ResolvedConfig | null = null;
    return (): T => {
      const config = deps.config();
      if (built && config === keyedOn) return built.value;
      keyedOn = config;
      const current = key(config);
      if (built?.key !== current) {
        if (built && retire) retire(built.value);
        built = { key: current, value: build(config) };
      }
      return built.value;
    };
  };
  const policyKey = (config: ResolvedConfig) =>
    JSON.stringify([config.timeout, config.retryAttempts, config.retryDelay, config.maxRetryDelay]);
  const policy = rebuiltOn(policyKey, (config) => policyOf(config, deps.session));
  const refreshPolicy = rebuiltOn(policyKey, (config) => policyOf(config));
  const untagged = rebuiltOn(policyKey, () => policy().wrap());
  const refreshWrap = rebuiltOn(policyKey, () => refreshPolicy().wrap());
  const current =
    (wrap: () => CallWrapper): CallWrapper =>
    (call$, info) =>
      wrap()(call$, info);

  const clients = createHubClients(http.withWrap(current(untagged)));
  const retired: Notifier[] = [];
  const notifier = rebuiltOn(
    (config) => JSON.stringify([config.enableBatching, config.batchSize, config.batchWindow]),
    (config) =>
      createNotifier({
        communication: clients.communication,
        batching: config.enableBatching ? { size: config.batchSize, windowMs: config.batchWindow } : null,
        onFlush: ({ size, reason }) => {
          metrics.recordBatch(size);
          deps.emit({ type: 'batch_flush', service: 'communication', size, reason });
        },
        tracing: deps.tracing,
      }),
    // A batch being gathered is sent as it is; later notifications go to the new notifier.
    (old) => {
      old.dispose();
      retired.push(old);
    },
  );

  return {
    clients,
    refreshClient: createIdentityClient(http.withWrap(current(refreshWrap))),
    clientsFor: (tag) => createHubClients(http.withWrap(policy().wrap(tag))),
    notifier,
    dispose() {
      notifier().dispose();
      retired.length = 0;
    },
  };
}
