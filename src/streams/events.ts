import { Subject, type Observable } from 'rxjs';
import type { CircuitState, HealthStatus, ServiceName } from '../hub';
import type { OperationStepReport } from '../operations/operationRun';
import type { OperationCompleteReport, OperationErrorReport, OperationStartReport } from '../operations/runner';
import { redact, type SecretList } from '../redact';
import type { BatchFlushReason } from '../batching/createBatcher';
import type { RetryBudgetReport, RetryReport } from '../resilience/callPolicy';

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

/** An operation began; its input is summarised with secrets removed. */
export interface OperationStartEvent extends EventBase, OperationStartReport {}

/** One step of an operation finished, for progress displays. */
export interface OperationStepEvent extends EventBase, OperationStepReport {}

/** An operation succeeded, possibly with best-effort parts missing (`partial`). */
export interface OperationCompleteEvent extends EventBase, OperationCompleteReport {}

/** An operation failed. */
export interface OperationErrorEvent extends EventBase, OperationErrorReport {}

/** A service call is about to be tried again. */
export interface OperationRetryEvent extends EventBase, RetryReport {}

/** A retryable failure was not retried: its service's retry budget is spent, so it passed through at once. */
export interface RetryBudgetExhaustedEvent extends EventBase, RetryBudgetReport {}

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
  /** Full; alone at the end of its tick with nothing in flight; after `batchWindow` while others were out; or on dispose. */
  reason: BatchFlushReason;
}

/** Everything the orchestrator reports on `events$`, told apart by `type`. */
export type OrchestratorEvent =
  | OperationStartEvent
  | OperationStepEvent
  | OperationCompleteEvent
  | OperationErrorEvent
  | OperationRetryEvent
  | RetryBudgetExhaustedEvent
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

/**
 * Creates the event bus; every event passes through `redact`, with the secret values `secrets`
 * gives at that moment (the session's tokens, passwords in flight), so no secret reaches a listener.
 */
export function createEventBus(secrets: () => SecretList = () => []): EventBus {
  const subject = new Subject<OrchestratorEvent>();
  // An operation emits several events within the same millisecond: its timestamp is formatted once.
  let stampedAt = NaN;
  let stamp = '';
  const timestamp = (): string => {
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString();
    }
    return stamp;
  };
  return {
    events$: subject.asObservable(),
    emit(event) {
      if (subject.closed || !subject.observed) return;
      // redact makes the copy; the stamp goes on it, so the event is copied once.
      const stamped = redact(event, secrets()) as EventInit & { timestamp: string };
      stamped.timestamp = timestamp();
      subject.next(stamped as OrchestratorEvent);
    },
    complete: () => subject.complete(),
  };
}
