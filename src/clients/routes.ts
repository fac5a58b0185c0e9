import type { ServiceName } from '../errors';

/** One endpoint of the Hub: its method and its path template (`{name}` marks a path parameter). */
export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  /** A POST that may be repeated without a second effect, and so may be retried. */
  readonly idempotent?: boolean;
  /** Not served by the published services yet: a 404 or 405 here means "unsupported". */
  readonly extension?: boolean;
  /** Whether the call carries the bearer token (default true). */
  readonly auth?: boolean;
}

/**
 * Every path the clients call, in one table: the single source of truth for routes.
 * A deployment can override any entry through `createHttpClient({ routes })`.
 */
export const defaultRoutes = {
  identity: {
    health: { method: 'GET', path: '/health', auth: false },
    register: { method: 'POST', path: '/auth/register', auth: false },
    verifyEmail: { method: 'POST', path: '/auth/verify-email', auth: false },
    login: { method: 'POST', path: '/auth/login', auth: false, idempotent: true },
    getUser: { method: 'GET', path: '/users/{id}' },
    listUsers: { method: 'GET', path: '/users' },
    deleteUser: { method: 'DELETE', path: '/users/{id}' },
    validateToken: { method: 'POST', path: '/auth/validate', idempotent: true, extension: true },
    refreshToken: { method: 'POST', path: '/auth/refresh', auth: false, extension: true },
  },
  content: {
    health: { method: 'GET', path: '/health', auth: false },
    listDocuments: { method: 'GET', path: '/api/v1/documents' },
    getDocument: { method: 'GET', path: '/api/v1/documents/{id}' },
    search: { method: 'GET', path: '/api/v1/search', extension: true },
  },
  communication: {
    health: { method: 'GET', path: '/health', auth: false },
    createNotification: { method: 'POST', path: '/api/v1/notifications' },
    createBulkNotifications: { method: 'POST', path: '/api/v1/notifications/bulk', extension: true },
    createConversation: { method: 'POST', path: '/api/v1/conversations', extension: true },
  },
  workflow: {
    health: { method: 'GET', path: '/health', auth: false },
    listDefinitions: { method: 'GET', path: '/api/v1/definitions', extension: true },
    getDefinition: { method: 'GET', path: '/api/v1/definitions/{id}', extension: true },
    startWorkflow: { method: 'POST', path: '/api/v1/workflows' },
    getWorkflowStatus: { method: 'GET', path: '/api/v1/workflows/{id}/status' },
  },
} as const satisfies { readonly [S in ServiceName]: Readonly<Record<string, RouteDef>> };

/** The route names of one service, such as `'getDocument'` for `content`. */
export type RouteName<S extends ServiceName> = keyof (typeof defaultRoutes)[S] & string;

/** The whole route table, with every entry possibly overridden. */
export type RouteTable = { readonly [S in ServiceName]: { readonly [R in RouteName<S>]: RouteDef } };

/** Overrides of the route table: a new path as a string, or a partial route. */
export type RouteOverrides = {
  readonly [S in ServiceName]?: { readonly [R in RouteName<S>]?: string | Partial<RouteDef> };
};

/** The default route table with the given overrides applied. */
export function resolveRoutes(overrides: RouteOverrides = {}): RouteTable {
  const table = {} as Record<ServiceName, Record<string, RouteDef>>;
  for (const [service, routes] of Object.entries(defaultRoutes) as [ServiceName, Record<string, RouteDef>][]) {
    const serviceOverrides = (overrides[service] ?? {}) as Record<string, string | Partial<RouteDef> | undefined>;
    table[service] = {};
    for (const [name, route] of Object.entries(routes)) {
      const override = serviceOverrides[name];
      table[service][name] = typeof override === 'string' ? { ...route, path: override } : { ...route, ...override };
    }
  }
  return table as unknown as RouteTable;
}

/** `GET /api/v1/documents/{id}`: how a route is named in errors, events and metrics. */
export function endpointName(route: RouteDef): string {
  return `${route.method} ${route.path}`;
}

/** Fills one path template with its parameters; see {@link pathFiller}. */
export type PathFiller = (params?: Readonly<Record<string, string>>) => string;

/**
 * Splits a template once and gives back the function that fills it: what a client keeps per route,
 * so that a call does not parse its route again. Every parameter is URL-encoded.
 */
export function pathFiller(template: string): PathFiller {
  // Literal text at even indexes, parameter names at odd ones.
  const parts = template.split(/\{(\w+)\}/);
  return (params = {}) => {
    let path = parts[0] as string;
    for (let index = 1; index < parts.length; index += 2) {
      const name = parts[index] as string;
      const value = params[name];
      if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${template}`);
      // URL parsers resolve "." and ".." segments (encoded or not), so they can never be sent safely.
      if (value === '' || value === '.' || value === '..') {
        throw new TypeError(`path parameter "${name}" of ${template} may not be empty, "." or ".."`);
      }
      path += encodeURIComponent(value) + (parts[index + 1] as string);
    }
    return path;
  };
}

/** Fills a path template; every parameter is URL-encoded, so an id can never leave its segment. */
export function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return pathFiller(template)(params);
}
