import type { HttpMethod, ServiceName } from './index';

/** One endpoint of the Hub: its method and its path template (`{name}` marks a path parameter). */
export interface RouteDef {
  readonly method: HttpMethod;
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
