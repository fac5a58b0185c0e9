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

/**
 * The longest delay Node's timers keep (2³¹ − 1 ms, about 24.8 days): a longer one fires after 1 ms.
 * Every timer option is checked against it; `Infinity` stands for "off" where an option allows it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The default of `maxResponseBytes`: 4 MiB, far above any answer the Hub gives (its largest list is some 100 KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * Length bounds of the values the orchestrator sends, checked before any request: RFC 5321's
 * limits for emails (254 in all, 64 before the `@`), and generous bounds for the rest.
 */
export const INPUT_LIMITS = {
  email: 254,
  emailLocalPart: 64,
  /** A first or last name (Django's own bound). */
  name: 150,
  /** E.164 has at most 15 digits; room is left for `+`, spaces and dashes. */
  phoneNumber: 32,
  /** Above every password manager's default; a password hash needs no more. */
  password: 128,
  /** A search text. */
  query: 500,
  /** A bearer token (a JWT with many claims stays well below). */
  token: 8_192,
} as const;
