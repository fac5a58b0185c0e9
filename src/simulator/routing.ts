import type { ServiceName } from '../hub';
import { HttpError } from './http';
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
  readonly upstream?: UpstreamBehaviour;
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
    .filter((route) => mode === 'extended' || route.upstream !== 'not-found')
    .map((route) => ({ route, params: matchTemplate(route.path, path) }))
    .filter((match): match is { route: Route; params: Record<string, string> } => match.params !== null);
  if (onPath.length === 0) return { kind: 'not-found' };

  const allowed = onPath.filter(({ route }) => mode === 'extended' || route.upstream !== 'method-not-allowed');
  const hit = allowed.find(({ route }) => route.method === method);
  if (hit) return { kind: 'route', ...hit };
  return { kind: 'method-not-allowed', allow: allowed.map(({ route }) => route.method) };
}

/** The authenticated user of a route declared with `auth: true`. */
export function requireUser(ctx: RequestContext): UserRecord {
  if (!ctx.user) throw new HttpError(401, 'Not authenticated');
  return ctx.user;
}
