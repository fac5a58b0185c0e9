import { firstValueFrom } from 'rxjs';
import * as z from 'zod/mini';
import { defaultTransport as browserDefault } from '../../src/clients/defaultTransport.browser';
import { CallSignal } from '../../src/clients/callSignal';
import { createHttpClient } from '../../src/clients';
import { TransportError } from '../../src/clients/transport';

// The browser build's default transport (dist/browser puts it in place of the axios one): the page's
// fetch, looked up on every call.

const request = {
  method: 'GET' as const,
  baseUrl: 'http://content.test',
  path: '/api/v1/documents/d-1',
  query: { q: 'a b' },
  body: undefined,
  headers: { Accept: 'application/json' },
};

describe('the browser default transport', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('sends with the fetch installed when the call is made, not when the transport was', async () => {
    const transport = browserDefault(1024);
    const seen: string[] = [];
    globalThis.fetch = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response('{"ok":true}', { status: 200, headers: { 'retry-after': '3' } });
    }) as typeof fetch;
    const response = await transport({ ...request, signal: new CallSignal() });
    expect(seen).toEqual(['http://content.test/api/v1/documents/d-1?q=a+b']);
    expect(response).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(response.header('retry-after')).toBe('3');
  });

  it('fails each call with a network error that says what to pass where there is no fetch (jsdom)', async () => {
    const transport = browserDefault(1024);
    delete (globalThis as { fetch?: unknown }).fetch;
    const failure = await transport({ ...request, signal: new CallSignal() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure).toMatchObject({ kind: 'network', message: expect.stringContaining('pass the `fetch` or the `axios` option') });
  });

  it('hands fetch an aborted signal for a call aborted before it was handed over, so nothing is sent', async () => {
    const signals: boolean[] = [];
    globalThis.fetch = ((_input: unknown, init?: RequestInit) => {
      signals.push(init?.signal?.aborted === true);
      return init?.signal?.aborted ? Promise.reject(new DOMException('aborted', 'AbortError')) : Promise.resolve(new Response('{}'));
    }) as typeof fetch;
    const signal = new CallSignal();
    signal.abort();
    const failure = await browserDefault(1024)({ ...request, signal }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'aborted' });
    expect(signals).toEqual([true]);
  });

  it('reads a response that has no body stream (whatwg-fetch, React Native, a hand-written mock) through text()', async () => {
    const bodyless = { status: 200, body: null, headers: new Headers({ 'retry-after': '1' }), text: async () => '{"ok":true}' };
    globalThis.fetch = (() => Promise.resolve(bodyless as unknown as Response)) as typeof fetch;
    const response = await browserDefault(1024)({ ...request, signal: new CallSignal() });
    expect(response).toMatchObject({ status: 200, text: '{"ok":true}' });
    expect(response.header('retry-after')).toBe('1');
  });

  it('is what an HTTP client given `fetch` sends with: its failures become ServiceErrors naming the endpoint', async () => {
    const http = createHttpClient({
      baseUrls: { identity: 'http://i.test', content: 'http://content.test', communication: 'http://c.test', workflow: 'http://w.test' },
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const error = await firstValueFrom(
      http.request$({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: z.unknown() }),
    ).catch((failure: unknown) => failure);
    expect(error).toMatchObject({
      code: 'network',
      endpoint: 'GET /api/v1/documents/{id}',
      message: expect.stringContaining('Failed to fetch'),
    });
  });
});
