import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { Observable, throwError } from 'rxjs';
import type { z } from 'zod';
import { errorMessage, issuesOf, OrchestratorError, ServiceError, summarizeIssues, type Issue, type ServiceErrorCode } from '../errors';
import { isIdempotentCall, type ServiceName } from '../hub';
import { CallSignal } from './callSignal';
import type { TokenProvider } from '../config';
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
   * The axios instance to send with. Default: a new one that does not follow redirects (in Node,
   * axios then sends with `http` directly rather than through follow-redirects, about 40 µs less per
   * call); the Hub's routes answer without them, and a 3xx becomes an `http` error that names it.
   */
  readonly axios?: AxiosInstance;
  /** Applied to every call, outermost last; the orchestrator adds its resilience here. */
  readonly wrap?: CallWrapper;
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
  readonly bodySchema?: z.ZodType;
  /** The schema a 200 body must fit; the Observable emits its parsed output. */
  readonly schema: z.ZodType<T>;
  /** The body a not-yet-implemented upstream answers with; fitting it means `unsupported`. */
  readonly stub?: z.ZodType;
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
  /** The same client (routes, axios, token) with another wrapper around each call. */
  withWrap(wrap: CallWrapper): HttpClient;
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
  return buildHttpClient(options, routes, describeRoutes(routes), options.axios ?? createDefaultAxios());
}

/** What a client keeps per route, made once: the same `info` names the route in every call, retry and event. */
interface RouteEntry {
  readonly route: RouteDef;
  readonly info: CallInfo;
  readonly fill: PathFiller;
}

function describeRoutes(routes: RouteTable): ReadonlyMap<string, RouteEntry> {
  const entries = new Map<string, RouteEntry>();
  for (const [service, serviceRoutes] of Object.entries(routes) as [ServiceName, Record<string, RouteDef>][]) {
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
      entries.set(`${service}.${name}`, { route, info, fill: pathFiller(route.path) });
    }
  }
  return entries;
}

/** The instance used when none is given: no redirects followed (browsers follow them regardless). */
function createDefaultAxios(): AxiosInstance {
  return axios.create({ maxRedirects: 0 });
}

/** The body as text: it is parsed here, so that a malformed one is a clear validation error. */
const RAW_BODY = [(data: unknown) => data];

/** Every status is read here, into a ServiceError, rather than thrown by axios. */
const ANY_STATUS = (): boolean => true;

function buildHttpClient(
  options: HttpClientOptions,
  routes: RouteTable,
  entries: ReadonlyMap<string, RouteEntry>,
  instance: AxiosInstance,
): HttpClient {
  const unwrapped: CallWrapper = (call$) => call$;

  function entry(service: ServiceName, routeName: string): RouteEntry {
    const found = entries.get(`${service}.${routeName}`);
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
    let body = spec.body;
    if (spec.bodySchema) {
      const parsed = spec.bodySchema.safeParse(body);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error, '(body)');
        return throwError(() => invalidRequest(info, `the request body does not fit its schema (${summarizeIssues(issues, 3)})`, issues));
      }
      body = parsed.data;
    }
    const call$ = new Observable<T>((subscriber) => {
      const signal = new CallSignal();
      let settled = false;
      send(spec, route, info, url, body, signal).then(
        (value) => {
          settled = true;
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          subscriber.error(error);
        },
      );
      return () => {
        if (!settled) signal.abort();
      };
    });
    return wrap(call$, info);
  }

  async function send<S extends ServiceName, T>(
    spec: RequestSpec<S, T>,
    route: RouteDef,
    info: CallInfo,
    url: string,
    body: unknown,
    signal: CallSignal,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (route.auth !== false && options.getToken) {
      const provided = readToken(options.getToken, info);
      // A token at hand (the usual case) is used at once, without a turn through the microtask queue.
      const token = provided instanceof Promise ? await provided : provided;
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    if (signal.aborted) throw failure(info, 'aborted', { reason: 'cancelled before it was sent' });
    let response: AxiosResponse<string>;
    try {
      response = await instance.request<string>({
        method: route.method,
        baseURL: options.baseUrls[spec.service],
        url,
        params: definedOnly(spec.query),
        data: body,
        headers,
        signal,
        responseType: 'text',
        transformResponse: RAW_BODY,
        validateStatus: ANY_STATUS,
      });
    } catch (error) {
      throw transportFailure(info, error);
    }
    return readResponse(spec, info, route, response, `${options.baseUrls[spec.service]}${url}`);
  }

  const describe: HttpClient['describe'] = (service, routeName) => entry(service, routeName).info;
  // One client per wrapper, sharing everything else: the orchestrator makes one per operation.
  const clientWith = (wrap: CallWrapper): HttpClient => ({
    routes,
    baseUrls: options.baseUrls,
    describe,
    request$: (spec) => request$(wrap, spec),
    withWrap: clientWith,
  });
  return clientWith(options.wrap ?? unwrapped);
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

function definedOnly(query: RequestSpec<ServiceName, unknown>['query']): Record<string, string | number | boolean> | undefined {
  if (!query) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = value;
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

/** Maps an axios transport error without keeping it: its config holds the Authorization header. */
function transportFailure(info: CallInfo, error: unknown): ServiceError {
  const code = axios.isAxiosError(error) ? error.code : undefined;
  if (axios.isCancel(error) || code === 'ERR_CANCELED') return failure(info, 'aborted', { reason: 'the request was cancelled' });
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return failure(info, 'timeout', { reason: code });
  const reason = code ?? (error instanceof Error ? error.message : 'the request could not be sent');
  return failure(info, 'network', { reason });
}

function readResponse<S extends ServiceName, T>(
  spec: RequestSpec<S, T>,
  info: CallInfo,
  route: RouteDef,
  response: AxiosResponse<string>,
  requestUrl: string,
): T {
  const { status } = response;
  const text = typeof response.data === 'string' ? response.data : '';
  if (status >= 200 && status < 300) return parseBody(spec, info, text);

  const body = tryJson(text);
  const reason = errorReason(body, text, status);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  if (status === 401 || status === 403) throw failure(info, 'auth', { status, reason });
  if (status >= 300 && status < 400)
    throw failure(info, 'http', { status, reason: redirectReason(status, response.headers.location, requestUrl) });
  if (route.extension && (status === 405 || (status === 404 && isRouteNotFound(body)))) {
    throw failure(info, 'unsupported', { status, reason: 'this Hub does not serve the endpoint yet' });
  }
  throw failure(info, 'http', { status, reason, retryAfterMs });
}

function parseBody<S extends ServiceName, T>(spec: RequestSpec<S, T>, info: CallInfo, text: string): T {
  const body = tryJson(text);
  if (body === undefined) throw failure(info, 'validation', { reason: 'the body is not valid JSON' });
  const parsed = spec.schema.safeParse(body);
  if (parsed.success) return parsed.data;
  if (spec.stub?.safeParse(body).success) {
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
    'correct the service URL or the route path, or pass an axios instance that follows redirects'
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

/** `Retry-After` as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
