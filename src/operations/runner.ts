import { defer, map, Observable, Subscription, type Observer } from 'rxjs';
import type * as z from 'zod/mini';
import type { HubClients } from '../clients';
import type { NotificationRequest } from '../clients/communication';
import type { Session } from '../clients/session';
import { errorMessage, invalidInput, isOrchestratorError, OrchestratorError } from '../errors';
import { safeParseInEnglish } from '../issues';
import type { OperationName } from '../hub';
import { redact, redactError, redactText, secretFieldsOf, type SecretList, type SecretValues } from '../redact';
import type { OperationTag } from '../resilience/callPolicy';
import { Relay, type Sink } from '../relay';
import type { ActiveSpan, Tracing } from '../tracing';
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
  /** Ends every run still going as `disposed` (the orchestrator's `dispose()`). */
  disposeAll(): void;
}

/**
 * The operation runner: validates an operation's input before anything is sent, gives it clients
 * whose calls are tagged with it, reports it, and ends it, with exactly one outcome, on its result,
 * on `dispose()` or on its signal. Unsubscribing ends it as cancelled.
 */
export function createOperationRunner(deps: RunnerDeps): OperationRunner {
  // The runs going, for `dispose()`: a set, where a subscription to a subject per run would be a
  // subscriber, a closure and an array scan at each end, with thousands of runs in flight.
  const running = new Set<RunRelay<unknown>>();

  function outcome$<T>(
    definition: OperationDefinition<OperationName, never[], z.core.$ZodType, T>,
    input: unknown,
    options?: unknown,
  ): Observable<Outcome<T>> {
    // One hand-written Observable and one object per run rather than a chain of operators and
    // closures: every operation pays for this part, and holds it while its calls are out.
    return new Observable<Outcome<T>>((subscriber) => {
      if (deps.isDisposed()) {
        subscriber.next({ ok: false, error: disposedError(), serviceErrors: {} });
        subscriber.complete();
        return undefined;
      }
      const run = new RunRelay<T>(subscriber, deps, running as Set<RunRelay<T>>, definition.name, input);
      run.start(definition, input, options);
      return run;
    });
  }

  return {
    settle(definition, args) {
      const arity = definition.args.length;
      const options = args[arity];
      const started = performance.now();
      return new Promise((resolve) => {
        // Read inside: a result, never a rejection, whatever the arguments are.
        let input: unknown;
        try {
          input = definition.args(...(args.slice(0, arity) as never[]));
        } catch (error) {
          resolve(toResult({ ok: false, error: asOrchestratorError(error), serviceErrors: {} }, 0, () => deps.secrets.values()));
          return;
        }
        const secrets = (): SecretList => [...deps.secrets.values(), ...secretFieldsOf(input)];
        outcome$(definition, input, options).subscribe(new Settlement(resolve, started, secrets));
      });
    },
    disposeAll() {
      for (const run of [...running]) run.disposed();
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

/**
 * One run of an operation, from its start to its one outcome: whichever comes first of the steps'
 * result, `dispose()`, the signal, or an unsubscribe (a cancellation, not delivered). It observes the
 * steps, and holds what is subscribed on the run's behalf (the steps, `dispose()`, the signal).
 */
class RunRelay<T> extends Relay<T, Outcome<T>> {
  private readonly operationId: string;
  private readonly started = performance.now();
  private readonly span: ActiveSpan | undefined;
  /** Lets go of the input's passwords, scrubbed by value from everything the run reports until it ends. */
  private readonly release: () => void;
  private settled = false;
  private run: OperationRun | undefined;

  constructor(
    destination: Sink<Outcome<T>>,
    private readonly deps: RunnerDeps,
    private readonly running: Set<RunRelay<T>>,
    private readonly operation: OperationName,
    input: unknown,
  ) {
    super(destination);
    this.operationId = newOperationId(operation);
    const { tracing } = deps;
    // Started in the caller's context: an operation called inside a span joins that trace.
    this.span = tracing?.startOperation(operation, this.operationId, tracing.active());
    this.release = deps.secrets.hold(secretFieldsOf(input));
  }

  start(definition: OperationDefinition<OperationName, never[], z.core.$ZodType, T>, input: unknown, options: unknown): void {
    const { deps, operation, operationId, span } = this;
    // Joined before the start is reported: a listener of `operation_start` that disposes the
    // orchestrator then ends this run too, and the `settled` check below keeps it from sending.
    this.running.add(this);
    // The bus redacts every report (the password here), and only when someone listens.
    deps.report({ type: 'operation_start', operationId, operation, input: isRecord(input) ? input : {} });
    // Everything that may throw is inside: whatever goes wrong, the start gets its one end.
    try {
      const signal = optionsSignal(options);
      if (signal instanceof OrchestratorError) return this.fail(signal);
      const parsed = safeParseInEnglish(definition.input, input);
      if (!parsed.success) return this.fail(invalidInput(parsed.error));
      const clients = deps.clientsFor({ operationId, operation });
      const { tracing } = deps;
      const run = new OperationRun({
        operationId,
        operation,
        clients,
        notify$: (notification) => deps.notify$(notification, clients),
        setSession: deps.setSession,
        reportStep: deps.report,
        ...(tracing && span ? { trace: { tracing, context: span.context } } : {}),
      });
      this.run = run;
      if (signal) {
        if (signal.aborted) return this.fail(abortReason(signal));
        const onAbort = (): void => this.fail(abortReason(signal));
        signal.addEventListener('abort', onAbort);
        this.add(() => signal.removeEventListener('abort', onAbort));
      }
      if (this.settled) return;
      const steps$ = definition.steps(run, parsed.data);
      // Subscribed in the operation's context, so that anything a step starts is part of its trace.
      (tracing && span ? tracing.within$(span.context, steps$) : steps$).subscribe(this);
    } catch (error) {
      this.fail(error);
    }
  }

  /** The orchestrator was disposed while the run was going. */
  disposed(): void {
    this.fail(disposedError());
  }

  protected override onNext(data: T): void {
    const run = this.run as OperationRun;
    this.finish({ ok: true, data, serviceErrors: run.serviceErrors, details: run.details }, true);
  }

  protected override onError(error: unknown): void {
    this.fail(error);
  }

  // After a result the run has settled: the error is made only for steps that end without one.
  protected override onComplete(): void {
    if (!this.settled) this.fail(new OrchestratorError('The operation ended without a result', 'step_failed'));
  }

  // An unsubscribe before the end: the run ends as cancelled, its requests aborted.
  override unsubscribe(): void {
    if (!this.settled) this.finish(this.failure(new OrchestratorError('The operation was cancelled', 'aborted')), false);
    super.unsubscribe();
  }

  private fail(error: unknown): void {
    this.finish(this.failure(asOrchestratorError(error)), true);
  }

  private failure(error: OrchestratorError): Outcome<T> {
    return { ok: false, error, serviceErrors: this.run?.serviceErrors ?? {} };
  }

  private finish(outcome: Outcome<T>, deliver: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.running.delete(this);
    const { deps, operation, operationId, span } = this;
    deps.report(endReport(operation, operationId, performance.now() - this.started, outcome));
    span?.end(outcome.ok ? undefined : { type: outcome.error.code, message: redactText(outcome.error.message) });
    this.release();
    // What was subscribed on the run's behalf ends before the outcome is delivered.
    this.unsubscribe();
    if (!deliver) return;
    this.destination.next(outcome);
    this.destination.complete();
  }
}

/** Resolves the promise form with the run's outcome (or an unexpected error), as a result. */
class Settlement<T> extends Subscription implements Observer<Outcome<T>> {
  constructor(
    private readonly resolve: (result: OperationResult<T>) => void,
    private readonly started: number,
    private readonly secrets: () => SecretList,
  ) {
    super();
  }

  next(outcome: Outcome<T>): void {
    this.resolve(toResult(outcome, performance.now() - this.started, this.secrets));
  }

  error(error: unknown): void {
    this.next({ ok: false, error: asOrchestratorError(error), serviceErrors: {} });
  }

  complete(): void {
    this.unsubscribe();
  }
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
