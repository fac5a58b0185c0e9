import { forkJoin, map, Observable, of } from 'rxjs';
import type { HubClients } from '../clients';
import type { NotificationRequest } from '../clients/communication';
import type { Session } from '../clients/session';
import { errorMessage, isOrchestratorError, isServiceError, OrchestratorError } from '../errors';
import type { OperationName, ServiceName } from '../hub';
import { redactText } from '../redact';
import { Relay, type Sink } from '../relay';
import type { TraceContext, Tracing } from '../tracing';
import type { NotificationReceipt } from './notifications';

/** One step of an operation finished, for progress displays. */
export interface OperationStepReport {
  type: 'operation_step';
  operationId: string;
  operation: OperationName;
  step: string;
  service: ServiceName;
  outcome: 'ok' | 'failed';
  critical: boolean;
  error?: string;
}

/** What an operation may use: its clients (calls tagged with it), notifications and the session. */
export interface OperationDeps {
  readonly operationId: string;
  readonly operation: OperationName;
  readonly clients: HubClients;
  /** Sends one notification, batched where batching is on. */
  notify$(notification: NotificationRequest): Observable<NotificationReceipt>;
  /** Makes a session the orchestrator's (after a login). */
  setSession(session: Session): void;
  /** Told of every step that ends. */
  reportStep(report: OperationStepReport): void;
  /** With tracing on: the spans, and the context of the operation's span (each step's parent). */
  readonly trace?: { readonly tracing: Tracing; readonly context: TraceContext };
}

/**
 * One run of an operation: its steps, critical or best-effort, and what went wrong in the
 * best-effort ones. Each operation file receives one and reads as its list of steps.
 */
export class OperationRun {
  /** Service name → what went wrong there, for best-effort steps that failed. */
  readonly serviceErrors: Record<string, string> = {};
  /** Extra facts for `OperationResult.details`, such as unresolved emails. */
  readonly details: Record<string, unknown> = {};

  constructor(readonly deps: OperationDeps) {}

  /** The Hub clients of this run: their calls are tagged with it. */
  get clients(): HubClients {
    return this.deps.clients;
  }

  /** A step the operation cannot do without: its failure ends the operation with `step_failed`. */
  critical<T>(step: string, service: ServiceName, call$: Observable<T>): Observable<T> {
    return this.step(step, service, true, call$, (error, subscriber) => subscriber.error(stepFailure(step, service, error)));
  }

  /** A step the operation can do without: its failure is recorded and `fallback` stands in. */
  bestEffort<T, F>(step: string, service: ServiceName, call$: Observable<T>, fallback: F): Observable<T | F> {
    return this.step<T | F>(step, service, false, call$, (error, subscriber) => {
      this.recordServiceError(service, errorMessage(error));
      subscriber.next(fallback);
      subscriber.complete();
    });
  }

  /** Best-effort notifications, in parallel; the receipts of those that went out. */
  notifyAll$(step: string, notifications: readonly NotificationRequest[]): Observable<NotificationReceipt[]> {
    if (notifications.length === 0) return of([]);
    return forkJoin(
      notifications.map((notification) => this.bestEffort(step, 'communication', this.deps.notify$(notification), null)),
    ).pipe(map((receipts) => receipts.filter((receipt): receipt is NotificationReceipt => receipt !== null)));
  }

  /** Best-effort in-app notifications of the same message to each user id. */
  notifyUsers$(userIds: readonly string[], subject: string, message: string): Observable<NotificationReceipt[]> {
    return this.notifyAll$(
      'notify user',
      userIds.map((to) => ({ type: 'in_app' as const, to, subject, message })),
    );
  }

  /** Ends the operation at a step whose answer rules it out, such as an inactive definition. */
  refuse(step: string, service: ServiceName, reason: string): never {
    this.deps.reportStep(stepReport(this.deps, step, service, true, reason));
    throw new OrchestratorError(`${step} failed: ${reason}`, 'step_failed', { step, service, reason });
  }

  /**
   * A step's call, reported when it ends and handed to `failed` when it fails: one subscriber, where
   * `tap` and `catchError` would be two more for every step of every operation.
   */
  private step<T>(
    step: string,
    service: ServiceName,
    critical: boolean,
    call$: Observable<T>,
    failed: (error: unknown, subscriber: Sink<T>) => void,
  ): Observable<T> {
    const traced$ = this.traced(step, service, critical, call$);
    return new Observable<T>((subscriber) => {
      const relay = new StepRelay(subscriber, this.deps, step, service, critical, failed);
      traced$.subscribe(relay);
      return relay;
    });
  }

  /** With tracing on, a span for the step, active while its calls are made: their spans are its children. */
  private traced<T>(step: string, service: ServiceName, critical: boolean, call$: Observable<T>): Observable<T> {
    const { trace } = this.deps;
    if (!trace) return call$;
    return new Observable<T>((subscriber) => {
      const span = trace.tracing.startStep(step, service, critical, trace.context);
      const subscription = trace.tracing.within(span.context, () =>
        call$.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            span.end({ type: isOrchestratorError(error) ? error.code : 'unknown', message: redactText(errorMessage(error)) });
            subscriber.error(error);
          },
          complete: () => {
            span.end();
            subscriber.complete();
          },
        }),
      );
      return () => {
        subscription.unsubscribe();
        span.end({ type: 'aborted' });
      };
    });
  }

  private recordServiceError(service: ServiceName, message: string): void {
    const previous = this.serviceErrors[service];
    if (previous === undefined) this.serviceErrors[service] = message;
    else if (!previous.split('; ').includes(message)) this.serviceErrors[service] = `${previous}; ${message}`;
  }
}

/** One step's call: reported when it ends, and handed to `failed` when it fails. */
class StepRelay<T> extends Relay<T> {
  constructor(
    destination: Sink<T>,
    private readonly deps: OperationDeps,
    private readonly step: string,
    private readonly service: ServiceName,
    private readonly critical: boolean,
    private readonly failed: (error: unknown, subscriber: Sink<T>) => void,
  ) {
    super(destination);
  }

  protected override onError(error: unknown): void {
    this.deps.reportStep(stepReport(this.deps, this.step, this.service, this.critical, errorMessage(error)));
    this.failed(error, this.destination);
  }

  protected override onComplete(): void {
    this.deps.reportStep(stepReport(this.deps, this.step, this.service, this.critical));
    this.destination.complete();
  }
}

/** The report of a step that ended: `ok`, or `failed` with what went wrong. */
function stepReport(deps: OperationDeps, step: string, service: ServiceName, critical: boolean, error?: string): OperationStepReport {
  return {
    operationId: deps.operationId,
    operation: deps.operation,
    type: 'operation_step',
    step,
    service,
    critical,
    outcome: error === undefined ? 'ok' : 'failed',
    ...(error === undefined ? {} : { error }),
  };
}

/** The error a failed critical step ends its operation with; the service error is kept as `cause`. */
function stepFailure(step: string, service: ServiceName, error: unknown): OrchestratorError {
  if (!isServiceError(error)) {
    if (isOrchestratorError(error)) return error;
    return new OrchestratorError(`${step} failed: ${errorMessage(error)}`, 'step_failed', { step, service }, { cause: error });
  }
  return new OrchestratorError(
    `${step} failed: ${error.message}`,
    'step_failed',
    {
      step,
      service: error.service,
      endpoint: error.endpoint,
      code: error.code,
      attempts: error.attempts,
      ...(error.notRetried ? { notRetried: error.notRetried } : {}),
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
    { cause: error },
  );
}
