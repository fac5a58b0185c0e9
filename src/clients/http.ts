import type { AxiosInstance } from 'axios';
import { Observable, Subscription, throwError, type Subscriber } from 'rxjs';
import * as z from 'zod/mini';
import {
  errorMessage,
  isServiceError,
  issuesOf,
  OrchestratorError,
  ServiceError,
  summarizeIssues,
  type Issue,
  type ServiceErrorCode,
} from '../errors';
import { DEFAULT_MAX_RESPONSE_BYTES, INPUT_LIMITS, isIdempotentCall, MAX_TIMER_MS, type ServiceName } from '../hub';
import { safeParseInEnglish } from '../issues';
import { redactText, secretFieldsOf, type SecretList } from '../redact';
import type { ActiveSpan, SpanFailure, Tracing } from '../tracing';
import { axiosTransport } from './axiosTransport';
import { defaultTransport } from './defaultTransport';
import { fetchTransport } from './fetchTransport';
import { networkFailure, TransportError, type Transport, type TransportResponse } from './transport';
import { CallSignal } from './callSignal';
import { tokenProblem, type FetchFunction, type TokenProvider } from '../config';
import { endpointName, resolveRoutes, type RouteDef, type RouteName, type RouteOverrides, type RouteTable } from '../hub/routes';
import { pathFiller, type PathFiller } from './paths';

/** What is known of a call before it is made: used to name it in errors, events and metrics. */
export interface CallInfo {
  readonly service: ServiceName;
  /** The route's name in the route table, such as `getDocument`. */
  readonly route: string;
  /** Method and route template, such as `GET /api/v1/documents/{id}`. */
  readonly endpoint: string;
  readonly method: RouteDef['method'];
  /** Whether the call may be repeated safely (every GET and DELETE, and POSTs marked so). */
  readonly idempotent: boolean;
  /** Whether the published services do not serve this endpoint yet. */
  readonly extension: boolean;
  /** Whether the call carries the bearer token (a 401 then means the token, not the credentials). */
  readonly authenticated: boolean;
}

/** Wraps every call's cold Observable, for example with timeouts, retries and a circuit breaker. */
export type CallWrapper = <T>(call$: Observable<T>, info: CallInfo) => Observable<T>;

/** How a {@link HttpClient} reaches the Hub. */
export interface HttpClientOptions {
  /** The base URL of each service, such as `http://localhost:8002`. */
  readonly baseUrls: Readonly<Record<ServiceName, string>>;
  /** Overrides of the default route table. */
  readonly routes?: RouteOverrides;
  /** Where the bearer token comes from; no token is sent without one. */
  readonly getToken?: TokenProvider;
  /**
   * The axios instance to send with (its interceptors, adapter and agents apply). Default, when
   * neither this nor `fetch` is given: in Node, a new instance that does not follow redirects (the
   * Hub's routes answer without them, and a 3xx becomes an `http` error that names it); in a browser
   * build, the page's `fetch`, so that axios is not in the bundle.
   */
  readonly axios?: AxiosInstance;
  /**
   * Send with this `fetch` (such as `globalThis.fetch`) rather than axios; `axios` wins when both are
   * given. Redirects are followed as `fetch` follows them.
   */
  readonly fetch?: FetchFunction;
  /** Applied to every call, outermost last; the orchestrator adds its resilience here. */
  readonly wrap?: CallWrapper;
  /** Spans for each attempt, with trace headers on the request; none when tracing is off. */
  readonly tracing?: Tracing;
  /**
   * The most bytes a response body may have (default {@link DEFAULT_MAX_RESPONSE_BYTES}), counted
   * while it arrives and after decompression, by every transport alike (axios's `http` and `fetch`
   * adapters, the fetch transport); a larger
   * one is cut off, its connection closed, and the call fails with `validation`.
   */
  readonly maxResponseBytes?: number;
  /** Told of each request as it goes out, and of those withdrawn before they could (the request metrics). */
  readonly onSent?: SentObserver;
  /**
   * Secret values to scrub from every error this layer raises (the session's tokens), besides the
   * token and the secret body fields of the call itself, which are always scrubbed. Read on failures only.
   */
  readonly secrets?: () => SecretList;
}

