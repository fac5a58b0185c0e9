import { defer, map, Observable, Subscription } from 'rxjs';
import type * as z from 'zod/mini';
import type { HubClients } from '../clients';
import type { NotificationRequest } from '../clients/communication';
import type { Session } from '../clients/session';
import { errorMessage, invalidInput, isOrchestratorError, OrchestratorError } from '../errors';
import { safeParseInEnglish } from '../issues';
import type { OperationName } from '../hub';
import { redact, redactError, redactText, secretFieldsOf, type SecretList, type SecretValues } from '../redact';
import type { OperationTag } from '../resilience/callPolicy';
import type { Tracing } from '../tracing';
import type { NotificationReceipt } from './notifications';
import { OperationRun, type OperationStepReport } from './operationRun';

/**
 * One public operation, declared once: its name, how its positional arguments make its input, the
 * schema that input must fit, and its steps. The promise form, the `$` form, the events and the
 * metrics are all derived from it.
 */
export interface OperationDefinition<N extends OperationName, A extends unknown[], S extends z.core.$ZodType, T> {
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
export type AnyOperation = OperationDefinition<OperationName, never[], z.core.$ZodType, unknown>;

/** Declares an operation (see {@link OperationDefinition}); the identity, for its types. */
export function defineOperation<N extends OperationName, A extends unknown[], S extends z.core.$ZodType, T>(
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
  /** Spans for each operation and step, when tracing is on. */
  readonly tracing?: Tracing;
  /** The secret values scrubbed from results and errors; each run holds its input's passwords in it while it runs. */
  readonly secrets: SecretValues;
}

/** An operation's end, success or failure, with what its best-effort steps reported. */
type Outcome<T> =
  | { ok: true; data: T; serviceErrors: Record<string, string>; details: Record<string, unknown> }
  | { ok: false; error: OrchestratorError; serviceErrors: Record<string, string> };

/** Runs declared operations: the promise form and the `$` form of each. */
export interface OperationRunner {
  /** The promise form: resolves to an {@link OperationResult}, never rejects; `options` may follow the arguments. */
  settle<T>(definition: OperationDefinition<OperationName, never[], z.core.$ZodType, T>, args: unknown[]): Promise<OperationResult<T>>;
  /** The `$` form: the data, or an {@link OrchestratorError}. */
  data$<T>(definition: OperationDefinition<OperationName, never[], z.core.$ZodType, T>, args: unknown[]): Observable<T>;
}

/**
 * The operation runner: validates an operation's input before anything is sent, gives it clients
 * whose calls are tagged with it, reports it, and ends it, with exactly one outcome, on its result,
 * on `dispose()` or on its signal. Unsubscribing ends it as cancelled.
 */
export function createOperationRunner(deps: RunnerDeps): OperationRunner {
  function outcome$<T>(
    definition: OperationDefinition<OperationName, never[], z.core.$ZodType, T>,
    input: unknown,
    options?: unknown,
  ): Observable<Outcome<T>> {
    const operation = definition.name;
    // One hand-written Observable rather than a chain of operators: every operation pays for this
    // part, and each operator would be another subscriber per run. It ends with exactly one
    // outcome, whichever comes first: the steps' result, `dispose()`, the signal, or an unsubscribe.
    return new Observable<Outcome<T>>((subscriber) => {
      if (deps.isDisposed()) {
        subscriber.next({ ok: false, error: disposedError(), serviceErrors: {} });
        subscriber.complete();
        return undefined;
      }
      const operationId = newOperationId(operation);
      const started = performance.now();
      const { tracing } = deps;
      // Started in the caller's context: an operation called inside a span joins that trace.
      const span = tracing?.startOperation(operation, operationId, tracing.active());
      // The input's passwords are scrubbed by value from everything this run reports, until it ends.
      const release = deps.secrets.hold(secretFieldsOf(input));
      // The bus redacts every report (the password here), and only when someone listens.
      deps.report({ type: 'operation_start', operationId, operation, input: isRecord(input) ? input : {} });

      let settled = false;
      let serviceErrors: Record<string, string> = {};
      /** What is subscribed to on the run's behalf: its steps, `dispose()`, the signal. */
      const teardown = new Subscription();
      const failure = (error: OrchestratorError): Outcome<T> => ({ ok: false, error, serviceErrors });
      const finish = (outcome: Outcome<T>, deliver: boolean): void => {
        if (settled) return;
        settled = true;
        deps.report(endReport(operation, operationId, performance.now() - started, outcome));
        span?.end(outcome.ok ? undefined : { type: outcome.error.code, message: redactText(outcome.error.message) });
        release();
        teardown.unsubscribe();
        if (!deliver) return;
        subscriber.next(outcome);
        subscriber.complete();
      };
      const fail = (error: unknown): void => finish(failure(asOrchestratorError(error)), true);

      // Everything that may throw is inside: whatever goes wrong, the start gets its one end.
      try {
        const signal = optionsSignal(options);
        if (signal instanceof OrchestratorError) {
          finish(failure(signal), true);
          return undefined;
        }
        const parsed = safeParseInEnglish(definition.input, input);
        if (!parsed.success) {
          finish(failure(invalidInput(parsed.error)), true);
          return undefined;
        }
        const clients = deps.clientsFor({ operationId, operation });
        const run = new OperationRun({
          operationId,
          operation,
          clients,
          notify$: (notification) => deps.notify$(notification, clients),
          setSession: deps.setSession,
          reportStep: deps.report,
          ...(tracing && span ? { trace: { tracing, context: span.context } } : {}),
        });
        serviceErrors = run.serviceErrors;
        // Listened to first, so that an expired signal ends the run before it sends anything.
        teardown.add(deps.disposed$.subscribe(() => finish(failure(disposedError()), true)));
        if (signal) {
          if (signal.aborted) finish(failure(abortReason(signal)), true);
          else {
            const onAbort = (): void => finish(failure(abortReason(signal)), true);
            signal.addEventListener('abort', onAbort);
            teardown.add(() => signal.removeEventListener('abort', onAbort));
          }
        }
        if (settled) return undefined;
        const steps$ = definition.steps(run, parsed.data);
        // Subscribed in the operation's context, so that anything a step starts is part of its trace.
        const traced$ = tracing && span ? tracing.within$(span.context, steps$) : steps$;
        teardown.add(
          traced$.subscribe({
            next: (data) => finish({ ok: true, data, serviceErrors: run.serviceErrors, details: run.details }, true),
            error: fail,
            // After a result the run has settled: the error is made only for steps that end without one.
            complete: () => {
              if (!settled) fail(new OrchestratorError('The operation ended without a result', 'step_failed'));
            },
          }),
        );
      } catch (error) {
        fail(error);
      }
      // An unsubscribe before the end: the run ends as cancelled, its requests aborted.
      return () => {
        if (!settled) finish(failure(new OrchestratorError('The operation was cancelled', 'aborted')), false);
      };
    });
  }

  return {
    settle(definition, args) {
      const arity = definition.args.length;
      const options = args[arity];
      const started = performance.now();
      return new Promise((resolve) => {
        // Read inside: a result, never a rejection, whatever the arguments are.
        const secretsOf = (input: unknown) => (): SecretList => [...deps.secrets.values(), ...secretFieldsOf(input)];
        let input: unknown;
        try {
          input = definition.args(...(args.slice(0, arity) as never[]));
        } catch (error) {
          resolve(toResult({ ok: false, error: asOrchestratorError(error), serviceErrors: {} }, 0, () => deps.secrets.values()));
          return;
        }
        outcome$(definition, input, options).subscribe({
          next: (outcome) => resolve(toResult(outcome, performance.now() - started, secretsOf(input))),
          error: (error: unknown) =>
            resolve(
              toResult({ ok: false, error: asOrchestratorError(error), serviceErrors: {} }, performance.now() - started, secretsOf(input)),
            ),
        });
      });
    },
    data$(definition, args) {
      return defer(() => {
        const input = definition.args(...(args as never[]));
        return outcome$(definition, input).pipe(
          map((outcome) => {
            // Thrown scrubbed, its cause chain too: the error and its causes may quote a service that echoed a secret.
            if (!outcome.ok) throw redactError(outcome.error, [...deps.secrets.values(), ...secretFieldsOf(input)]);
            return outcome.data;
          }),
        );
      });
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

/** Whether a value is an `AbortSignal`, possibly of another realm: recognised by what the runner uses of it. */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'aborted' | 'addEventListener' | 'removeEventListener', unknown>>;
  return (
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}

/** The `signal` of an operation's options, an `invalid_input` error naming what is wrong, or undefined. */
function optionsSignal(options: unknown): AbortSignal | OrchestratorError | undefined {
  if (options === undefined || options === null) return undefined;
  const refuse = (path: string, message: string): OrchestratorError =>
    new OrchestratorError(`Invalid input (${path}: ${message}); nothing was sent`, 'invalid_input', { issues: [{ path, message }] });
  if (typeof options !== 'object') return refuse('options', `must be an object such as { signal }, got ${typeof options}`);
  const { signal } = options as OperationOptions;
  if (signal === undefined) return undefined;
  if (!isAbortSignal(signal)) return refuse('options.signal', `must be an AbortSignal, got ${signal === null ? 'null' : typeof signal}`);
  return signal;
}

function asOrchestratorError(error: unknown): OrchestratorError {
  if (isOrchestratorError(error)) return error;
  return new OrchestratorError(`Unexpected failure: ${redactText(errorMessage(error))}`, 'step_failed', {}, { cause: error });
}

/** Why a signal ended an operation: `AbortSignal.timeout(ms)` is an overall timeout, anything else a cancellation. */
function abortReason(signal: AbortSignal): OrchestratorError {
  // A DOMException, possibly from another realm: recognised by its name.
  const reason = signal.reason as { name?: unknown } | undefined;
  return reason?.name === 'TimeoutError'
    ? new OrchestratorError('The operation timed out (its signal expired)', 'timeout')
    : new OrchestratorError('The operation was cancelled', 'aborted');
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

/** The promise form's result; `secrets` is read only when there is text to scrub (a failure, a partial success). */
function toResult<T>(outcome: Outcome<T>, duration: number, secretsOf: () => SecretList): OperationResult<T> {
  const hasServiceErrors = Object.keys(outcome.serviceErrors).length > 0;
  const secrets = hasServiceErrors || !outcome.ok ? secretsOf() : [];
  const serviceErrors = hasServiceErrors ? { serviceErrors: redact({ ...outcome.serviceErrors }, secrets) } : {};
  if (outcome.ok) {
    const partial = 'serviceErrors' in serviceErrors;
    const details = { ...outcome.details, ...(partial ? { partial: true } : {}) };
    return { success: true, data: outcome.data, duration, ...(Object.keys(details).length > 0 ? { details } : {}), ...serviceErrors };
  }
  const { error } = outcome;
  return {
    success: false,
    error: redactText(error.message, secrets),
    details: redact({ code: error.code, ...error.details }, secrets),
    duration,
    ...serviceErrors,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
