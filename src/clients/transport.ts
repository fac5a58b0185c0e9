import type { RouteDef } from '../hub/routes';
import type { CallSignal } from './callSignal';

/** One request as the HTTP layer hands it to a transport: everything resolved, nothing left to choose. */
export interface TransportRequest {
  readonly method: RouteDef['method'];
  /** The service's base URL, such as `http://localhost:8002`. */
  readonly baseUrl: string;
  /** The filled-in path, such as `/api/v1/documents/42`. */
  readonly path: string;
  /** The query's defined values, if any. */
  readonly query: Readonly<Record<string, string | number | boolean>> | undefined;
  /** The JSON body; `undefined` sends none. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborted when the call is unsubscribed from: the request is then dropped and its connection let go. */
  readonly signal: CallSignal;
}

/** An answer of any status, its body read whole (at most the transport's limit) as text. */
export interface TransportResponse {
  readonly status: number;
  readonly text: string;
  /** A response header's value (by its lower-case name), or `undefined` when absent. */
  header(name: 'retry-after' | 'location'): string | undefined;
}

/**
 * Sends one request and reads its whole answer, whatever its status. A body over the transport's
 * limit, an abort or a failure to reach the service rejects with a {@link TransportError}.
 */
export type Transport = ((request: TransportRequest) => Promise<TransportResponse>) & {
  /** Lets go of what the transport itself holds, such as its own pool of connections; absent when it holds nothing. */
  readonly close?: () => void;
};

/** Why a transport could not bring an answer back. */
export type TransportFailureKind = 'aborted' | 'timeout' | 'too_large' | 'network';

/**
 * A request that brought no answer. `reason` is the platform's code or words (such as
 * `ECONNREFUSED`), not yet redacted: the HTTP layer scrubs it with the call's secrets.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    readonly kind: TransportFailureKind,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * The platform's code for why a request failed (`ECONNREFUSED`, `UND_ERR_SOCKET`…), from the error's
 * `cause` chain: Node's fetch says "fetch failed" and puts it in `cause`, and axios's fetch adapter
 * wraps that error again. A browser gives none.
 */
export function causeCode(error: unknown): string | undefined {
  // Read as plain objects: an error made by Node itself may come from another realm than this module's `Error`.
  let cause = causeOf(error);
  for (let depth = 0; depth < 3 && cause !== undefined; depth++) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string') return code;
    cause = causeOf(cause);
  }
  return undefined;
}

function causeOf(error: unknown): object | undefined {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return typeof cause === 'object' && cause !== null ? cause : undefined;
}

/** Whether a platform code says the platform itself gave up waiting (undici's own limits, a socket's timeout). */
export function isPlatformTimeout(code: string | undefined): code is string {
  return code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/** A failure to reach the service: the platform's code when it gives one, else the start of its words. */
export function networkFailure(error: unknown, code?: string): TransportError {
  // Read as a plain object: an error made by Node itself may come from another realm than this module's `Error`.
  const { message } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown };
  const words = typeof message === 'string' ? message.slice(0, 200) : '';
  return new TransportError('network', code ?? (words !== '' ? words : 'the request could not be sent'));
}