/**
 * Hears of the requests that reach the wire: `sent` as a request is handed to the transport; `withdrawn`
 * when it is aborted in the same turn of the event loop (before any I/O could happen, such as by
 * a sibling step that failed at once), so that it never left.
 */
export interface SentObserver {
  /** A request was handed to the transport (axios or fetch). */
  sent(info: CallInfo): void;
  /** That request was aborted before it could leave: take it back. */
  withdrawn(info: CallInfo): void;
}

/** One request, described: which route, with what, and the schema its answer must fit. */
export interface RequestSpec<S extends ServiceName, T> {
  readonly service: S;
  readonly route: RouteName<S>;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /**
   * The schema of the request body: the body sent is its output, so that only the fields the Hub
   * knows go out; a body that does not fit is refused before anything is sent.
   */
  readonly bodySchema?: z.core.$ZodType;
  /** The schema a 200 body must fit; the Observable emits its parsed output. */
  readonly schema: z.core.$ZodType<T>;
  /** The body a not-yet-implemented upstream answers with; fitting it means `unsupported`. */
  readonly stub?: z.core.$ZodType;
}

/** Sends Hub requests as cold Observables. */
export interface HttpClient {
  readonly routes: RouteTable;
  readonly baseUrls: Readonly<Record<ServiceName, string>>;
  /** The description of a route, as named in errors, events and metrics. */
  describe<S extends ServiceName>(service: S, route: RouteName<S>): CallInfo;
  /**
   * A cold Observable of one request: nothing is sent before subscribe, unsubscribing aborts it,
   * and it emits the body parsed by `spec.schema` or errors with a {@link ServiceError}.
   */
  request$<S extends ServiceName, T>(spec: RequestSpec<S, T>): Observable<T>;
  /** The same client (routes, axios, token, limits, `onSent`) with another wrapper around each call. */
  withWrap(wrap: CallWrapper): HttpClient;
  /** The same client, telling `onSent` (or nobody) of each request that reached the wire. */
  withOnSent(onSent: SentObserver | undefined): HttpClient;
  /**
   * Closes the connections of the default transport's own pool (Node), for every client made from
   * this one: the idle ones at once, the others as their requests end. An axios instance or a fetch
   * given in the options is left as it is.
   */
  close(): void;
}

/**
 * Creates the one HTTP layer every client shares.
 *
 * @example
 * const http = createHttpClient({ baseUrls, getToken: () => session?.accessToken ?? null });
 * http.request$({ service: 'content', route: 'getDocument', params: { id }, schema: DocumentDetailSchema }).subscribe(console.log);
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const routes = resolveRoutes(options.routes);
  return buildHttpClient(options, routes, describeRoutes(routes), transportOf(options));
}

/** The transport the options name: their axios instance, else their fetch, else the platform's default. */
function transportOf(options: HttpClientOptions): Transport {
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (options.axios) return axiosTransport(options.axios, limit);
  if (options.fetch) return fetchTransport(options.fetch, limit);
  return defaultTransport(limit);
}

/** What a client keeps per route, made once: the same `info` names the route in every call, retry and event. */
interface RouteEntry {
  readonly route: RouteDef;
  readonly info: CallInfo;
  readonly fill: PathFiller;
}

/** Route entries by service, then by route name: two lookups, where a joined key would be a string made per call. */
type RouteEntries = ReadonlyMap<string, ReadonlyMap<string, RouteEntry>>;

function describeRoutes(routes: RouteTable): RouteEntries {
  const entries = new Map<string, Map<string, RouteEntry>>();
  for (const [service, serviceRoutes] of Object.entries(routes) as [ServiceName, Record<string, RouteDef>][]) {
    const byName = new Map<string, RouteEntry>();
    entries.set(service, byName);
    for (const [name, route] of Object.entries(serviceRoutes)) {
      const info: CallInfo = {
        service,
        route: name,
        endpoint: endpointName(route),
        method: route.method,
        idempotent: isIdempotentCall(route.method, route.idempotent),
        extension: route.extension === true,
        authenticated: route.auth !== false,
      };
      byName.set(name, { route, info, fill: pathFiller(route.path) });
    }
  }
  return entries;
}

