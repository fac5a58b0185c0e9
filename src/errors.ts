import type * as z from 'zod/mini';
import { isIdempotentCall, type ServiceName } from './hub';

/** What went wrong in one service call. */
export type ServiceErrorCode = 'network' | 'timeout' | 'http' | 'auth' | 'validation' | 'unsupported' | 'circuit_open' | 'aborted';

/** What went wrong in an operation or in the orchestrator itself, service failures included. */
export type OrchestratorErrorCode = ServiceErrorCode | 'invalid_input' | 'invalid_config' | 'disposed' | 'step_failed';

/** Extra context an {@link OrchestratorError} carries; never holds a secret. */
export type ErrorDetails = Record<string, unknown>;

/** One problem a schema found: where (a dotted path) and what. */
export interface Issue {
  path: string;
  message: string;
}

/**
 * The base of every error this library raises.
 *
 * @example
 * if (isOrchestratorError(err) && err.code === 'invalid_input') console.log(err.details.issues);
 */
export class OrchestratorError extends Error {
  override readonly name: 'OrchestratorError' | 'ServiceError' = 'OrchestratorError';
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
  /** Whether the failure is of a kind that may succeed on a second try. Default {@link isTransientFailure}. */
  retryable?: boolean;
  /** Whether the call may be repeated without a second effect. Default: not a POST. */
  idempotent?: boolean;
  /** The delay the server asked for with `Retry-After`, in ms. */
  retryAfterMs?: number;
  /** How many attempts were made before this error was final. */
  attempts?: number;
  /** A short reason, added to the message. */
  reason?: string;
  /** Schema issues, for `validation` errors. */
  issues?: ReadonlyArray<Issue>;
}

/**
 * A failed call to one Hub service: which service, which endpoint, what kind of failure.
 *
 * @example
 * if (isServiceError(err) && err.code === 'unsupported') console.log(`${err.endpoint} is not served here`);
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
  /** Set when a retryable failure was not retried, and why: its service's retry budget was spent. */
  declare notRetried?: 'retry_budget_exhausted';
  readonly issues?: ReadonlyArray<Issue>;

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
    this.retryable = init.retryable ?? isTransientFailure(init.code, init.status);
    this.idempotent = init.idempotent ?? isIdempotentCall(this.method);
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
    this.issues = init.issues;
  }
}

// ── Checks: each says what it decides ──

/**
 * True for any error raised by this library: by `instanceof`, or by its `name` and `code`, so that
 * an error made by the CommonJS copy of the package is recognised by the ES module copy too.
 */
export function isOrchestratorError(error: unknown): error is OrchestratorError {
  if (error instanceof OrchestratorError) return true;
  if (!(error instanceof Error)) return false;
  const { name, code } = error as { name: unknown; code?: unknown };
  return (name === 'OrchestratorError' || name === 'ServiceError') && typeof code === 'string';
}

/** True for a failed service call, by `instanceof` or by its `name` (see {@link isOrchestratorError}). */
export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError || (isOrchestratorError(error) && error.name === 'ServiceError');
}

/** True when the service itself is in trouble (transport, timeout, 5xx), not the request: what a circuit breaker counts. */
export function isOutageFailure(code: ServiceErrorCode, status?: number): boolean {
  if (code === 'network' || code === 'timeout') return true;
  return code === 'http' && status !== undefined && status >= 500;
}

/** True when a failure may pass on a second try: an outage, or a 429. */
export function isTransientFailure(code: ServiceErrorCode, status?: number): boolean {
  return isOutageFailure(code, status) || (code === 'http' && status === 429);
}

/** True for a service error that says the service is in trouble (see {@link isOutageFailure}). */
export function isOutageError(error: unknown): error is ServiceError {
  return isServiceError(error) && isOutageFailure(error.code, error.status);
}

// ── Building errors ──

/** The message of an error, or the thing thrown as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A schema's issues as plain `{ path, message }` pairs; an issue at the root is named `root`. */
export function issuesOf(error: z.core.$ZodError, root: string): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || root, message: issue.message }));
}

/** Issues in one sentence, `path: message; …`, at most `limit` of them. */
export function summarizeIssues(issues: readonly Issue[], limit = Infinity): string {
  return issues
    .slice(0, limit)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
}

/** The error of an operation given input that does not fit its schema; nothing was sent. */
export function invalidInput(error: z.core.$ZodError): OrchestratorError {
  const issues = issuesOf(error, '(input)');
  return new OrchestratorError(`Invalid input (${summarizeIssues(issues)}); nothing was sent`, 'invalid_input', { issues });
}
