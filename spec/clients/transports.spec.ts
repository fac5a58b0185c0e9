import type { IncomingMessage } from 'node:http';
import { firstValueFrom } from 'rxjs';
import * as z from 'zod/mini';
import { createHttpClient, type HttpClient, type RequestSpec } from '../../src/clients';
import { isServiceError, type ServiceError } from '../../src/errors';
import type { ServiceName } from '../../src/hub';
import { sendWith, startHostile, TRANSPORTS, type HostileServer, type TransportName } from '../hostile/support';

// Every transport (axios's http adapter, its fetch adapter, and the fetch transport a browser build
// sends with) sends the same request for the same call and reads the same answer the same way, over
// real sockets. Errors are compared word for word across transports.

const TOKEN = 'tok-transport-7d1e9a3c5b2f4e60';
const ANY = z.unknown();

/** What the server heard: the request line, its headers and its body as text. */
interface Heard {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: HostileServer;
let heard: Heard[];
let answer: Parameters<typeof startHostile>[0];

beforeAll(async () => {
  server = await startHostile((req, res, count) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      heard.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(req, res, count);
    });
  });
});
beforeEach(() => {
  heard = [];
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
afterAll(() => server.close());

function clientFor(transport: TransportName, url = server.url): HttpClient {
  return createHttpClient({
    baseUrls: { identity: url, content: url, communication: url, workflow: url },
    getToken: () => TOKEN,
    ...sendWith(transport),
  });
}

function outcome<S extends ServiceName, T>(http: HttpClient, spec: RequestSpec<S, T>): Promise<{ value: T } | { error: ServiceError }> {
  return firstValueFrom(http.request$(spec)).then(
    (value) => ({ value }),
    (error: unknown) => {
      if (!isServiceError(error)) throw error;
      return { error };
    },
  );
}

/** The same call through every transport, one after the other: what each got back. */
async function acrossTransports<S extends ServiceName, T>(
  spec: RequestSpec<S, T>,
  url?: string,
): Promise<({ value: T } | { error: ServiceError })[]> {
  const outcomes = [];
  for (const transport of TRANSPORTS) outcomes.push(await outcome(clientFor(transport, url), spec));
  return outcomes;
}

/** The parts of an error that a caller reads. */
function described(result: { error: ServiceError } | { value: unknown }): unknown {
  if (!('error' in result)) return { value: result.value };
  const { code, status, message, retryable, retryAfterMs, service, endpoint } = result.error;
  return { code, status, message, retryable, retryAfterMs, service, endpoint };
}

describe.each(TRANSPORTS)('the %s transport', (transport) => {
  it('sends a GET with its path, query (encoded), bearer token and Accept header, and no body', async () => {
    answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    const query = { q: 'naïve & co/50% ?', page: 2, exact: true, skip: undefined };
    const result = await outcome(clientFor(transport), { service: 'content', route: 'listDocuments', query, schema: ANY });
    expect(result).toEqual({ value: { ok: true } });
    expect(heard).toHaveLength(1);
    const [request] = heard;
    const url = new URL(request!.url, server.url);
    expect(request!.method).toBe('GET');
    expect(url.pathname).toBe('/api/v1/documents');
    expect([...url.searchParams]).toEqual([
      ['q', 'naïve & co/50% ?'],
      ['page', '2'],
      ['exact', 'true'],
    ]);
    expect(request!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.body).toBe('');
  });

  it('sends a POST body as JSON, with its content type', async () => {
    const body = { recipient_id: 'u-1', title: 'Hello ✓', message: 'line\nnext', data: { n: 1.5, list: [null, false] } };
    await outcome(clientFor(transport), { service: 'communication', route: 'createNotification', body, schema: ANY });
    const [request] = heard;
    expect(request!.method).toBe('POST');
    expect(new URL(request!.url, server.url).pathname).toBe('/api/v1/notifications');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual(body);
  });

  it('reads a UTF-8 body sent a byte at a time, characters split across chunks included', async () => {
    const text = JSON.stringify({ title: 'Ünïcødé ✓ 日本語 🚀', n: 42 });
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(text);
      let at = 0;
      const next = (): void => {
        if (res.destroyed) return;
        if (at === bytes.length) return void res.end();
        res.write(bytes.subarray(at, ++at), () => setImmediate(next));
      };
      next();
    };
    const result = await outcome(clientFor(transport), { service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY });
    expect(result).toEqual({ value: JSON.parse(text) });
  });

  it('aborts an unanswered request when unsubscribed: the server sees its socket close', async () => {
    let closed!: Promise<void>;
    const arrived = new Promise<void>((resolve) => {
      answer = (req) => {
        closed = new Promise((closing) => req.socket.once('close', () => closing()));
        resolve();
      };
    });
    const subscription = clientFor(transport)
      .request$({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY })
      .subscribe({ error: () => undefined });
    await arrived;
    subscription.unsubscribe();
    await closed;
  });
});

describe('every transport answers alike', () => {
  it.each([
    ['a 404 with its detail', 404, { 'content-type': 'application/json' }, '{"detail":"Document not found"}'],
    ['a 429 with Retry-After', 429, { 'content-type': 'application/json', 'retry-after': '2' }, '{"detail":"slow down"}'],
    ['a 401', 401, { 'content-type': 'application/json' }, '{"detail":"Not authenticated"}'],
    ['a 500 in plain text that echoes the token', 500, { 'content-type': 'text/plain' }, `upstream rejected Bearer ${TOKEN} (${TOKEN})`],
    ['a 200 that is not JSON', 200, { 'content-type': 'application/json' }, '{"id": '],
    ['a 204', 204, {}, ''],
  ])('%s', async (_name, status, headers, body) => {
    answer = (_req, res) => res.writeHead(status, headers).end(body);
    const outcomes = await acrossTransports({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY });
    const [first, ...others] = outcomes.map(described);
    expect(first).toMatchObject({ code: status >= 400 ? expect.any(String) : 'validation' });
    if (status >= 400) expect(first).toMatchObject({ status });
    for (const other of others) expect(other).toEqual(first);
    expect(JSON.stringify(outcomes.map(described))).not.toContain(TOKEN);
    if (status === 429) expect(first).toMatchObject({ retryAfterMs: 2000, retryable: true });
  });

  it('a service that is not listening: network, naming the refusal', async () => {
    const closedServer = await startHostile(() => undefined);
    const url = closedServer.url;
    await closedServer.close();
    const outcomes = await acrossTransports({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY }, url);
    const [first, ...others] = outcomes.map(described);
    expect(first).toMatchObject({ code: 'network', message: expect.stringContaining('ECONNREFUSED') });
    for (const other of others) expect(other).toEqual(first);
  });
});

describe('a query that cannot be sent', () => {
  it.each([
    ['half of a character', 'report \uD83D'],
    ['a lone low surrogate', '\uDE00 report'],
  ])('(%s) is refused before any request, alike by every transport', async (_name, q) => {
    const errors: unknown[] = [];
    for (const transport of TRANSPORTS) {
      const call$ = clientFor(transport).request$({ service: 'content', route: 'listDocuments', query: { q }, schema: ANY });
      errors.push(await firstValueFrom(call$).catch((error: unknown) => error));
    }
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('q must be well-formed text') });
      expect((error as { details?: unknown }).details).toMatchObject({ issues: [{ path: '(query).q' }] });
    }
    expect(heard).toHaveLength(0);
  });
});

describe('redirects with the fetch transport', () => {
  it('are followed, as fetch follows them, and the token does not go to another origin', async () => {
    const elsewhere = await startHostile((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    try {
      answer = (_req, res) => res.writeHead(307, { location: `${elsewhere.url}/moved` }).end();
      const result = await outcome(clientFor('fetch'), { service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY });
      expect(result).toEqual({ value: { authorization: null } });
      expect(heard[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    } finally {
      await elsewhere.close();
    }
  });
});
