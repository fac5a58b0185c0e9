/** The four Hub services the orchestrator speaks to. */
export const SERVICE_NAMES = ['identity', 'content', 'communication', 'workflow'] as const;

/** The name of one Hub service. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** One value for each service, made by `make`. */
export function perService<T>(make: (service: ServiceName) => T): Record<ServiceName, T> {
  return { identity: make('identity'), content: make('content'), communication: make('communication'), workflow: make('workflow') };
}

/** What went wrong in one service call. */
export type ServiceErrorCode = 'network' | 'timeout' | 'http' | 'auth' | 'validation' | 'unsupported' | 'circuit_open' | 'aborted';

/** What went wrong in an operation or in the orchestrator itself, service failures included. */
export type OrchestratorErrorCode = ServiceErrorCode | 'invalid_input' | 'invalid_config' | 'disposed' | 'step_failed';

/** Extra context an {@link OrchestratorError} carries; never holds a secret. */
export type ErrorDetails = Record<string, unknown>;

/**
 * The base of every error this library raises.
 *
 * @example
 * if (isOrchestratorError(err) && err.code === 'invalid_input') console.log(err.details.issues);
 */
export class OrchestratorError extends Error {
  override readonly name: string = 'OrchestratorError';
  readonly code: OrchestratorErrorCode;
  readonly details: ErrorDetails;

  constructor(message: string, code: OrchestratorErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/** The context a {@link ServiceError} is built from. */
export interface ServiceErrorInit {
  service: ServiceName;
  /** Method and route template, for example `GET /api/v1/documents/{id}`. */
  endpoint: string;
  code: ServiceErrorCode;
  /** The HTTP method of the call, so that retry rules can tell a POST from a GET. */
  method: string;
  status?: number;
  /** Whether the failure is of a kind that may succeed on a second try. */
  retryable?: boolean;
  /** Whether the call may be repeated without a second effect (GET, or a POST marked so). */
  idempotent?: boolean;
  /** The delay the server asked for with `Retry-After`, in ms. */
  retryAfterMs?: number;
  /** How many attempts were made before this error was final. */
  attempts?: number;
  /** A short reason, added to the message. */
  reason?: string;
  /** Schema issues, for `validation` errors. */
  issues?: ReadonlyArray<{ path: string; message: string }>;
}

/** Retryable by default: transport failures, timeouts, 5xx and 429. */
export function isRetryableFailure(code: ServiceErrorCode, status?: number): boolean {
  if (code === 'network' || code === 'timeout') return true;
  if (code === 'http' && status !== undefined) return status >= 500 || status === 429;
  return false;
}

/**
 * A failed call to one Hub service: which service, which endpoint, what kind of failure.
 *
 * @example
 * if (isServiceError(err) && err.code === 'unsupported') fallBack();
 */
export class ServiceError extends OrchestratorError {
  override readonly name = 'ServiceError' as const;
  declare readonly code: ServiceErrorCode;
  readonly service: ServiceName;
  readonly endpoint: string;
  readonly method: string;
  readonly status?: number;
  readonly retryable: boolean;
  readonly idempotent: boolean;
  readonly retryAfterMs?: number;
  attempts: number;
  readonly issues?: ReadonlyArray<{ path: string; message: string }>;

  constructor(init: ServiceErrorInit) {
    const status = init.status !== undefined ? ` (HTTP ${init.status})` : '';
    const reason = init.reason ? `: ${init.reason}` : '';
    super(`${init.service} ${init.endpoint} failed with ${init.code}${status}${reason}`, init.code, {
      service: init.service,
      endpoint: init.endpoint,
      ...(init.status !== undefined ? { status: init.status } : {}),
    });
    this.service = init.service;
    this.endpoint = init.endpoint;
    this.method = init.method.toUpperCase();
    this.status = init.status;
    this.retryable = init.retryable ?? isRetryableFailure(init.code, init.status);
    this.idempotent = init.idempotent ?? this.method !== 'POST';
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
    this.issues = init.issues;
  }
}

/** The message of an error, or the thing thrown as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for any error raised by this library. */
export function isOrchestratorError(error: unknown): error is OrchestratorError {
  return error instanceof OrchestratorError;
}

/** True for a failed service call. */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}