/**
 * Which turn of the event loop a request was dispatched in, as far as a request can tell: the
 * number moves on at the first microtask checkpoint after a dispatch, which comes before any I/O.
 * A request aborted while the number is still the one it was dispatched under never left.
 */
let dispatchTurn = 0;
let turnEnding = false;
function currentTurn(): number {
  if (!turnEnding) {
    turnEnding = true;
    queueMicrotask(() => {
      turnEnding = false;
      dispatchTurn += 1;
    });
  }
  return dispatchTurn;
}

/** The last token that passed {@link tokenProblem}: a session's token is checked once, not per call. */
let lastSafeToken: string | undefined;

function buildHttpClient(options: HttpClientOptions, routes: RouteTable, entries: RouteEntries, transport: Transport): HttpClient {
  const unwrapped: CallWrapper = (call$) => call$;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const { onSent } = options;

  function entry(service: ServiceName, routeName: string): RouteEntry {
    const found = entries.get(service)?.get(routeName);
    if (!found) throw new TypeError(`unknown route ${service}.${routeName}`);
    return found;
  }

  function request$<S extends ServiceName, T>(wrap: CallWrapper, spec: RequestSpec<S, T>): Observable<T> {
    const { route, info, fill } = entry(spec.service, spec.route);
    // A bad path parameter or body is the caller's input, not a failed call: it errors the Observable, sends nothing.
    let url: string;
    try {
      url = fill(spec.params);
    } catch (error) {
      return throwError(() => invalidRequest(info, errorMessage(error)));
    }
    const badQuery = spec.query && queryProblem(spec.query);
    if (badQuery) {
      const { key, message } = badQuery;
      return throwError(() => invalidRequest(info, `the query parameter ${key} ${message}`, [{ path: `(query).${key}`, message }]));
    }
    let body = spec.body;
    if (spec.bodySchema) {
      const parsed = safeParseInEnglish(spec.bodySchema, body);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error, '(body)');
        return throwError(() => invalidRequest(info, `the request body does not fit its schema (${summarizeIssues(issues, 3)})`, issues));
      }
      body = parsed.data;
    }
    const { tracing } = options;
    const call: PreparedCall<S, T> = { spec, route, info, url, body };
    const call$ = new Observable<T>((subscriber) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      // The attempt's span puts its trace headers in `headers`.
      const attempt = tracing?.startAttempt(
        { service: info.service, method: info.method, template: route.path, baseUrl: options.baseUrls[spec.service] },
        tracing.active(),
        headers,
      );
      const exchange = new Exchange<T>(subscriber, info, onSent, headers, attempt);
      let sent: Promise<T>;
      // Whatever fails before the request leaves (the token) is delivered as a failure of the call, not thrown.
      try {
        sent = send(call, exchange);
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(
        (value) => exchange.answered(value),
        (error: unknown) => exchange.failed(error),
      );
      return exchange;
    });
    return wrap(call$, info);
  }

  /** Reads the token (waiting for a provider's promise only), then sends. */
  function send<S extends ServiceName, T>(call: PreparedCall<S, T>, exchange: Exchange<T>): Promise<T> {
    if (call.route.auth === false || !options.getToken) return dispatch(call, exchange, undefined);
    const provided = readToken(options.getToken, call.info);
    // A token at hand (the usual case) is used at once, without a turn through the microtask queue.
    if (!(provided instanceof Promise)) return dispatch(call, exchange, provided);
    return provided.then((token) => dispatch(call, exchange, token));
  }

  function dispatch<S extends ServiceName, T>(
    call: PreparedCall<S, T>,
    exchange: Exchange<T>,
    token: string | null | undefined,
  ): Promise<T> {
    const { spec, route, info, url, body } = call;
    const { headers, signal, attempt } = exchange;
    if (token) {
      if (token !== lastSafeToken) checkToken(token, info);
      headers.Authorization = `Bearer ${token}`;
    }
    if (signal.aborted) throw failure(info, 'aborted', { reason: 'cancelled before it was sent' });
    // What this call itself sends that is secret: a service that echoes it back must not leak it. Read on failures only.
    const secrets: SecretSource = { token, body, more: options.secrets };
    signal.sentInTurn = currentTurn();
    onSent?.sent(info);
    return transport({
      method: route.method,
      baseUrl: options.baseUrls[spec.service],
      path: url,
      query: definedOnly(spec.query),
      body,
      headers,
      signal,
    }).then(
      (response) => {
        attempt?.span.setAttribute('http.response.status_code', response.status);
        return readResponse(spec, info, route, response, `${options.baseUrls[spec.service]}${url}`, maxResponseBytes, secrets);
      },
      (error: unknown) => {
        const failed = transportFailure(info, error, maxResponseBytes, secrets);
        // The adapter may still hold the connection (fetch's body stream does): let it go at once.
        signal.abort();
        throw failed;
      },
    );
  }

  const describe: HttpClient['describe'] = (service, routeName) => entry(service, routeName).info;
  // One client per wrapper, sharing everything else: the orchestrator makes one per operation.
  const clientWith = (wrap: CallWrapper): HttpClient => ({
    routes,
    baseUrls: options.baseUrls,
    describe,
    request$: (spec) => request$(wrap, spec),
    withWrap: clientWith,
    // Another observer means another layer: its closures read it (set once, by the orchestrator).
    withOnSent: (other) => buildHttpClient({ ...options, wrap, onSent: other }, routes, entries, transport),
    close: () => transport.close?.(),
  });
  return clientWith(options.wrap ?? unwrapped);
}

