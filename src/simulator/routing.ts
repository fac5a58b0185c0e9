import type { ServiceName } from '../hub';
import { bearerToken, HttpError } from './http';
import type { UserRecord } from './records';
import type { HubState } from './state';
import type { HubMode } from './types';

/** What a route handler sees of one request. */
export interface RequestContext {
  readonly service: ServiceName;
  readonly state: HubState;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON, or null when the body was empty or not JSON (see `bodyInvalid`). */
  readonly body: unknown;
  /** The body was not empty and not valid JSON. */
  readonly bodyInvalid: boolean;
  /** The user of a valid access token, whether or not the route requires one. */
  readonly user: UserRecord | null;
  readonly port: number;
  readonly activeConnections: number;
}

/**
 * How a route answers when the hub plays the published services:
 * `served` as in extended mode, `not-found` as an unknown path, `method-not-allowed` as a 405.
 */
export type UpstreamBehaviour = 'served' | 'not-found' | 'method-not-allowed';

/** One endpoint of a service. The handler returns the 200 JSON body or throws an HttpError. */
export interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: (ctx: RequestContext) => unknown;
  /** Requires `Authorization: Bearer <access token>`; checked before any validation, as FastAPI's dependency is. */
  readonly auth?: boolean;
  /** How the route answers in `upstream` and `deployed` mode; default served. */
  readonly upstream?: UpstreamBehaviour;
  /** `not-found` for a route only the published services have (a stub or a broken handler); default served. */
  readonly extended?: 'not-found';
}

/** The outcome of matching a request against a service's routes. */
export type Resolution =
  { kind: 'route'; route: Route; params: Record<string, string> } | { kind: 'not-found' } | { kind: 'method-not-allowed'; allow: string[] };

function segments(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Matches a path against a template segment by segment; `{name}` matches any one segment.
 * Returns the decoded parameters, or null when the path does not fit.
 */
export function matchTemplate(template: string, path: string): Record<string, string> | null {
  const expected = segments(template);
  const actual = segments(path);
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < expected.length; i += 1) {
    const want = expected[i];
    const got = actual[i];
    if (want.startsWith('{') && want.endsWith('}')) params[want.slice(1, -1)] = decodeSegment(got);
    else if (want !== got) return null;
  }
  return params;
}

/** Finds the route for a request the way Starlette does: a path match with another method is a 405. */
export function resolveRoute(routes: readonly Route[], method: string, path: string, mode: HubMode): Resolution {
  const onPath = routes
    .filter((route) => (mode === 'extended' ? route.extended !== 'not-found' : route.upstream !== 'not-found'))
    .map((route) => ({ route, params: matchTemplate(route.path, path) }))
    .filter((match): match is { route: Route; params: Record<string, string> } => match.params !== null);
  if (onPath.length === 0) return { kind: 'not-found' };

  const allowed = onPath.filter(({ route }) => mode === 'extended' || route.upstream !== 'method-not-allowed');
  const hit = allowed.find(({ route }) => route.method === method);
  if (hit) return { kind: 'route', ...hit };
  return { kind: 'method-not-allowed', allow: allowed.map(({ route }) => route.method) };
}

/** An answer that refuses a request before its handler runs. */
export interface Refusal {
  readonly status: number;
  readonly detail: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Whether the token check of a route declared with `auth: true` refuses the request, and how.
 * - extended: 401 without a valid token (`Not authenticated` or `Invalid or expired token`);
 * - upstream and deployed, as FastAPI 0.116's `HTTPBearer` answers: 403 `Not authenticated` without
 *   the header, 403 `Invalid authentication credentials` for another scheme;
 * - upstream: a token the validator rejects is 401 `Token validation failed`;
 * - deployed: every bearer is 401 `Token validation failed`, identity's own included, because the
 *   services validate through identity's `POST /auth/validate`, which identity does not serve.
 */
export function authRefusal(mode: HubMode, authorization: string | undefined, user: UserRecord | null): Refusal | null {
  if (mode === 'extended') {
    if (user) return null;
    const detail = bearerToken(authorization) ? 'Invalid or expired token' : 'Not authenticated';
    return { status: 401, detail, headers: { 'WWW-Authenticate': 'Bearer' } };
  }
  const header = (authorization ?? '').trim();
  if (header === '') return { status: 403, detail: 'Not authenticated', headers: {} };
  if (!bearerToken(header)) return { status: 403, detail: 'Invalid authentication credentials', headers: {} };
  if (mode === 'deployed' || !user) return { status: 401, detail: 'Token validation failed', headers: {} };
  return null;
}

/** The authenticated user of a route declared with `auth: true`. */
export function requireUser(ctx: RequestContext): UserRecord {
  if (!ctx.user) throw new HttpError(401, 'Not authenticated');
  return ctx.user;
}
