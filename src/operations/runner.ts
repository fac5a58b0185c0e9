import { catchError, defer, finalize, fromEvent, map, merge, of, take, throwIfEmpty, type Observable } from 'rxjs';
import type { z } from 'zod';
import type { HubClients } from '../clients';
import type { NotificationRequest } from '../clients/communication';
import type { Session } from '../clients/session';
import { errorMessage, invalidInput, isOrchestratorError, OrchestratorError } from '../errors';
import type { OperationName } from '../hub';
import { redact, redactText } from '../redact';
import type { OperationTag } from '../resilience/callPolicy';
import type { NotificationReceipt } from './notifications';
import { OperationRun, type OperationStepReport } from './operationRun';

/**
 * One public operation, declared once: its name, how its positional arguments make its input, the
 * schema that input must fit, and its steps. The promise form, the `$` form, the events and the
 * metrics are all derived from it.
 */
export interface OperationDefinition<N extends OperationName, A extends unknown[], S extends z.ZodType, T> {
  readonly name: N;
  /** The input the arguments make, checked before anything is sent. */
  readonly input: S;
  /**
   * The method's positional arguments, gathered into the input; optional ones are written without
   * a default (the schema gives it), so that `args.length` tells where `options` stands.
   */
  args(...args: A): unknown;
  /** The operation's steps, as one cold Observable of its result. */
  steps(run: OperationRun, input: z.output<S>): Observable<T>;
}

/** Any operation's definition, as the runner sees it. */
export type AnyOperation = OperationDefinition<OperationName, never[], z.ZodType, unknown>;

/** Declares an operation (see {@link OperationDefinition}); the identity, for its types. */
export function defineOperation<N extends OperationName, A extends unknown[], S extends z.ZodType, T>(
  definition: OperationDefinition<N, A, S, T>,
): OperationDefinition<N, A, S, T> {
  return definition;
}

/** What every promise adapter resolves to: it never rejects. `success` tells which of the two it is. */
export type OperationResult<T> = OperationSuccess<T> | OperationFailure;

/** An operation that did what it must; best-effort parts may be missing (`details.partial`). */
export interface OperationSuccess<T> {
  success: true;
  data: T;
  error?: undefined;
  /** `{ partial: true }` after a best-effort failure, and facts such as `unresolved` emails. */
  details?: Record<string, unknown>;
  /** ms from the call to the result. */
  duration: number;
  /** Service name → what went wrong there, for the best-effort steps that failed. */
  serviceErrors?: Record<string, string>;
}

/** An operation that failed: nothing it returned is usable. */
export interface OperationFailure {
  success: false;
  data?: undefined;
  /** One readable sentence. */
  error: string;
  /** For example `{ code, step, status, issues }`. */
  details: Record<string, unknown>;
  /** ms from the call to the result. */
  duration: number;
  /** Service name → what went wrong there, for the best-effort steps that failed before. */
  serviceErrors?: Record<string, string>;
}

/** Options of every operation's promise adapter. */
export interface OperationOptions {
  /**
   * Cancels the operation and aborts its HTTP requests; the result is then a failure with code
   * `aborted`, or `timeout` for `AbortSignal.timeout(ms)` (a bound on the whole operation).
   */
  signal?: AbortSignal;
}

/** An operation began; its input is summarised (the event bus removes its secrets). */
export interface OperationStartReport {
  type: 'operation_start';
  operationId: string;
  operation: OperationName;
  input: Record<string, unknown>;
}

/** An operation succeeded, possibly with best-effort parts missing (`partial`). */
export interface OperationCompleteReport {
  type: 'operation_complete';
  operationId: string;
  operation: OperationName;
  duration: number;
  partial: boolean;
  serviceErrors?: Record<string, string>;
}

/** An operation failed. */
export interface OperationErrorReport {
  type: 'operation_error';
  operationId: string;
  operation: OperationName;
  duration: number;
  error: string;
  code: string;
  step?: string;
}

