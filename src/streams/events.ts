import { Subject, type Observable } from 'rxjs';
import type { ServiceName } from '../errors';
import { redact } from '../redact';

/** The cross-service operations the orchestrator runs. */
export type OperationName =
  'onboardNewUser' | 'processDocumentWithAI' | 'searchAndTriggerWorkflows' | 'setupCollaborativeWorkspace' | 'signIn';

/** How a service answers its health check. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** The state of a service's circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** The health of one service, as `performHealthCheck` and `health$` report it. */
export interface ServiceHealth {
  status: HealthStatus;
  /** The name the service gives itself in `/health`, or the orchestrator's name for it. */
  service: string;
  version: string;
  latencyMs: number;
  checkedAt: string;
  error?: string;
}

interface EventBase {
  /** ISO-8601 time of the event. */
  timestamp: string;
}

interface OperationEventBase extends EventBase {
  operationId: string;
  operation: OperationName;
}

/** An operation began; its input is summarised with secrets removed. */
export interface OperationStartEvent extends OperationEventBase {
  type: 'operation_start';
  input: Record<string, unknown>;
}

/** One step of an operation finished, for progress displays. */
export interface OperationStepEvent extends OperationEventBase {
  type: 'operation_step';
  step: string;
  service: ServiceName;
  outcome: 'ok' | 'failed';
  critical: boolean;
  error?: string;
}

/** An operation succeeded, possibly with best-effort parts missing (`partial`). */
export interface OperationCompleteEvent extends OperationEventBase {
  type: 'operation_complete';
  duration: number;
  partial: boolean;
  serviceErrors?: Record<string, string>;
}

/** An operation failed. */
export interface OperationErrorEvent extends OperationEventBase {
  type: 'operation_error';
  duration: number;
  error: string;
  code: string;
  step?: string;
}

/** A service call is about to be tried again. */
export interface OperationRetryEvent extends EventBase {
  type: 'operation_retry';
  operationId?: string;
  operation?: OperationName;
  service: ServiceName;
  endpoint: string;
  attempt: number;
  delay: number;
  error: string;
}

/** A service's health status changed (the first status seen counts as a change from `unknown`). */
export interface ServiceHealthChangeEvent extends EventBase {
  type: 'service_health_change';
  service: ServiceName;
  previous: HealthStatus | 'unknown';
  current: HealthStatus;
  data: ServiceHealth;
}

/** A service's circuit breaker changed state. */
export interface CircuitStateChangeEvent extends EventBase {
  type: 'circuit_state_change';
  service: ServiceName;
  previous: CircuitState;
  current: CircuitState;
}

/** A batch of notifications was sent as one request. */
export interface BatchFlushEvent extends EventBase {
  type: 'batch_flush';
  service: 'communication';
  size: number;
  reason: 'size' | 'window' | 'complete';
}

/** Everything the orchestrator reports on `events$`, told apart by `type`. */
export type OrchestratorEvent =
  | OperationStartEvent
  | OperationStepEvent
  | OperationCompleteEvent
  | OperationErrorEvent
  | OperationRetryEvent
  | ServiceHealthChangeEvent
  | CircuitStateChangeEvent
  | BatchFlushEvent;

/** The type names of {@link OrchestratorEvent}. */
export type OrchestratorEventType = OrchestratorEvent['type'];

/** An event as it is handed to `emit`: without its timestamp. */
export type EventInit = OrchestratorEvent extends infer E ? (E extends OrchestratorEvent ? Omit<E, 'timestamp'> : never) : never;

/** The hot event stream every part of the orchestrator reports to. */
export interface EventBus {
  readonly events$: Observable<OrchestratorEvent>;
  /** Stamps, redacts and publishes an event. */
  emit(event: EventInit): void;
  complete(): void;
}

/** Creates the event bus; every event passes through `redact`, so no secret reaches a listener. */
export function createEventBus(): EventBus {
  const subject = new Subject<OrchestratorEvent>();
  return {
    events$: subject.asObservable(),
    emit(event) {
      if (subject.closed || !subject.observed) return;
      subject.next(redact({ ...event, timestamp: new Date().toISOString() } as OrchestratorEvent));
    },
    complete: () => subject.complete(),
  };
}
