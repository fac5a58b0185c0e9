import {
  catchError,
  defer,
  EMPTY,
  finalize,
  firstValueFrom,
  forkJoin,
  fromEvent,
  map,
  merge,
  Observable,
  of,
  ReplaySubject,
  share,
  Subscription,
  switchMap,
  take,
  takeUntil,
  tap,
  throwError,
  throwIfEmpty,
} from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';
import type { z } from 'zod';
import { createHubClients, type HubClients } from './clients';
import type { BulkNotificationResponse, NotificationRequest, NotificationResponse } from './clients/communication';
import { createHttpClient, type CallInfo, type CallWrapper, type HttpClient } from './clients/http';
import { createIdentityClient, LoginRequestSchema, type IdentityClient, type LoginRequest } from './clients/identity';
import { parseConfig, type OrchestratorConfig, type ResolvedConfig } from './config';
import { errorMessage, isServiceError, OrchestratorError, perService, type ServiceError, type ServiceName } from './errors';
import { sessionFromLogin, OperationRun, type NotificationReceipt, type Session } from './operations/context';
import { OnboardInputSchema, onboardNewUser$, type OnboardInput, type OnboardResult } from './operations/onboardNewUser';
import { ProcessDocumentInputSchema, processDocumentWithAI$, type ProcessDocumentResult } from './operations/processDocumentWithAI';
import {
  SearchAndTriggerInputSchema,
  searchAndTriggerWorkflows$,
  type SearchAndTriggerResult,
} from './operations/searchAndTriggerWorkflows';
import {
  CollaborativeWorkspaceInputSchema,
  setupCollaborativeWorkspace$,
  type CollaborativeWorkspaceResult,
} from './operations/setupCollaborativeWorkspace';
import { CircuitBreaker, type GuardObserver } from './operators/circuitBreaker';
import { createBatcher, type Batcher } from './operators/createBatcher';
import { retryWithDelay } from './operators/retryWithDelay';
import { timeoutAfter } from './operators/timeoutAfter';
import { redact, redactText } from './redact';
import { createEventBus, type EventBus, type HealthStatus, type OperationName, type OrchestratorEvent } from './streams/events';
import { checkSystem$, createHealthStream, type SystemHealthCheck } from './streams/health';
import { MetricsCollector, type OrchestratorMetrics } from './streams/metrics';

