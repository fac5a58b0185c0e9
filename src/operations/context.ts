import { catchError, forkJoin, map, of, tap, type Observable } from 'rxjs';
import type { HubClients } from '../clients';
import type { NotificationRequest } from '../clients/communication';
import type { LoginResponse } from '../clients/identity';
import { errorMessage, isServiceError, OrchestratorError, type ServiceName } from '../errors';
import type { EventInit, OperationName } from '../streams/events';

/** The signed-in user's tokens; the orchestrator sends `accessToken` on every call. */
export interface Session {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  /** ISO time the access token expires. */
  expiresAt: string;
  userId: string;
  user: LoginResponse['user'];
}

/** What the Hub acknowledged for one notification, sent alone or in a bulk batch. */
export interface NotificationReceipt {
  /** The notification's id; null when it went out in a bulk batch, which answers with a task only. */
  notificationId: string | null;
  taskId: string;
  status: string;
  channel: string;
  recipient: string;
  batched: boolean;
}

/** Reads a login answer into a {@link Session}. */
export function sessionFromLogin(login: LoginResponse, now: number = Date.now()): Session {
  return {
    accessToken: login.access_token,
    refreshToken: login.refresh_token,
    tokenType: login.token_type,
    expiresAt: new Date(now + login.expires_in * 1000).toISOString(),
    userId: login.user_id,
    user: login.user,
  };
}

/** What an operation may use: its clients (calls tagged with it), notifications and the session. */
export interface OperationDeps {
  readonly operationId: string;
  readonly operation: OperationName;
  readonly clients: HubClients;
  notify$(notification: NotificationRequest): Observable<NotificationReceipt>;
  setSession(session: Session): void;
  emit(event: EventInit): void;
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

  get clients(): HubClients {
    return this.deps.clients;
  }

  /** A step the operation cannot do without: its failure ends the operation with `step_failed`. */
  critical<T>(step: string, service: ServiceName, call$: Observable<T>): Observable<T> {
    return call$.pipe(
      tap({ complete: () => this.stepEvent(step, service, true) }),
      catchError((error: unknown) => {
        this.stepEvent(step, service, true, error);
        throw stepFailure(step, service, error);
      }),
    );
  }

  /** A step the operation can do without: its failure is recorded and `fallback` stands in. */
  bestEffort<T, F>(step: string, service: ServiceName, call$: Observable<T>, fallback: F): Observable<T | F> {
    return call$.pipe(
      tap({ complete: () => this.stepEvent(step, service, false) }),
      catchError((error: unknown) => {
        this.stepEvent(step, service, false, error);
        this.recordServiceError(service, errorMessage(error));
        return of(fallback);
      }),
    );
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
    this.deps.emit({ ...this.tag(), type: 'operation_step', step, service, outcome: 'failed', critical: true, error: reason });
    throw new OrchestratorError(`${step} failed: ${reason}`, 'step_failed', { step, service, reason });
  }

  private recordServiceError(service: ServiceName, message: string): void {
    const previous = this.serviceErrors[service];
    if (previous === undefined) this.serviceErrors[service] = message;
    else if (!previous.split('; ').includes(message)) this.serviceErrors[service] = `${previous}; ${message}`;
  }

  private stepEvent(step: string, service: ServiceName, critical: boolean, error?: unknown): void {
    this.deps.emit({
      ...this.tag(),
      type: 'operation_step',
      step,
      service,
      critical,
      outcome: error === undefined ? 'ok' : 'failed',
      ...(error === undefined ? {} : { error: errorMessage(error) }),
    });
  }

  private tag(): { operationId: string; operation: OperationName } {
    return { operationId: this.deps.operationId, operation: this.deps.operation };
  }
}

/** The error a failed critical step ends its operation with; the service error is kept as `cause`. */
function stepFailure(step: string, service: ServiceName, error: unknown): OrchestratorError {
  if (!isServiceError(error)) {
    if (error instanceof OrchestratorError) return error;
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
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.issues ? { issues: error.issues } : {}),
    },
    { cause: error },
  );
}
