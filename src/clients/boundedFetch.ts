import type { FetchFunction } from '../config';

/** A response body over the limit: its connection was closed, and none of it was passed on. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';

  constructor(
    /** The most bytes the body could have had. */
    readonly limit: number,
  ) {
    super(`the response body is larger than ${limit} bytes`);
  }
}

/** Whether `error` is a {@link ResponseTooLargeError}, or an error (such as axios's) caused by one. */
export function isResponseTooLarge(error: unknown): error is Error {
  return error instanceof ResponseTooLargeError || (error instanceof Error && error.cause instanceof ResponseTooLargeError);
}

/** One wrapper per underlying fetch and limit: axios caches its fetch adapter per function, so they must not multiply. */
const wrappers = new WeakMap<FetchFunction, Map<number, FetchFunction>>();

/**
 * `fetch`, with the body read here and bounded: it resolves once the whole body has arrived, at most
 * `limit` bytes (after decompression), or rejects with a {@link ResponseTooLargeError} as soon as it
 * goes over, its fetch aborted, which closes the connection. axios gets either a complete body, so
 * that it never holds a copy of an oversize one, or that failure.
 */
export function boundedFetch(fetch: FetchFunction, limit: number): FetchFunction {
  let byLimit = wrappers.get(fetch);
  if (!byLimit) wrappers.set(fetch, (byLimit = new Map()));
  let wrapper = byLimit.get(limit);
  if (!wrapper) {
    wrapper = async (input, init) => {
      // A signal of its own, to abort the fetch when its body goes over. The caller's still aborts it:
      // axios puts it on the Request it passes, which the signal given here would override.
      const controller = new AbortController();
      const outer = init?.signal ?? signalOf(input);
      const forward = (): void => controller.abort(outer?.reason);
      if (outer?.aborted) forward();
      else outer?.addEventListener('abort', forward, { once: true });
      try {
        const response = await fetch(input, { ...init, signal: controller.signal });
        return await readBounded(response, limit, controller);
      } finally {
        outer?.removeEventListener('abort', forward);
      }
    };
    byLimit.set(limit, wrapper);
  }
  return wrapper;
}

function signalOf(input: Parameters<FetchFunction>[0]): AbortSignal | undefined {
  return typeof input === 'object' && 'signal' in input ? input.signal : undefined;
}

async function readBounded(response: Response, limit: number, controller: AbortController): Promise<Response> {
  if (!response.body) return response;
  const chunks = await readChunks(response.body, response.headers, limit, controller);
  return new Response(nullBodyStatus(response.status) ? null : replay(chunks), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The body's chunks as they came (after decompression), none copied; or, once they add up to more
 * than `limit` bytes (or the declared length does), a {@link ResponseTooLargeError}, the fetch
 * behind `controller` aborted, which closes its connection.
 */
export async function readChunks(
  body: ReadableStream<Uint8Array>,
  headers: Headers,
  limit: number,
  controller: AbortController,
): Promise<Uint8Array[]> {
  // A declared length over the limit is refused unread, as axios would (NaN, for none, never is).
  if (Number(headers.get('content-length')) > limit) throw tooLarge(controller, limit);
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    received += value.byteLength;
    if (received > limit) throw tooLarge(controller, limit);
    chunks.push(value);
  }
}

/** Aborting the fetch closes its connection and errors its body; cancelling the body does the same, no sooner. */
function tooLarge(controller: AbortController, limit: number): ResponseTooLargeError {
  const error = new ResponseTooLargeError(limit);
  controller.abort(error);
  return error;
}

/**
 * The chunks read, as a body: each handed on as it is (no copy), and let go of once handed. By index,
 * not `shift()`: a body of many small chunks would make that quadratic.
 */
function replay(chunks: (Uint8Array | undefined)[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next];
      if (!chunk) return controller.close();
      chunks[next++] = undefined;
      controller.enqueue(chunk);
    },
    cancel() {
      chunks.length = 0;
    },
  });
}

/** Statuses whose response may not have a body (`new Response` throws otherwise). */
function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
