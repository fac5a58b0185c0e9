import type { AxiosInstance } from 'axios';
import { catchError, firstValueFrom, forkJoin, map, of, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { DefinitionListSchema, DefinitionListStubSchema } from '../clients/workflow';
import { DocumentListSchema, SearchResponseSchema, SearchStubSchema } from '../clients/content';
import { HealthResponseSchema } from '../clients/health';
import { createHttpClient, type HttpClient } from '../clients/http';
import { createIdentityClient, UserListSchema } from '../clients/identity';
import type { FetchFunction, ResolvedConfig, TokenProvider } from '../config';
import { errorMessage, isServiceError, type ServiceError } from '../errors';
import { OPERATION_NAMES, SERVICE_NAMES, type OperationName, type ServiceName } from '../hub';
import { resolveRoutes, type RouteName, type RouteOverrides } from '../hub/routes';
import { timeoutAfter } from '../operators/timeoutAfter';

// What a Hub can do, found without writing to it: every route the operations use is probed with a
// read, or with a POST whose body fails validation, and the answers say which operations can run.

/**
 * How one endpoint answered its probe:
 * - `served`: it answered as a served route does (200 with a body its schema reads, a 422 to the
 *   invalid probe body, or a 4xx of its own such as "Definition not found");
 * - `stub`: 200, but with the placeholder body of a route not implemented yet;
 * - `missing`: 404 `Not Found` or 405: no such route here;
 * - `auth_refused`: 401 or 403 to a request that carried a token: the token was refused;
 * - `needs_token`: 401 or 403 without a token: the route exists; pass a token to probe it;
 * - `failing`: a 5xx, or a 200 body no schema reads;
 * - `unreachable`: no answer (connection refused, timeout).
 */
export type EndpointState = 'served' | 'stub' | 'missing' | 'auth_refused' | 'needs_token' | 'failing' | 'unreachable';

/** Whether an operation can run fully, with some best-effort steps failing, or not at all. */
export type Capability = 'full' | 'partial' | 'unavailable';

/** One endpoint's probe and what it found. */
export interface EndpointReport {
  readonly service: ServiceName;
  /** The route's name in the route table, such as `getDocument`. */
  readonly route: string;
  /** Method and path template, such as `GET /api/v1/documents/{id}`. */
  readonly endpoint: string;
  readonly state: EndpointState;
  /** The probe's HTTP status; null without an answer, or when a stub is read from a 200. */
  readonly status: number | null;
  /** What the answer said, in a few words (the service's own `detail` where there is one). */
  readonly note: string;
  /** Whether the probe carried a bearer token. */
  readonly authenticated: boolean;
  /** The operations that call this endpoint. */
  readonly neededBy: readonly OperationName[];
}

/** The services that validate identity's tokens (identity itself needs none). */
export type TokenCheckedService = Exclude<ServiceName, 'identity'>;

/** Where the probes' token came from, and whether each service took it. */
export interface TokenReport {
  /** `token` (given or the orchestrator's session), `login` (from `credentials`), or `none`. */
  readonly source: 'token' | 'login' | 'none';
  /** Per service: true when it accepted the token, false when it refused it, null when not probed with one. */
  readonly accepted: Readonly<Record<TokenCheckedService, boolean | null>>;
  /** Why there is no token, when a login was asked for and failed. */
  readonly note?: string;
}

/** What {@link probeCapabilities} found: per operation, per endpoint, and for the token. */
export interface CapabilityReport {
  readonly operations: Readonly<Record<OperationName, Capability>>;
  readonly endpoints: readonly EndpointReport[];
  readonly tokens: TokenReport;
  /** ISO time the probes started. */
  readonly checkedAt: string;
}

/** How {@link probeCapabilities} reaches the Hub. */
export interface CapabilityProbeOptions {
  readonly services: Readonly<Record<ServiceName, string>>;
  readonly routes?: RouteOverrides;
  readonly axios?: AxiosInstance;
  /** Send with this `fetch` rather than axios (see the orchestrator's option of that name). */
  readonly fetch?: FetchFunction;
  /** The bearer token for the authenticated probes; ignored when `credentials` are given. */
  readonly getToken?: TokenProvider;
  /** Signs in first (a login writes nothing) and probes with that session's token. */
  readonly credentials?: { readonly email: string; readonly password: string };
  /** ms each probe may take; default 5000. */
  readonly timeout?: number;
}

/** What `orchestrator.capabilities()` accepts: a token or credentials of its own, and a timeout. */
export interface CapabilityOptions {
  /** Probe with this bearer token instead of the orchestrator's session. */
  readonly token?: string;
  /** Sign in with these first and probe with that token. */
  readonly credentials?: { readonly email: string; readonly password: string };
  /** ms each probe may take; default the orchestrator's `health.timeout`. */
  readonly timeout?: number;
}

/**
 * The probe options of an orchestrator: its services, routes, axios and `health.timeout`, and its
 * session's token, unless `options` give a token or credentials of their own.
 */
export function probeOptions(config: ResolvedConfig, sessionToken: TokenProvider, options: CapabilityOptions): CapabilityProbeOptions {
  const { token, credentials, timeout = config.health.timeout } = options;
  const getToken: TokenProvider = token === undefined ? sessionToken : () => token;
  return { services: config.services, routes: config.routes, axios: config.axios, fetch: config.fetch, getToken, credentials, timeout };
}

/** One endpoint an operation calls, and whether the operation fails without it. */
export interface OperationNeed {
  readonly service: ServiceName;
  readonly route: string;
  readonly critical: boolean;
}

const need = <S extends ServiceName>(service: S, route: RouteName<S>, critical: boolean): OperationNeed => ({ service, route, critical });

/**
 * The endpoints each operation calls, critical or best-effort, as the operation files do. Bulk
 * notifications are not listed: where bulk is missing the batcher falls back to the single post.
 */
export const OPERATION_NEEDS: { readonly [N in OperationName]: readonly OperationNeed[] } = {
  onboardNewUser: [
    need('identity', 'register', true),
    need('identity', 'verifyEmail', true),
    need('identity', 'login', true),
    need('communication', 'createNotification', false),
    need('content', 'listDocuments', false),
    need('workflow', 'listDefinitions', false),
    need('workflow', 'startWorkflow', false),
  ],
  processDocumentWithAI: [
    need('content', 'getDocument', true),
    need('workflow', 'getDefinition', true),
    need('workflow', 'startWorkflow', true),
    need('communication', 'createNotification', false),
  ],
  searchAndTriggerWorkflows: [
    need('content', 'search', true),
    need('workflow', 'listDefinitions', false),
    need('workflow', 'startWorkflow', false),
    need('communication', 'createNotification', false),
  ],
  setupCollaborativeWorkspace: [
    need('content', 'getDocument', true),
    need('identity', 'listUsers', false),
    need('communication', 'createConversation', true),
    need('workflow', 'getDefinition', false),
    need('workflow', 'startWorkflow', false),
    need('communication', 'createNotification', false),
  ],
  signIn: [need('identity', 'login', true)],
};

/** An id no record has: GETs by id answer their own 404 where the route is served. */
const NO_SUCH_ID = '00000000-0000-0000-0000-000000000000';

/** A probe: what to send, and the schemas a 200 is read with (the route's own, and its stub's). */
interface Probe {
  readonly service: ServiceName;
  readonly route: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  /** For a POST: a body the route's validation refuses, so that nothing is written. */
  readonly body?: unknown;
  readonly schema?: z.core.$ZodType;
  readonly stub?: z.core.$ZodType;
}

/** A POST body every route refuses with a 422: no field it requires. */
const INVALID_BODY = {};

/**
 * Every route probed, in the route table's order. DELETE routes and `getUser` are left out: no
 * operation calls them, and a DELETE is never sent, even to an id that does not exist.
 */
const PROBES: readonly Probe[] = [
  ...SERVICE_NAMES.map((service): Probe => ({ service, route: 'health', schema: HealthResponseSchema })),
  { service: 'identity', route: 'register', body: INVALID_BODY },
  { service: 'identity', route: 'verifyEmail', body: INVALID_BODY },
  { service: 'identity', route: 'login', body: INVALID_BODY },
  { service: 'identity', route: 'listUsers', query: { limit: 1 }, schema: UserListSchema },
  { service: 'identity', route: 'validateToken' },
  { service: 'identity', route: 'refreshToken', body: INVALID_BODY },
  { service: 'content', route: 'listDocuments', query: { limit: 1 }, schema: DocumentListSchema },
  { service: 'content', route: 'getDocument', params: { id: NO_SUCH_ID } },
  {
    service: 'content',
    route: 'search',
    query: { q: 'hub-orchestrator doctor', limit: 1 },
    schema: SearchResponseSchema,
    stub: SearchStubSchema,
  },
  { service: 'communication', route: 'createNotification', body: INVALID_BODY },
  // Not a list: the bulk route's validation refuses it.
  { service: 'communication', route: 'createBulkNotifications', body: INVALID_BODY },
  { service: 'communication', route: 'createConversation', body: INVALID_BODY },
  { service: 'workflow', route: 'listDefinitions', schema: DefinitionListSchema, stub: DefinitionListStubSchema },
  { service: 'workflow', route: 'getDefinition', params: { id: NO_SUCH_ID } },
  { service: 'workflow', route: 'startWorkflow', body: INVALID_BODY },
  { service: 'workflow', route: 'getWorkflowStatus', params: { id: NO_SUCH_ID } },
];

/** What a probe found, before it is named and attributed. */
type Finding = Pick<EndpointReport, 'state' | 'status' | 'note'>;

/**
 * Every route marked as an extension, so that the HTTP layer reads a 404 `Not Found` or a 405 on
 * any of them as `unsupported` (no such route), and any other 404 as the route's own answer.
 */
function probeRoutes(overrides: RouteOverrides | undefined): RouteOverrides {
  const table = resolveRoutes(overrides) as unknown as Record<ServiceName, Record<string, object>>;
  const marked: Record<string, Record<string, object>> = {};
  for (const service of SERVICE_NAMES) {
    marked[service] = {};
    for (const [name, route] of Object.entries(table[service])) marked[service][name] = { ...route, extension: true };
  }
  return marked as RouteOverrides;
}

/** The service's own words at the end of a {@link ServiceError}'s message. */
function reasonOf(error: ServiceError): string {
  const match = /failed with \w+(?: \(HTTP \d+\))?: (.*)$/s.exec(error.message);
  return match?.[1] ?? error.code;
}

function readFailure(error: unknown, authenticated: boolean): Finding {
  if (!isServiceError(error)) return { state: 'failing', status: null, note: errorMessage(error) };
  const status = error.status ?? null;
  const note = reasonOf(error);
  switch (error.code) {
    case 'unsupported':
      if (status === null) return { state: 'stub', status: 200, note: 'a placeholder body' };
      return { state: 'missing', status, note: status === 405 ? 'Method Not Allowed' : 'Not Found' };
    case 'auth':
      return { state: authenticated ? 'auth_refused' : 'needs_token', status, note };
    case 'http':
      if (status !== null && status >= 500) return { state: 'failing', status, note };
      // The route's validation refused the probe's body or id: it is there.
      return { state: 'served', status, note: status === 422 ? 'validation answered' : note };
    case 'network':
    case 'timeout':
    case 'aborted':
    case 'circuit_open':
      return { state: 'unreachable', status: null, note };
    case 'validation':
      return { state: 'failing', status: 200, note: 'the body fits no known schema' };
  }
}

function probe$(http: HttpClient, probe: Probe, timeout: number, authenticated: boolean): Observable<Finding> {
  const info = http.describe(probe.service, probe.route as never);
  return http
    .request$({
      service: probe.service,
      route: probe.route as never,
      params: probe.params,
      query: probe.query,
      body: probe.body,
      schema: probe.schema ?? z.unknown(),
      stub: probe.stub,
    })
    .pipe(
      timeoutAfter(timeout, info),
      map((): Finding => ({ state: 'served', status: 200, note: 'ok' })),
      catchError((error: unknown) => of(readFailure(error, authenticated))),
    );
}

/** An operation's verdict: unavailable without a critical endpoint, partial without a best-effort one. */
function verdict(needs: readonly OperationNeed[], stateOf: (service: ServiceName, route: string) => EndpointState | undefined): Capability {
  if (needs.some((n) => n.critical && stateOf(n.service, n.route) !== 'served')) return 'unavailable';
  return needs.every((n) => stateOf(n.service, n.route) === 'served') ? 'full' : 'partial';
}

/** True when a probe's finding says something of the token: an answer past the token check, or a refusal. */
function tokenVerdict(endpoints: readonly EndpointReport[], service: TokenCheckedService): boolean | null {
  const withToken = endpoints.filter((e) => e.service === service && e.authenticated && e.state !== 'unreachable' && e.state !== 'missing');
  if (withToken.length === 0) return null;
  return !withToken.some((e) => e.state === 'auth_refused');
}

interface TokenSource {
  readonly token: string | null;
  readonly source: TokenReport['source'];
  readonly note?: string;
  /** The login's own finding, when credentials were used. */
  readonly login?: Finding;
}

async function tokenSource(options: CapabilityProbeOptions, http: HttpClient, timeout: number): Promise<TokenSource> {
  if (options.credentials) {
    const login$ = createIdentityClient(http).login$({ ...options.credentials });
    try {
      const login = await firstValueFrom(login$.pipe(timeoutAfter(timeout, http.describe('identity', 'login'))));
      return { token: login.access_token, source: 'login', login: { state: 'served', status: 200, note: 'signed in' } };
    } catch (error) {
      // A refused login still shows the route served; only an outage says otherwise.
      const finding = readFailure(error, false);
      const served = finding.state === 'needs_token' || finding.state === 'served';
      return {
        token: null,
        source: 'none',
        note: `the login failed: ${isServiceError(error) ? reasonOf(error) : errorMessage(error)}`,
        login: served ? { ...finding, state: 'served', note: `login refused: ${finding.note}` } : finding,
      };
    }
  }
  let token: string | null | undefined;
  try {
    token = options.getToken ? await options.getToken() : null;
  } catch {
    // Its error may hold a secret, so it is not kept.
    return { token: null, source: 'none', note: 'the token provider failed' };
  }
  return token ? { token, source: 'token' } : { token: null, source: 'none' };
}

/**
 * Probes a Hub without writing to it and reports which operations can run fully, partly or not at
 * all, what each endpoint answered, and whether identity's tokens are accepted by the other three
 * services. POST routes are sent a body their validation refuses (a 422 means served; 404 or 405,
 * missing); with `credentials` it signs in first, which writes nothing. Never rejects for a Hub
 * that is down: unreachable endpoints are reported as such.
 *
 * @example
 * const report = await probeCapabilities({ services: baseUrls, credentials: { email, password } });
 * if (report.operations.setupCollaborativeWorkspace === 'unavailable') console.warn('no shared workspaces on this Hub');
 */
export async function probeCapabilities(options: CapabilityProbeOptions): Promise<CapabilityReport> {
  const checkedAt = new Date().toISOString();
  const timeout = options.timeout ?? 5_000;
  const plain = createHttpClient({ baseUrls: options.services, routes: options.routes, axios: options.axios, fetch: options.fetch });
  let http: HttpClient | undefined;
  // The default transport's connections are the probe's own: closed once it is done.
  try {
    const source = await tokenSource(options, plain, timeout);
    http = createHttpClient({
      baseUrls: options.services,
      routes: probeRoutes(options.routes),
      axios: options.axios,
      fetch: options.fetch,
      getToken: () => source.token,
    });
    return await report(http, source, checkedAt, timeout);
  } finally {
    plain.close();
    http?.close();
  }
}

/** What the probes found, as a report. */
async function report(http: HttpClient, source: TokenSource, checkedAt: string, timeout: number): Promise<CapabilityReport> {
  const { token } = source;
  const findings = await firstValueFrom(
    forkJoin(
      PROBES.map((p) => {
        const authenticated = token !== null && http.describe(p.service, p.route as never).authenticated;
        if (p.route === 'login' && source.login) return of({ finding: source.login, authenticated: false });
        return probe$(http, p, timeout, authenticated).pipe(map((finding) => ({ finding, authenticated })));
      }),
    ),
  );
  const endpoints: EndpointReport[] = PROBES.map((p, index) => {
    const { finding, authenticated } = findings[index] as { finding: Finding; authenticated: boolean };
    return {
      service: p.service,
      route: p.route,
      endpoint: http.describe(p.service, p.route as never).endpoint,
      ...finding,
      authenticated,
      neededBy: OPERATION_NAMES.filter((name) => OPERATION_NEEDS[name].some((n) => n.service === p.service && n.route === p.route)),
    };
  });
  const stateOf = (service: ServiceName, route: string): EndpointState | undefined =>
    endpoints.find((e) => e.service === service && e.route === route)?.state;
  const operations = Object.fromEntries(OPERATION_NAMES.map((name) => [name, verdict(OPERATION_NEEDS[name], stateOf)])) as Record<
    OperationName,
    Capability
  >;
  return {
    operations,
    endpoints,
    tokens: {
      source: source.source,
      accepted: {
        content: tokenVerdict(endpoints, 'content'),
        communication: tokenVerdict(endpoints, 'communication'),
        workflow: tokenVerdict(endpoints, 'workflow'),
      },
      ...(source.note ? { note: source.note } : {}),
    },
    checkedAt,
  };
}
