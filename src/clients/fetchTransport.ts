import type { FetchFunction } from '../config';
import { isResponseTooLarge, readChunks } from './boundedFetch';
import type { CallSignal } from './callSignal';
import { causeCode, isPlatformTimeout, networkFailure, TransportError, type Transport, type TransportRequest } from './transport';

/**
 * A transport over the platform's `fetch` (or the one given): the browser's default, with no HTTP
 * library in the bundle. The body is read here, bounded by `maxResponseBytes` after decompression:
 * once it goes over, the fetch is aborted, which closes the connection. Redirects are followed as
 * `fetch` follows them (it drops the `Authorization` header when one leaves the origin).
 */
export function fetchTransport(fetch: FetchFunction, maxResponseBytes: number): Transport {
  return async (request) => {
    // A real signal for fetch, made only here: the HTTP layer's own is a light stand-in (see CallSignal).
    const controller = new AbortController();
    const { signal } = request;
    const forward = (): void => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward);
    try {
      const hasBody = request.body !== undefined;
      const response = await fetch(urlOf(request), {
        method: request.method,
        headers: hasBody ? { ...request.headers, 'Content-Type': 'application/json' } : request.headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal: controller.signal,
      });
      // A response without a body stream (whatwg-fetch, React Native, a test's mock) is read whole: the
      // HTTP layer still refuses a text over the limit.
      const text = response.body
        ? decode(await readChunks(response.body, response.headers, maxResponseBytes, controller))
        : await response.text();
      const { headers } = response;
      return { status: response.status, text, header: (name) => headers.get(name) ?? undefined };
    } catch (error) {
      throw failureOf(error, signal);
    } finally {
      signal.removeEventListener('abort', forward);
    }
  };
}

/** `baseUrl` and `path` joined with one slash between them, as axios joins `baseURL` and `url`. */
function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function urlOf(request: TransportRequest): string {
  const url = joinUrl(request.baseUrl, request.path);
  if (!request.query) return url;
  const search = new URLSearchParams();
  for (const key in request.query) search.append(key, String(request.query[key]));
  const encoded = search.toString();
  return encoded === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
}

/** One decoder for every call, made on first use: each body is decoded in one synchronous run, so calls never interleave in it. */
let decoder: TextDecoder | undefined;

/** The chunks as one UTF-8 text, a character split across two chunks included. */
function decode(chunks: readonly Uint8Array[]): string {
  decoder ??= new TextDecoder();
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

/** Why fetch failed: the call aborted, the body too large, the platform's timeout, or the network with its code. */
function failureOf(error: unknown, signal: CallSignal): TransportError {
  if (error instanceof TransportError) return error;
  if (isResponseTooLarge(error)) return new TransportError('too_large', 'the response is too large');
  if (signal.aborted) return new TransportError('aborted', 'the request was cancelled');
  const code = causeCode(error);
  if (isPlatformTimeout(code)) return new TransportError('timeout', code);
  return networkFailure(error, code);
}
