import { boundedFetch, isResponseTooLarge, ResponseTooLargeError } from '../../src/clients/boundedFetch';
import type { FetchFunction } from '../../src/config';

const LIMIT = 64 * 1024;
const CHUNK = 4 * 1024;

/** A fetch whose bodies are made in memory, recording the signal it was given and how much of each body was pulled. */
function fakeFetch(body: (pulled: () => void, signal: AbortSignal) => ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const signals: AbortSignal[] = [];
  let pulledBytes = 0;
  const fetch: FetchFunction = (_input, init) => {
    const signal = init?.signal ?? new AbortController().signal;
    signals.push(signal);
    return Promise.resolve(
      new Response(
        body(() => (pulledBytes += CHUNK), signal),
        { status: 200, headers },
      ),
    );
  };
  return { fetch, signal: () => signals[0], pulled: () => pulledBytes };
}

/** A body that never ends: a chunk per pull. */
function endless(pulled: () => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled();
      controller.enqueue(new Uint8Array(CHUNK).fill(97));
    },
  });
}

/** A body of `size` bytes in chunks, each chunk's bytes telling where it starts. */
function sized(size: number): (pulled: () => void) => ReadableStream<Uint8Array> {
  return (pulled) => {
    let sent = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        pulled();
        const length = Math.min(CHUNK, size - sent);
        controller.enqueue(new Uint8Array(length).fill(48 + ((sent / CHUNK) % 10)));
        sent += length;
      },
    });
  };
}

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

describe('boundedFetch', () => {
  it('stops reading an endless body just past the limit, aborts its fetch and fails', async () => {
    const fake = fakeFetch(endless);
    const error = await failureOf(boundedFetch(fake.fetch, LIMIT)('http://content.test/'));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ name: 'ResponseTooLargeError', limit: LIMIT });
    expect(isResponseTooLarge(error)).toBe(true);
    // The stream pulls one chunk ahead of its reader: at most two chunks past the limit were ever made.
    expect(fake.pulled()).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
    expect(fake.signal()?.aborted).toBe(true);
    expect(fake.signal()?.reason).toBe(error);
  });

  it('fails one byte over the limit, and refuses a declared length over it unread', async () => {
    await expect(boundedFetch(fakeFetch(sized(LIMIT + 1)).fetch, LIMIT)('http://content.test/')).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    const declared = fakeFetch(endless, { 'content-length': String(LIMIT + 1) });
    await expect(boundedFetch(declared.fetch, LIMIT)('http://content.test/')).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(declared.signal()?.aborted).toBe(true);
    expect(declared.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it('hands on a body at the limit whole, with its status and headers', async () => {
    const fake = fakeFetch(sized(LIMIT), { 'content-type': 'application/json', 'x-seen': 'yes' });
    const response = await boundedFetch(fake.fetch, LIMIT)('http://content.test/');
    // Read before it was handed on: the body is complete when the promise resolves.
    expect(fake.pulled()).toBe(LIMIT);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen')).toBe('yes');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(LIMIT);
    expect(bytes[0]).toBe(48);
    expect(bytes[CHUNK]).toBe(49);
    expect(bytes[LIMIT - 1]).toBe(48 + ((LIMIT / CHUNK - 1) % 10));
  });

  it("aborts its fetch when the caller's signal aborts, whether it comes in init or on the Request (as axios passes it)", async () => {
    for (const onRequest of [false, true]) {
      const caller = new AbortController();
      let fetched: () => void = () => undefined;
      const called = new Promise<void>((resolve) => (fetched = resolve));
      // A body that never ends on its own, errored by its signal as a real fetch's is.
      const fake = fakeFetch((pulled, signal) => {
        fetched();
        return new ReadableStream<Uint8Array>({
          start: (controller) => signal.addEventListener('abort', () => controller.error(signal.reason)),
          pull: () => pulled(),
        });
      });
      const wrapped = boundedFetch(fake.fetch, LIMIT);
      const call = onRequest
        ? wrapped(new Request('http://content.test/', { signal: caller.signal }))
        : wrapped('http://content.test/', { signal: caller.signal });
      await called;
      caller.abort();
      expect(fake.signal()?.aborted).toBe(true);
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    }
  });

  it('lets go of the caller signal once the body is read', async () => {
    const caller = new AbortController();
    const fake = fakeFetch(sized(CHUNK));
    await boundedFetch(fake.fetch, LIMIT)('http://content.test/', { signal: caller.signal });
    caller.abort();
    expect(fake.signal()?.aborted).toBe(false);
  });

  it('makes one wrapper per fetch and limit', () => {
    const fake = fakeFetch(endless);
    expect(boundedFetch(fake.fetch, LIMIT)).toBe(boundedFetch(fake.fetch, LIMIT));
    expect(boundedFetch(fake.fetch, LIMIT)).not.toBe(boundedFetch(fake.fetch, LIMIT + 1));
  });
});