/**
 * One attempt of a call, from its subscription to its answer: the request's headers and abort
 * signal, its span, and its end. It is the teardown the subscriber holds: unsubscribing before the
 * answer aborts the request.
 */
class Exchange<T> extends Subscription {
  readonly signal = new CallSignal();
  private settled = false;

  constructor(
    private readonly subscriber: Subscriber<T>,
    private readonly info: CallInfo,
    private readonly onSent: SentObserver | undefined,
    /** The request's headers: the token goes in before it is sent. */
    readonly headers: Record<string, string>,
    /** The attempt's span, with tracing on. */
    readonly attempt: ActiveSpan | undefined,
  ) {
    super();
  }

  answered(value: T): void {
    this.settled = true;
    this.attempt?.end();
    this.subscriber.next(value);
    this.subscriber.complete();
  }

  failed(error: unknown): void {
    this.settled = true;
    this.attempt?.end(spanFailure(error));
    this.subscriber.error(error);
  }

  override unsubscribe(): void {
    if (!this.settled && !this.closed) {
      this.settled = true;
      // Aborted in the turn it was dispatched in: nothing can have been written to a socket yet.
      if (this.signal.sentInTurn === dispatchTurn) this.onSent?.withdrawn(this.info);
      this.signal.abort();
      this.attempt?.end({ type: 'aborted' });
    }
    super.unsubscribe();
  }
}

/** A request checked and ready to send: what every attempt of it sends again. */
interface PreparedCall<S extends ServiceName, T> {
  readonly spec: RequestSpec<S, T>;
  readonly route: RouteDef;
  readonly info: CallInfo;
  /** The path, its parameters filled in. */
  readonly url: string;
  /** The body as its schema output it. */
  readonly body: unknown;
}

/** The secrets one call sent (its token, its body's secret fields) and the session's, read only to scrub a failure. */
interface SecretSource {
  readonly token: string | null | undefined;
  readonly body: unknown;
  readonly more: (() => SecretList) | undefined;
}

function secretsOf(source: SecretSource): SecretList {
  return [source.token, ...secretFieldsOf(source.body), ...(source.more?.() ?? [])];
}

/** A failed attempt as its span's `error.type`: the HTTP status where there is one, else the failure's code. */
function spanFailure(error: unknown): SpanFailure {
  if (isServiceError(error))
    return {
      type: error.status !== undefined && error.status >= 400 ? String(error.status) : error.code,
      message: redactText(error.message),
    };
  return { type: 'unknown' };
}

/** The error of a request whose path parameters or body the caller got wrong; nothing was sent. */
function invalidRequest(info: CallInfo, reason: string, issues?: readonly Issue[]): OrchestratorError {
  return new OrchestratorError(`${info.service} ${info.endpoint}: ${reason}`, 'invalid_input', {
    service: info.service,
    endpoint: info.endpoint,
    ...(issues ? { issues } : {}),
  });
}

