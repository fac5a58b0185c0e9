import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import type { FetchFunction } from '../config';
import { boundedFetch, isResponseTooLarge } from './boundedFetch';
import { causeCode, isPlatformTimeout, networkFailure, TransportError, type Transport } from './transport';

/** The body as text: the HTTP layer parses it, so that a malformed one is a clear validation error. */
const RAW_BODY = [(data: unknown) => data];

/** Every status is read by the HTTP layer, into a ServiceError, rather than thrown by axios. */
const ANY_STATUS = (): boolean => true;

/**
 * A transport over an axios instance: its interceptors, adapter and agents apply. The body is
 * bounded by `maxContentLength` with the `http` adapter and by {@link boundedFetch} with the `fetch`
 * one. Imports nothing of axios at run time, so that an app that brings no axios pays nothing for it.
 */
export function axiosTransport(instance: AxiosInstance, maxResponseBytes: number): Transport {
  // Used only by axios's fetch adapter, whose bodies it reads and bounds: the http adapter closes the connection itself.
  const env = fetchEnvOf(instance, maxResponseBytes);
  // A `then`, not an async function: one promise fewer on every call.
  return (request) =>
    instance
      .request<string>({
        method: request.method,
        baseURL: request.baseUrl,
        url: request.path,
        params: request.query,
        data: request.body,
        headers: request.headers,
        signal: request.signal,
        responseType: 'text',
        transformResponse: RAW_BODY,
        validateStatus: ANY_STATUS,
        maxContentLength: maxResponseBytes,
        env,
      })
      .then(
        (response) => {
          const { headers } = response;
          return {
            status: response.status,
            text: typeof response.data === 'string' ? response.data : '',
            header: (name) => {
              const value: unknown = headers[name];
              return typeof value === 'string' ? value : undefined;
            },
          };
        },
        (error: unknown) => {
          throw failureOf(error);
        },
      );
}

/** The `env` of each request: the instance's own, with its fetch (or the global one) bounded. */
function fetchEnvOf(instance: AxiosInstance, limit: number): AxiosRequestConfig['env'] {
  const env = (instance.defaults as Partial<AxiosInstance['defaults']> | undefined)?.env;
  const fetch = (env?.fetch ?? (globalThis as { fetch?: FetchFunction }).fetch) as FetchFunction | undefined;
  return fetch ? { ...env, fetch: boundedFetch(fetch, limit) } : env;
}

/** axios's words for a body over `maxContentLength`; behind its `fetch` adapter, {@link boundedFetch} refuses one first, with its own error. */
const OVER_MAX_CONTENT_LENGTH = /maxContentLength size of -?\d+ exceeded/;

/**
 * An axios error as a {@link TransportError}, without keeping it: its config holds the Authorization
 * header. Recognised by the marks axios puts on its errors (what `axios.isAxiosError` and
 * `axios.isCancel` read), so that this module needs no axios at run time.
 */
function failureOf(error: unknown): TransportError {
  const marked = (typeof error === 'object' && error !== null ? error : {}) as {
    isAxiosError?: unknown;
    __CANCEL__?: unknown;
    code?: unknown;
  };
  let code = marked.isAxiosError === true && typeof marked.code === 'string' ? marked.code : undefined;
  // The fetch adapter says ERR_NETWORK for every failure; the platform's own code is in the cause.
  if (code === 'ERR_NETWORK') code = causeCode(error) ?? code;
  if (marked.__CANCEL__ === true || code === 'ERR_CANCELED') return new TransportError('aborted', 'the request was cancelled');
  if (code === 'ECONNABORTED' || isPlatformTimeout(code)) return new TransportError('timeout', code);
  const message = error instanceof Error ? error.message : '';
  if ((code === 'ERR_BAD_RESPONSE' && OVER_MAX_CONTENT_LENGTH.test(message)) || isResponseTooLarge(error)) {
    return new TransportError('too_large', 'the response is too large');
  }
  return networkFailure(error, code);
}