/** What the runner reports of an operation: its start, its steps, and exactly one end. */
export type OperationReport = OperationStartReport | OperationStepReport | OperationCompleteReport | OperationErrorReport;

/** What the runner needs of the orchestrator. */
export interface RunnerDeps {
  /** Emits once on `dispose()`; every run still going then ends as `disposed`. */
  readonly disposed$: Observable<void>;
  isDisposed(): boolean;
  /** Clients whose calls are made, and their retries reported, on behalf of this operation. */
  clientsFor(tag: OperationTag): HubClients;
  notify$(notification: NotificationRequest, clients: HubClients): Observable<NotificationReceipt>;
  setSession(session: Session): void;
  report(report: OperationReport): void;
}

/** An operation's end, success or failure, with what its best-effort steps reported. */
type Outcome<T> =
  | { ok: true; data: T; serviceErrors: Record<string, string>; details: Record<string, unknown> }
  | { ok: false; error: OrchestratorError; serviceErrors: Record<string, string> };

/** Runs declared operations: the promise form and the `$` form of each. */
export interface OperationRunner {
  /** The promise form: resolves to an {@link OperationResult}, never rejects; `options` may follow the arguments. */
  settle<T>(definition: OperationDefinition<OperationName, never[], z.ZodType, T>, args: unknown[]): Promise<OperationResult<T>>;
  /** The `$` form: the data, or an {@link OrchestratorError}. */
  data$<T>(definition: OperationDefinition<OperationName, never[], z.ZodType, T>, args: unknown[]): Observable<T>;
}

/**
 * The operation runner: validates an operation's input before anything is sent, gives it clients
 * whose calls are tagged with it, reports it, and ends it, with exactly one outcome, on its result,
 * on `dispose()` or on its signal. Unsubscribing ends it as cancelled.
 */
export function createOperationRunner(deps: RunnerDeps): OperationRunner {
  function outcome$<T>(
    definition: OperationDefinition<OperationName, never[], z.ZodType, T>,
    input: unknown,
    signal?: AbortSignal,
  ): Observable<Outcome<T>> {
    const operation = definition.name;
    return defer(() => {
      if (deps.isDisposed()) return of<Outcome<T>>({ ok: false, error: disposedError(), serviceErrors: {} });
      const operationId = newOperationId(operation);
      const started = performance.now();
      // The bus redacts every report (the password here), and only when someone listens.
      deps.report({ type: 'operation_start', operationId, operation, input: input as Record<string, unknown> });
      let settled = false;
      const finish = (outcome: Outcome<T>): Outcome<T> => {
        settled = true;
        deps.report(endReport(operation, operationId, performance.now() - started, outcome));
        return outcome;
      };

      const parsed = definition.input.safeParse(input);
      if (!parsed.success) return of(finish({ ok: false, error: invalidInput(parsed.error), serviceErrors: {} }));

      const clients = deps.clientsFor({ operationId, operation });
      const run = new OperationRun({
        operationId,
        operation,
        clients,
        notify$: (notification) => deps.notify$(notification, clients),
        setSession: deps.setSession,
        reportStep: deps.report,
      });
      const failure = (error: OrchestratorError): Outcome<T> => ({ ok: false, error, serviceErrors: run.serviceErrors });
      // Subscribed first, so that an expired signal ends the run before it sends anything.
      const disposed$ = deps.disposed$.pipe(map(() => failure(disposedError())));
      const ended$ = signal ? merge(disposed$, aborted$(signal).pipe(map(failure))) : disposed$;
      const result$ = definition.steps(run, parsed.data).pipe(
        throwIfEmpty(() => new OrchestratorError('The operation ended without a result', 'step_failed')),
        map((data): Outcome<T> => ({ ok: true, data, serviceErrors: run.serviceErrors, details: run.details })),
        catchError((error: unknown) => of(failure(asOrchestratorError(error)))),
      );
      return merge(ended$, result$).pipe(
        take(1),
        map(finish),
        finalize(() => {
          if (!settled) finish(failure(new OrchestratorError('The operation was cancelled', 'aborted')));
        }),
      );
    });
  }

  return {
    settle(definition, args) {
      const arity = definition.args.length;
      const options = args[arity] as OperationOptions | undefined;
      const input = definition.args(...(args.slice(0, arity) as never[]));
      const started = performance.now();
      return new Promise((resolve) => {
        outcome$(definition, input, options?.signal).subscribe({
          next: (outcome) => resolve(toResult(outcome, performance.now() - started)),
          error: (error: unknown) =>
            resolve(toResult({ ok: false, error: asOrchestratorError(error), serviceErrors: {} }, performance.now() - started)),
        });
      });
    },
    data$(definition, args) {
      return outcome$(definition, definition.args(...(args as never[]))).pipe(
        map((outcome) => {
          if (!outcome.ok) throw outcome.error;
          return outcome.data;
        }),
      );
    },
  };
}