/**
 * The token, or an `auth` failure that says the provider failed (its error may hold a secret, so it
 * is not kept). A token at hand comes back as it is; only a provider's promise makes one.
 */
function readToken(getToken: TokenProvider, info: CallInfo): string | null | undefined | Promise<string | null | undefined> {
  const providerFailed = (): ServiceError => failure(info, 'auth', { reason: 'the token provider failed', retryable: false });
  try {
    const provided = getToken();
    if (typeof (provided as { then?: unknown } | null | undefined)?.then !== 'function') return provided as string | null | undefined;
    // Inside the try: a thenable whose `then` throws must fail the same way.
    return Promise.resolve(provided).then(undefined, () => {
      throw providerFailed();
    });
  } catch {
    throw providerFailed();
  }
}

/** Refuses a token that cannot go in a header (a CR or LF would split the request), without repeating it. */
function checkToken(token: unknown, info: CallInfo): void {
  const problem = typeof token === 'string' ? tokenProblem(token) : 'must be a string';
  if (problem)
    throw failure(info, 'auth', { reason: `the token provider gave a token that cannot be sent: it ${problem}`, retryable: false });
  lastSafeToken = token as string;
}

/** The name of a query parameter longer than a search text may be (a megabyte would go into the URL), if any. */
/** A UTF-16 surrogate without its pair: text cut in the middle of a character, which no URL can carry. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first query parameter that cannot be sent, and why: longer than a search text may be (a
 * megabyte would go into the URL), or not well-formed text (axios refuses it one way or another, and
 * fetch would send a replacement character instead), so every transport refuses it alike, before sending.
 */
function queryProblem(query: NonNullable<RequestSpec<ServiceName, unknown>['query']>): { key: string; message: string } | undefined {
  for (const key in query) {
    const value = query[key];
    if (typeof value !== 'string') continue;
    if (value.length > INPUT_LIMITS.query) return { key, message: `must be at most ${INPUT_LIMITS.query} characters` };
    if (LONE_SURROGATE.test(value)) return { key, message: 'must be well-formed text (it has half of a character)' };
  }
  return undefined;
}

