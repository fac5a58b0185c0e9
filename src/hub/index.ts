// The Hub's vocabulary: the names and limits every layer speaks in, the simulator included.
// It imports nothing, so that anything may import it.

/** The four Hub services the orchestrator speaks to. */
export const SERVICE_NAMES = ['identity', 'content', 'communication', 'workflow'] as const;

/** The name of one Hub service. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** One value for each service, made by `make`. */
export function perService<T>(make: (service: ServiceName) => T): Record<ServiceName, T> {
  return { identity: make('identity'), content: make('content'), communication: make('communication'), workflow: make('workflow') };
}

/** The operations the orchestrator runs across the services. */
export const OPERATION_NAMES = [
  'onboardNewUser',
  'processDocumentWithAI',
  'searchAndTriggerWorkflows',
  'setupCollaborativeWorkspace',
  'signIn',
] as const;

/** The name of one operation the orchestrator runs. */
export type OperationName = (typeof OPERATION_NAMES)[number];

/** How a service answers its health check. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** The state of a service's circuit breaker. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** The HTTP methods the Hub's routes use. */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/**
 * Whether a call may be repeated without a second effect: every method but POST, and a POST its
 * route marks so (login and validate, which change nothing).
 */
export function isIdempotentCall(method: string, markedIdempotent = false): boolean {
  return method.toUpperCase() !== 'POST' || markedIdempotent;
}

/** The most notifications `POST /api/v1/notifications/bulk` takes at once (it answers 400 beyond). */
export const MAX_BULK_NOTIFICATIONS = 1000;