let operationCounter = 0;
/** The time part of the ids, formatted once per millisecond. */
let idTime = NaN;
let idTimeText = '';

function newOperationId(operation: OperationName): string {
  operationCounter = (operationCounter + 1) % Number.MAX_SAFE_INTEGER;
  const now = Date.now();
  if (now !== idTime) {
    idTime = now;
    idTimeText = now.toString(36);
  }
  return `${operation}-${idTimeText}-${operationCounter.toString(36)}`;
}

/** The failure of anything started on a disposed orchestrator. */
export function disposedError(): OrchestratorError {
  return new OrchestratorError('The orchestrator is disposed: create a new one to run operations', 'disposed');
}

function asOrchestratorError(error: unknown): OrchestratorError {
  if (isOrchestratorError(error)) return error;
  return new OrchestratorError(`Unexpected failure: ${redactText(errorMessage(error))}`, 'step_failed', {}, { cause: error });
}

/**
 * Emits, once, why a signal ended an operation: `AbortSignal.timeout(ms)` is an overall timeout,
 * anything else a cancellation. At once when the signal has already fired.
 */
function aborted$(signal: AbortSignal): Observable<OrchestratorError> {
  const why = (): OrchestratorError => {
    // A DOMException, possibly from another realm: recognised by its name.
    const reason = signal.reason as { name?: unknown } | undefined;
    return reason?.name === 'TimeoutError'
      ? new OrchestratorError('The operation timed out (its signal expired)', 'timeout')
      : new OrchestratorError('The operation was cancelled', 'aborted');
  };
  return signal.aborted ? of(why()) : fromEvent(signal, 'abort').pipe(map(why));
}

function endReport<T>(operation: OperationName, operationId: string, duration: number, outcome: Outcome<T>): OperationReport {
  if (outcome.ok) {
    const partial = Object.keys(outcome.serviceErrors).length > 0;
    return {
      type: 'operation_complete',
      operationId,
      operation,
      duration,
      partial,
      ...(partial ? { serviceErrors: outcome.serviceErrors } : {}),
    };
  }
  const step = outcome.error.details.step;
  return {
    type: 'operation_error',
    operationId,
    operation,
    duration,
    error: outcome.error.message,
    code: outcome.error.code,
    ...(typeof step === 'string' ? { step } : {}),
  };
}

function toResult<T>(outcome: Outcome<T>, duration: number): OperationResult<T> {
  const serviceErrors = Object.keys(outcome.serviceErrors).length > 0 ? { serviceErrors: { ...outcome.serviceErrors } } : {};
  if (outcome.ok) {
    const partial = 'serviceErrors' in serviceErrors;
    const details = { ...outcome.details, ...(partial ? { partial: true } : {}) };
    return { success: true, data: outcome.data, duration, ...(Object.keys(details).length > 0 ? { details } : {}), ...serviceErrors };
  }
  const { error } = outcome;
  return {
    success: false,
    error: redactText(error.message),
    details: redact({ code: error.code, ...error.details }),
    duration,
    ...serviceErrors,
  };
}