function definedOnly(query: RequestSpec<ServiceName, unknown>['query']): Record<string, string | number | boolean> | undefined {
  if (!query) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const key in query) {
    const value = query[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function failure(info: CallInfo, code: ServiceErrorCode, extra: Partial<ConstructorParameters<typeof ServiceError>[0]> = {}): ServiceError {
  return new ServiceError({
    service: info.service,
    endpoint: info.endpoint,
    method: info.method,
    idempotent: info.idempotent,
    code,
    ...extra,
  });
}

/** The failure of a response larger than the limit: not an outage, and not worth a retry. */
function tooLarge(info: CallInfo, limit: number, status?: number): ServiceError {
  return failure(info, 'validation', {
    status,
    retryable: false,
    reason: `the response is larger than maxResponseBytes (${limit} bytes); it was cut off and its connection closed`,
  });
}

/**
 * A transport's failure as the call's, without keeping the error: it may hold the request and its
 * Authorization header. Anything else a transport throws is a network failure, its words scrubbed.
 */
function transportFailure(info: CallInfo, error: unknown, limit: number, secrets: SecretSource): ServiceError {
  const failed = error instanceof TransportError ? error : undefined;
  switch (failed?.kind) {
    case 'aborted':
      return failure(info, 'aborted', { reason: failed.reason });
    case 'timeout':
      return failure(info, 'timeout', { reason: failed.reason });
    case 'too_large':
      return tooLarge(info, limit);
    default:
      return failure(info, 'network', { reason: redactText((failed ?? networkFailure(error)).reason, secretsOf(secrets)) });
  }
}

function readResponse<S extends ServiceName, T>(
  spec: RequestSpec<S, T>,
  info: CallInfo,
  route: RouteDef,
  response: TransportResponse,
  requestUrl: string,
  limit: number,
  secrets: SecretSource,
): T {
  const { status } = response;
  const { text } = response;
  // A backstop for adapters that ignore `maxContentLength`: UTF-8 takes at least a byte per code unit.
  if (text.length > limit) throw tooLarge(info, limit, status);
  if (status >= 200 && status < 300) return parseBody(spec, info, text);

  const body = tryJson(text);
  // The service's own words: they may repeat the token or the password this call sent.
  const reason = redactText(errorReason(body, text, status), secretsOf(secrets));
  const retryAfterMs = parseRetryAfter(response.header('retry-after'));
  if (status === 401 || status === 403) throw failure(info, 'auth', { status, reason });
  if (status >= 300 && status < 400)
    throw failure(info, 'http', {
      status,
      reason: redactText(redirectReason(status, response.header('location'), requestUrl), secretsOf(secrets)),
    });
  if (route.extension && (status === 405 || (status === 404 && isRouteNotFound(body)))) {
    throw failure(info, 'unsupported', { status, reason: 'this Hub does not serve the endpoint yet' });
  }
  throw failure(info, 'http', { status, reason, retryAfterMs });
}

function parseBody<S extends ServiceName, T>(spec: RequestSpec<S, T>, info: CallInfo, text: string): T {
  const body = tryJson(text);
  if (body === undefined) throw failure(info, 'validation', { reason: 'the body is not valid JSON' });
  const parsed = safeParseInEnglish(spec.schema, body);
  if (parsed.success) return parsed.data;
  if (spec.stub && z.safeParse(spec.stub, body).success) {
    throw failure(info, 'unsupported', { reason: 'this Hub does not serve the endpoint yet (it answers with a stub)' });
  }
  const issues = issuesOf(parsed.error, '(root)');
  throw failure(info, 'validation', { reason: `the body does not fit its schema (${summarizeIssues(issues, 3)})`, issues });
}

function tryJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A redirect is not followed: the reason names where it points, resolved against the request's URL
 * (origin and path only, as a query may carry a secret), and how to follow it instead.
 */
function redirectReason(status: number, location: unknown, requestUrl: string): string {
  let target = 'an unnamed location';
  if (typeof location === 'string' && location !== '') {
    try {
      const from = new URL(requestUrl);
      const to = new URL(location, from);
      if (to.protocol !== 'http:' && to.protocol !== 'https:') target = 'a location that is not http(s)';
      else target = to.origin === from.origin ? to.pathname : `${to.origin}${to.pathname}`;
    } catch {
      target = 'an unreadable location';
    }
  }
  return (
    `HTTP ${status}: the service redirects to ${target}, and redirects are not followed; ` +
    'correct the service URL or the route path, or pass an axios instance that follows redirects (or the fetch option: fetch follows them)'
  );
}

/** FastAPI's unknown-path answer, as opposed to "that resource does not exist". */
function isRouteNotFound(body: unknown): boolean {
  return isRecord(body) && body.detail === 'Not Found';
}

/** One sentence from any error body the Hub sends: `{detail}`, the 422 list, `{message}`, plain text, or nothing. */
export function errorReason(body: unknown, text: string, status: number): string {
  if (isRecord(body)) {
    if (typeof body.detail === 'string') return body.detail;
    if (Array.isArray(body.detail)) return body.detail.map(describeValidationItem).join('; ');
    if (typeof body.message === 'string') return body.message;
  }
  const plain = text.trim();
  if (plain !== '' && body === undefined) return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
  return `HTTP ${status}`;
}

function describeValidationItem(item: unknown): string {
  if (!isRecord(item)) return 'invalid input';
  const loc = Array.isArray(item.loc) ? item.loc.join('.') : '';
  const msg = typeof item.msg === 'string' ? item.msg : 'invalid';
  return loc ? `${loc}: ${msg}` : msg;
}

/** `Retry-After` as ms (at most 2^31 - 1): delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  // Clamped to Node's longest timer: a huge value must not become Infinity or overflow a timer downstream.
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(MAX_TIMER_MS, Math.round(Number(value) * 1000));
  // An HTTP date starts with its day name; `Date.parse` alone reads "-1" or "12abc" as dates.
  if (!/^[A-Za-z]{3}/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(MAX_TIMER_MS, Math.max(0, date - now));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