/** What every promise adapter resolves to: it never rejects. */
export interface OperationResult<T> {
  success: boolean;
  data?: T;
  /** One readable sentence, when `success` is false. */
  error?: string;
  /** For example `{ step, status, code, issues }` on failure, `{ partial: true }` after a best-effort failure. */
  details?: Record<string, unknown>;
  /** ms from the call to the result. */
  duration?: number;
  /** Service name → what went wrong there, for the best-effort steps that failed. */
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

/** A callback of the seed's listener API. */
export type OrchestratorEventListener = (event: OrchestratorEvent) => void;

/** An operation's end, success or failure, with what its best-effort steps reported. */
type Outcome<T> =
  | { ok: true; data: T; serviceErrors: Record<string, string>; details: Record<string, unknown> }
  | { ok: false; error: OrchestratorError; serviceErrors: Record<string, string> };

/** The result of one notification inside a batch: each caller gets its own. */
type NotifyOutcome = { receipt: NotificationReceipt } | { error: unknown };

let operationCounter = 0;

function newOperationId(operation: OperationName): string {
  operationCounter = (operationCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${operation}-${Date.now().toString(36)}-${operationCounter.toString(36)}`;
}

function disposedError(): OrchestratorError {
  return new OrchestratorError('The orchestrator is disposed: create a new one to run operations', 'disposed');
}

function invalidInput(error: z.ZodError): OrchestratorError {
  const issues = error.issues.map((issue) => ({ path: issue.path.join('.') || '(input)', message: issue.message }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new OrchestratorError(`Invalid input (${summary}); nothing was sent`, 'invalid_input', { issues });
}

function asOrchestratorError(error: unknown): OrchestratorError {
  if (error instanceof OrchestratorError) return error;
  const message = errorMessage(error);
  return new OrchestratorError(`Unexpected failure: ${redactText(message)}`, 'step_failed', {}, { cause: error });
}

function receiptFromSingle(response: NotificationResponse): NotificationReceipt {
  return {
    notificationId: response.notification_id,
    taskId: response.task_id,
    status: response.status,
    channel: response.channel,
    recipient: response.recipient,
    batched: false,
  };
}

function receiptFromBulk(response: BulkNotificationResponse, item: NotificationRequest): NotificationReceipt {
  return { notificationId: null, taskId: response.task_id, status: response.status, channel: item.type, recipient: item.to, batched: true };
}

/**
 * Runs operations that span the four Hub services, with retries, timeouts, circuit breakers,
 * batching, health monitoring, metrics and events.
 *
 * @example
 * const orchestrator = createServiceOrchestrator({ services: { identity: 'http://127.0.0.1:8001' } });
 * orchestrator.events$.subscribe((event) => console.log(event.type));
 * const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [userId]);
 * if (result.success) console.log(result.data.workflowsTriggered.length);
 * orchestrator.dispose();
 */
export class ServiceOrchestrator {
  /** Every event of every operation, health check, circuit and batch; hot. */
  readonly events$: Observable<OrchestratorEvent>;
  /** Health of the Hub: at once, then every `health.checkInterval` ms while subscribed; shared. */
  readonly health$: Observable<SystemHealthCheck>;
  /** Metrics snapshots: one at once, then one after each operation or health check. */
  readonly metrics$: Observable<OrchestratorMetrics>;

  /** The validated options, defaults filled in. */
  readonly config: ResolvedConfig;

  private readonly bus: EventBus;
  private readonly metrics: MetricsCollector;
  private readonly breakers: Record<ServiceName, CircuitBreaker>;
  /** Per service: counts each request the breaker lets through, and each that fails. */
  private readonly callObservers: Record<ServiceName, GuardObserver>;
  /** Per route: its attempt pipeline (see `attempt`). */
  private readonly attemptPipes = new WeakMap<CallInfo, (call$: Observable<unknown>) => Observable<unknown>>();
  /** The refresh call goes without the refresh-on-401 layer, or a failed refresh would refresh. */
  private readonly refreshClient: IdentityClient;
  private readonly http: HttpClient;
  private readonly clients: HubClients;
  private readonly batcher: Batcher<NotificationRequest, NotifyOutcome> | null;
  private readonly disposed$ = new ReplaySubject<void>(1);
  private readonly listeners = new Map<OrchestratorEventListener, Subscription>();
  private readonly healthStatus: Partial<Record<ServiceName, HealthStatus>> = {};
  private readonly logSubscription: Subscription | null;
  private session: Session | null = null;
  private refreshSupported = true;
  private bulkSupported = true;
  private refreshing$: Observable<void> | null = null;
  private disposed = false;

  constructor(config: OrchestratorConfig = {}) {
    this.config = parseConfig(config);
    this.bus = createEventBus();
    this.events$ = this.bus.events$;
    this.metrics = new MetricsCollector(this.config.enableMetrics);
    this.metrics$ = this.metrics.metrics$;
    this.breakers = perService(
      (service) =>
        new CircuitBreaker({
          service,
          ...this.config.circuitBreaker,
          onStateChange: (previous, current) => this.bus.emit({ type: 'circuit_state_change', service, previous, current }),
        }),
    );
    this.callObservers = perService((service) => ({
      admitted: () => this.metrics.recordRequest(service),
      failed: () => this.metrics.recordServiceError(service),
    }));
    this.http = createHttpClient({
      baseUrls: this.config.services,
      routes: this.config.routes,
      axios: this.config.axios,
      getToken: () => this.currentToken(),
    });
    this.clients = createHubClients(this.http.withWrap(this.resilience()));
    this.refreshClient = createIdentityClient(this.http.withWrap(this.resilience(undefined, false)));
    this.batcher = this.config.enableBatching
      ? createBatcher<NotificationRequest, NotifyOutcome>({
          size: this.config.batchSize,
          windowMs: this.config.batchWindow,
          send: (items, isWanted) => this.sendNotifications$(items, isWanted),
          onFlush: ({ size, reason }) => {
            this.metrics.recordBatch(size);
            this.bus.emit({ type: 'batch_flush', service: 'communication', size, reason });
          },
        })
      : null;
    const check$ = defer(() => this.check$());
    this.health$ = createHealthStream(check$, this.config.health.checkInterval).pipe(takeUntil(this.disposed$));
    this.logSubscription = this.config.enableLogging ? this.events$.subscribe((event) => this.log(event)) : null;
  }

  // ── Operations: a cold Observable each, and a promise adapter that never rejects ──

  /** Registers, verifies and signs in a new user, then welcomes them (see `onboardNewUser`). */
  onboardNewUser$(input: OnboardInput): Observable<OnboardResult> {
    return this.data$(this.onboardOutcome$(input));
  }

  /**
   * Registers, verifies and signs in a new user, whose session becomes the orchestrator's; then,
   * best-effort, a welcome notification, the template documents and the onboarding workflows.
   *
   * @example
   * const result = await orchestrator.onboardNewUser({ email, password, first_name: 'Ada', last_name: 'Lovelace' });
   * if (result.success) console.log(result.data.user.id, result.data.initialWorkflows.length);
   */
  onboardNewUser(input: OnboardInput, options?: OperationOptions): Promise<OperationResult<OnboardResult>> {
    return this.settle(this.onboardOutcome$(input, options?.signal));
  }

  /** Starts an AI workflow on a document and tells users (see `processDocumentWithAI`). */
  processDocumentWithAI$(documentId: string, workflowId: string, notifyUsers: string[] = []): Observable<ProcessDocumentResult> {
    return this.data$(this.processOutcome$(documentId, workflowId, notifyUsers));
  }

  /**
   * Gets the document and the AI workflow definition in parallel, starts the workflow on the
   * document, then notifies each user.
   *
   * @example
   * const result = await orchestrator.processDocumentWithAI(documentId, aiWorkflowId, [userId]);
   */
  processDocumentWithAI(
    documentId: string,
    workflowId: string,
    notifyUsers: string[] = [],
    options?: OperationOptions,
  ): Promise<OperationResult<ProcessDocumentResult>> {
    return this.settle(this.processOutcome$(documentId, workflowId, notifyUsers, options?.signal));
  }

  /** Searches, starts the `search_results` workflows and tells users (see `searchAndTriggerWorkflows`). */
  searchAndTriggerWorkflows$(query: string, triggerWorkflows = true, notifyUsers: string[] = []): Observable<SearchAndTriggerResult> {
    return this.data$(this.searchOutcome$(query, triggerWorkflows, notifyUsers));
  }

  /**
   * Searches the documents; when asked and anything was found, starts every active workflow
   * triggered by `search_results`; then tells each user what was found.
   *
   * @example
   * const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [userId]);
   */
  searchAndTriggerWorkflows(
    query: string,
    triggerWorkflows = true,
    notifyUsers: string[] = [],
    options?: OperationOptions,
  ): Promise<OperationResult<SearchAndTriggerResult>> {
    return this.settle(this.searchOutcome$(query, triggerWorkflows, notifyUsers, options?.signal));
  }

  /** Sets up a group conversation around a document (see `setupCollaborativeWorkspace`). */
  setupCollaborativeWorkspace$(
    documentId: string,
    participantEmails: string[],
    workflowTemplate?: string,
  ): Observable<CollaborativeWorkspaceResult> {
    return this.data$(this.workspaceOutcome$(documentId, participantEmails, workflowTemplate));
  }

  /**
   * Resolves the participants, creates a group conversation about the document, notifies everyone
   * and, when a template is given, starts it on the document.
   *
   * @example
   * const result = await orchestrator.setupCollaborativeWorkspace(documentId, ['alice@example.com'], templateId);
   */
  setupCollaborativeWorkspace(
    documentId: string,
    participantEmails: string[],
    workflowTemplate?: string,
    options?: OperationOptions,
  ): Promise<OperationResult<CollaborativeWorkspaceResult>> {
    return this.settle(this.workspaceOutcome$(documentId, participantEmails, workflowTemplate, options?.signal));
  }

  /** Signs in; the session is then used for every call. */
  signIn$(email: string, password: string): Observable<Session> {
    return this.data$(this.signInOutcome$(email, password));
  }

  /**
   * Signs in with identity; the session is then sent on every call, and refreshed once on a 401
   * where identity serves refresh.
   *
   * @example
   * const result = await orchestrator.signIn('ada@example.com', password);
   */
  signIn(email: string, password: string, options?: OperationOptions): Promise<OperationResult<Session>> {
    return this.settle(this.signInOutcome$(email, password, options?.signal));
  }

  /** The current session, or null before a sign-in. */
  getSession(): Session | null {
    return this.session;
  }

  /** Forgets the session; later calls use `auth` again. */
  signOut(): void {
    this.session = null;
  }

  // ── Health, metrics, events ──

  /**
   * Checks the four services' `GET /health` in parallel, each bounded by `health.timeout`.
   *
   * @example
   * const health = await orchestrator.performHealthCheck();
   * console.log(health.overall, health.content.latencyMs);
   */
  performHealthCheck(): Promise<SystemHealthCheck> {
    if (this.disposed) return Promise.reject(disposedError());
    return firstValueFrom(this.check$().pipe(takeUntil(this.disposed$)), { defaultValue: undefined }).then((health) => {
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
          if (!this.config.enableLogging) return;
          try {
            this.config.logger.error('[orchestrator] an event listener threw', redact(error));
          } catch {
            // Neither the listener nor the logger may break the other listeners.
          }
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
   * for await (const event of orchestrator.events()) if (event.type === 'operation_error') alert(event.error);
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
    this.batcher?.dispose();
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

  // ── Operation plumbing ──

  private onboardOutcome$(input: OnboardInput, signal?: AbortSignal): Observable<Outcome<OnboardResult>> {
    return this.outcome$('onboardNewUser', OnboardInputSchema, input, onboardNewUser$, signal);
  }

  private processOutcome$(
    documentId: string,
    workflowId: string,
    notifyUsers: string[],
    signal?: AbortSignal,
  ): Observable<Outcome<ProcessDocumentResult>> {
    const input = { documentId, workflowId, notifyUsers };
    return this.outcome$('processDocumentWithAI', ProcessDocumentInputSchema, input, processDocumentWithAI$, signal);
  }

  private searchOutcome$(
    query: string,
    triggerWorkflows: boolean,
    notifyUsers: string[],
    signal?: AbortSignal,
  ): Observable<Outcome<SearchAndTriggerResult>> {
    const input = { query, triggerWorkflows, notifyUsers };
    return this.outcome$('searchAndTriggerWorkflows', SearchAndTriggerInputSchema, input, searchAndTriggerWorkflows$, signal);
  }

  private workspaceOutcome$(
    documentId: string,
    participantEmails: string[],
    workflowTemplate: string | undefined,
    signal?: AbortSignal,
  ): Observable<Outcome<CollaborativeWorkspaceResult>> {
    const input = { documentId, participantEmails, workflowTemplate };
    return this.outcome$('setupCollaborativeWorkspace', CollaborativeWorkspaceInputSchema, input, setupCollaborativeWorkspace$, signal);
  }

  private signInOutcome$(email: string, password: string, signal?: AbortSignal): Observable<Outcome<Session>> {
    const signIn$ = (run: OperationRun, credentials: LoginRequest): Observable<Session> =>
      run.critical('login', 'identity', run.clients.identity.login$(credentials)).pipe(
        map((login) => {
          const session = sessionFromLogin(login);
          run.deps.setSession(session);
          return session;
        }),
      );
    return this.outcome$('signIn', LoginRequestSchema, { email, password }, signIn$, signal);
  }

  /**
   * Runs one operation: validates its input before anything is sent, gives it clients whose calls
   * are tagged with it, reports it on `events$` and in the metrics, and ends it, with exactly one
   * outcome, on its result, on `dispose()` or on `signal`. Unsubscribing ends it as cancelled.
   */
  private outcome$<S extends z.ZodType, T>(
    operation: OperationName,
    schema: S,
    input: unknown,
    steps: (run: OperationRun, input: z.output<S>) => Observable<T>,
    signal?: AbortSignal,
  ): Observable<Outcome<T>> {
    return defer(() => {
      if (this.disposed) return of<Outcome<T>>({ ok: false, error: disposedError(), serviceErrors: {} });
      const operationId = newOperationId(operation);
      const started = performance.now();
      // The bus redacts every event (the password here), and only when someone listens.
      this.bus.emit({ type: 'operation_start', operationId, operation, input: { ...(input as object) } });
      let settled = false;
      const finish = (outcome: Outcome<T>): Outcome<T> => {
        settled = true;
        this.report(operation, operationId, performance.now() - started, outcome);
        return outcome;
      };

      const parsed = schema.safeParse(input);
      if (!parsed.success) return of(finish({ ok: false, error: invalidInput(parsed.error), serviceErrors: {} }));

      const clients = createHubClients(this.http.withWrap(this.resilience({ operationId, operation })));
      const run = new OperationRun({
        operationId,
        operation,
        clients,
        notify$: (notification) => this.notify$(notification, clients),
        setSession: (session) => {
          this.session = session;
        },
        emit: (event) => this.bus.emit(event),
      });
      const failure = (error: OrchestratorError): Outcome<T> => ({ ok: false, error, serviceErrors: run.serviceErrors });
      // Subscribed first, so that an expired signal ends the run before it sends anything.
      const ended$ = merge(this.disposed$.pipe(map(disposedError)), signal ? aborted$(signal) : EMPTY).pipe(map(failure));
      const result$ = steps(run, parsed.data).pipe(
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

  /** Reports an operation's end on `events$` and in the metrics. */
  private report<T>(operation: OperationName, operationId: string, duration: number, outcome: Outcome<T>): void {
    this.metrics.recordOperation(operation, duration, outcome.ok);
    if (outcome.ok) {
      const partial = Object.keys(outcome.serviceErrors).length > 0;
      this.bus.emit({
        type: 'operation_complete',
        operationId,
        operation,
        duration,
        partial,
        ...(partial ? { serviceErrors: outcome.serviceErrors } : {}),
      });
      return;
    }
    const step = outcome.error.details.step;
    this.bus.emit({
      type: 'operation_error',
      operationId,
      operation,
      duration,
      error: outcome.error.message,
      code: outcome.error.code,
      ...(typeof step === 'string' ? { step } : {}),
    });
  }

  /** The `$` form: the data, or an `OrchestratorError`. */
  private data$<T>(outcome$: Observable<Outcome<T>>): Observable<T> {
    return outcome$.pipe(
      map((outcome) => {
        if (!outcome.ok) throw outcome.error;
        return outcome.data;
      }),
    );
  }

  /** The promise form: resolves to an {@link OperationResult}, never rejects. */
  private settle<T>(outcome$: Observable<Outcome<T>>): Promise<OperationResult<T>> {
    const started = performance.now();
    return new Promise((resolve) => {
      outcome$.subscribe({
        next: (outcome) => resolve(toResult(outcome, performance.now() - started)),
        error: (error: unknown) =>
          resolve(toResult({ ok: false, error: asOrchestratorError(error), serviceErrors: {} }, performance.now() - started)),
      });
    });
  }

  // ── Calls: timeouts, circuit breakers, retries, refresh, metrics ──

  /**
   * The pipeline around every service call: per attempt a timeout and the service's circuit
   * breaker (which counts requests and errors); a 401 refreshes the session once; retries with
   * backoff outside. Built once per operation; each layer is one Observable, as it wraps every call.
   */
  private resilience(tag?: { operationId: string; operation: OperationName }, refresh = true): CallWrapper {
    const retry = retryWithDelay({
      count: this.config.retryAttempts,
      delay: this.config.retryDelay,
      maxDelay: this.config.maxRetryDelay,
      onRetry: ({ attempt, delay, error }) => {
        // The default rule retries service errors only, and each names its call.
        if (!isServiceError(error)) return;
        this.metrics.recordRetry(error.service);
        this.bus.emit({
          type: 'operation_retry',
          ...tag,
          service: error.service,
          endpoint: error.endpoint,
          attempt,
          delay,
          error: error.message,
        });
      },
    }) as <T>(source: Observable<T>) => Observable<T>;
    return <T>(call$: Observable<T>, info: CallInfo): Observable<T> => {
      const attempt$ = this.attempt(info)(call$);
      return retry(refresh && info.authenticated ? this.refreshingOn401(attempt$, info) : attempt$);
    };
  }

  /** One attempt of a call to this route: its timeout, then its service's breaker. Made once per route. */
  private attempt(info: CallInfo): <T>(call$: Observable<T>) => Observable<T> {
    let pipe = this.attemptPipes.get(info);
    if (!pipe) {
      const timeout = timeoutAfter<unknown>(this.config.timeout, info);
      const guard = this.breakers[info.service].guard<unknown>(info, this.callObservers[info.service]);
      pipe = (call$) => guard(timeout(call$));
      this.attemptPipes.set(info, pipe);
    }
    return pipe as <T>(call$: Observable<T>) => Observable<T>;
  }

  /** Repeats a call once after a 401, with a refreshed session (or the one another call refreshed meanwhile). */
  private refreshingOn401<T>(attempt$: Observable<T>, info: CallInfo): Observable<T> {
    return new Observable<T>((subscriber) => {
      const tokenSent = this.session?.accessToken;
      const subscription = new Subscription();
      subscription.add(
        attempt$.subscribe({
          next: (value) => subscriber.next(value),
          complete: () => subscriber.complete(),
          error: (error: unknown) => {
            if (!this.shouldRefresh(error, info)) return subscriber.error(error);
            const again$ = this.session?.accessToken !== tokenSent ? attempt$ : this.refreshSession$(error).pipe(switchMap(() => attempt$));
            subscription.add(again$.subscribe(subscriber));
          },
        }),
      );
      return subscription;
    });
  }

  private currentToken(): string | null | undefined | Promise<string | null | undefined> {
    if (this.session) return this.session.accessToken;
    const { auth } = this.config;
    return auth.getToken ? auth.getToken() : auth.token;
  }

  private shouldRefresh(error: unknown, info: CallInfo): error is ServiceError {
    return (
      isServiceError(error) &&
      error.code === 'auth' &&
      error.status === 401 &&
      info.authenticated &&
      this.refreshSupported &&
      !!this.session?.refreshToken
    );
  }

  /** One refresh however many calls hit a 401 at once; a failed refresh gives each its own 401 back. */
  private refreshSession$(original: ServiceError): Observable<void> {
    const session = this.session;
    if (!session?.refreshToken) return throwError(() => original);
    if (!this.refreshing$) {
      this.refreshing$ = this.refreshClient.refreshToken$(session.refreshToken).pipe(
        map((refreshed) => {
          if (this.session === session) {
            this.session = {
              ...session,
              accessToken: refreshed.access_token,
              tokenType: refreshed.token_type,
              expiresAt: new Date(Date.now() + refreshed.expires_in * 1000).toISOString(),
            };
          }
        }),
        catchError((error: unknown) => {
          if (isServiceError(error) && error.code === 'unsupported') this.refreshSupported = false;
          else if (isServiceError(error) && error.code === 'auth' && this.session === session) {
            this.session = { ...session, refreshToken: null };
          }
          throw error;
        }),
        finalize(() => {
          this.refreshing$ = null;
        }),
        share(),
      );
    }
    return this.refreshing$.pipe(catchError(() => throwError(() => original)));
  }

  // ── Notifications: batched into bulk requests, with a fall-back to single posts ──

  private notify$(notification: NotificationRequest, clients: HubClients): Observable<NotificationReceipt> {
    if (!this.batcher) return clients.communication.createNotification$(notification).pipe(map(receiptFromSingle));
    return this.batcher.submit$(notification).pipe(
      map((outcome) => {
        if ('error' in outcome) throw outcome.error;
        return outcome.receipt;
      }),
    );
  }

  /**
   * One batch: a bulk request (a lone notification goes as a single post), or singles where bulk is
   * unsupported. Falling back after a bulk request, it posts only what somebody still waits for.
   */
  private sendNotifications$(items: NotificationRequest[], isWanted: (index: number) => boolean): Observable<NotifyOutcome[]> {
    const { communication } = this.clients;
    const singles$ = (): Observable<NotifyOutcome[]> =>
      forkJoin(
        items.map((item, index) =>
          isWanted(index)
            ? communication.createNotification$(item).pipe(
                map((response): NotifyOutcome => ({ receipt: receiptFromSingle(response) })),
                catchError((error: unknown) => of<NotifyOutcome>({ error })),
              )
            : of<NotifyOutcome>({ error: new OrchestratorError('nobody waits for this notification any more', 'aborted') }),
        ),
      );
    if (items.length === 1 || !this.bulkSupported) return singles$();
    return communication.createBulkNotifications$(items).pipe(
      map((response) => items.map((item): NotifyOutcome => ({ receipt: receiptFromBulk(response, item) }))),
      catchError((error: unknown) => {
        if (isServiceError(error) && error.code === 'unsupported') {
          this.bulkSupported = false;
          return singles$();
        }
        return of(items.map((): NotifyOutcome => ({ error })));
      }),
    );
  }

  // ── Health ──

  private check$(): Observable<SystemHealthCheck> {
    return checkSystem$({
      http: this.http,
      timeout: this.config.health.timeout,
      degradedLatency: this.config.health.degradedLatency,
      onResult: (service, health, error) => {
        const breaker = this.breakers[service];
        if (health.status === 'unhealthy') breaker.recordFailure(error);
        else breaker.recordSuccess();
        const previous = this.healthStatus[service];
        if (previous !== health.status) {
          this.healthStatus[service] = health.status;
          this.bus.emit({ type: 'service_health_change', service, previous: previous ?? 'unknown', current: health.status, data: health });
        }
      },
    }).pipe(
      tap((health) =>
        this.metrics.recordHealth(
          {
            identity: health.identity.status,
            content: health.content.status,
            communication: health.communication.status,
            workflow: health.workflow.status,
          },
          health.timestamp,
        ),
      ),
    );
  }

  /** Logging must never break an operation: a logger that throws is ignored. */
  private log(event: OrchestratorEvent): void {
    try {
      this.writeLog(event);
    } catch {
      // A broken logger has nowhere to report to.
    }
  }

  private writeLog(event: OrchestratorEvent): void {
    const { logger } = this.config;
    const line = `[orchestrator] ${event.type}${'operation' in event && event.operation ? ` ${event.operation}` : ''}`;
    if (event.type === 'operation_error') logger.error(line, event);
    else if (event.type === 'operation_retry' || event.type === 'circuit_state_change') logger.warn(line, event);
    else if (event.type === 'service_health_change') (event.current === 'healthy' ? logger.info : logger.warn).call(logger, line, event);
    else if (event.type === 'operation_step' || event.type === 'batch_flush') logger.debug?.(line, event);
    else logger.info(line, event);
  }
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

let defaultInstance: ServiceOrchestrator | null = null;

/** The default orchestrator (options from the environment), built on first use. */
export function getServiceOrchestrator(): ServiceOrchestrator {
  defaultInstance ??= new ServiceOrchestrator();
  return defaultInstance;
}

/**
 * Disposes the default orchestrator and forgets it, so that the next use builds a fresh one
 * (after the environment changed, or between tests). Disposing it directly keeps it disposed.
 */
export function resetServiceOrchestrator(): void {
  defaultInstance?.dispose();
  defaultInstance = null;
}

/**
 * The default orchestrator, built on first use of any member; configured from the environment
 * (`IDENTITY_SERVICE_URL` …).
 *
 * @example
 * const result = await serviceOrchestrator.searchAndTriggerWorkflows('contract');
 */
export const serviceOrchestrator: ServiceOrchestrator = new Proxy(Object.create(ServiceOrchestrator.prototype) as ServiceOrchestrator, {
  get(_target, property) {
    const instance = getServiceOrchestrator();
    const value: unknown = Reflect.get(instance, property, instance);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(instance) : value;
  },
  has: (_target, property) => Reflect.has(getServiceOrchestrator(), property),
});
