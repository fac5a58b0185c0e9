/** A `fetch` function, as axios's `fetch` adapter calls it. */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** One wrapper per underlying fetch and limit: axios caches its fetch adapter per function, so they must not multiply. */
const wrappers = new WeakMap<FetchFunction, Map<number, FetchFunction>>();

/**
 * `fetch`, with the connection of a body over `limit` bytes let go at once. axios's `fetch` adapter
 * enforces `maxContentLength` (on the declared length, and on the decompressed bytes as they come),
 * but leaves the body it stops reading locked and unread: the connection stays open, the server
 * blocked in its write, for as long as the process lives. This wrapper cancels the body as soon as
 * it goes over, which closes the connection; the bytes it passes on let axios raise its own error.
 */
export function boundedFetch(fetch: FetchFunction, limit: number): FetchFunction {
  let byLimit = wrappers.get(fetch);
  if (!byLimit) wrappers.set(fetch, (byLimit = new Map()));
  let wrapper = byLimit.get(limit);
  if (!wrapper) {
    wrapper = async (input, init) => {
      // A signal of its own, to abort the fetch when its body goes over: cancelling the body alone
      // leaves the connection open for seconds. The caller's signal still aborts it.
      const controller = new AbortController();
      const outer = init?.signal;
      const forward = (): void => controller.abort(outer?.reason);
      if (outer?.aborted) forward();
      else outer?.addEventListener('abort', forward, { once: true });
      const response = await fetch(input, { ...init, signal: controller.signal });
      return bounded(response, limit, () => {
        outer?.removeEventListener('abort', forward);
        controller.abort();
      });
    };
    byLimit.set(limit, wrapper);
  }
  return wrapper;
}

function bounded(response: Response, limit: number, abort: () => void): Response {
  const { body } = response;
  if (!body) return response;
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    // axios refuses it on the header alone: the body is never read, so it is cancelled here.
    abort();
    body.cancel().catch(() => undefined);
    return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
  const reader = body.getReader();
  let received = 0;
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      received += value.byteLength;
      controller.enqueue(value);
      if (received > limit) {
        // The chunk over the limit still goes on, so that axios names the failure; the rest never comes.
        abort();
        reader.cancel().catch(() => undefined);
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(nullBodyStatus(response.status) ? null : counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Statuses whose response may not have a body (`new Response` throws otherwise). */
function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
