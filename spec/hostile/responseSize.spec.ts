import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { firstValueFrom, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import { createHttpClient, DocumentDetailSchema } from '../../src/clients';
import { DEFAULT_MAX_RESPONSE_BYTES, isServiceError, parseConfig, type ServiceError } from '../../src';
import { DOC_ID, itSentThrough, sendWith, TRANSPORTS, endlessBody, hostileOrchestrator, startHostile, type HostileServer } from './support';

// Defect 1: an endless body grew the client to 650 MB, and a 299 KB gzip bomb inflated to 317 MB
// and succeeded. Each case here failed before maxResponseBytes.
const LIMIT = 256 * 1024;

let bombMade: Buffer | undefined;
/** 100 MB of spaces, gzipped to about 100 KB; made once for the file. */
function gzipBomb(): Buffer {
  return (bombMade ??= gzipSync(Buffer.alloc(100 * 1024 * 1024, ' '), { level: 9 }));
}

/** A body schema of the tests' own: a single string, so that the data that came through can be checked. */
const DataSchema = z.object({ data: z.string() });

/** `{"data":"…"}` of exactly `size` bytes. */
function dataBody(size: number): Buffer {
  const frame = Buffer.byteLength('{"data":""}');
  return Buffer.from(`{"data":"${'d'.repeat(size - frame)}"}`);
}

describe.each(TRANSPORTS)('a response larger than maxResponseBytes (%s)', (transport) => {
  let server: HostileServer;
  let respond: Parameters<typeof startHostile>[0];
  /** What happened, in order: the hostile request's socket closing, a follow-up call answered. */
  let order: string[];
  /** Once set, every request is answered at once with `{}`: the follow-up calls. */
  let answerAtOnce: boolean;
  /** The sockets that carried this test's hostile requests (a kept-alive one may have served an earlier test). */
  let hostile: Set<Socket>;
  const heard = new WeakSet<Socket>();
  beforeAll(async () => {
    server = await startHostile((req, res, count) => {
      if (answerAtOnce) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      const { socket } = req;
      hostile.add(socket);
      if (!heard.has(socket)) {
        heard.add(socket);
        socket.once('close', () => {
          if (hostile.has(socket)) order.push('socket closed');
        });
      }
      respond(req, res, count);
    });
  });
  beforeEach(() => {
    order = [];
    hostile = new Set();
    answerAtOnce = false;
  });
  // Closing destroys whatever sockets are left, such as the idle one Node's fetch (undici 6) opens
  // after an abort, which it would otherwise keep for its keep-alive timeout (see docs/reference.md).
  afterAll(() => server.close());

  function call<T>(schema: z.ZodMiniType<T>, limit = LIMIT): Observable<T> {
    const http = createHttpClient({
      baseUrls: { identity: server.url, content: server.url, communication: server.url, workflow: server.url },
      ...sendWith(transport),
      maxResponseBytes: limit,
    });
    return http.request$({ service: 'content', route: 'getDocument', params: { id: DOC_ID }, schema });
  }

  function getDocument(limit = LIMIT): Promise<unknown> {
    return firstValueFrom(call(DocumentDetailSchema, limit));
  }

  /**
   * The socket of the call just made is closed before a follow-up call is answered: the client let it
   * go at once rather than draining it, or keeping it for seconds. (The client sends the follow-up only
   * after closing that socket, and reads its answer only after the server has handled that close.)
   */
  async function expectSocketClosedBeforeFollowUp(): Promise<void> {
    answerAtOnce = true;
    await firstValueFrom(call(z.object({})));
    order.push('follow-up answered');
    expect(order).toEqual(['socket closed', 'follow-up answered']);
  }

  /** The call fails with `validation`, naming the limit; its socket closed at once unless `complete` (all of it came: it may be reused). */
  async function expectTooLarge(result: Promise<unknown>, { complete = false } = {}): Promise<void> {
    const error = await result.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isServiceError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation', service: 'content', endpoint: 'GET /api/v1/documents/{id}', retryable: false });
    expect((error as Error).message).toContain(`maxResponseBytes (${LIMIT} bytes)`);
    if (!complete) await expectSocketClosedBeforeFollowUp();
  }

  it('cuts off an endless body and closes its socket at once', async () => {
    respond = (_req, res, count) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      endlessBody(res, count);
    };
    await expectTooLarge(getDocument());
  });

  it('cuts off a gzip bomb after decompression (100 KB on the wire, 100 MB inflated)', async () => {
    const bomb = gzipBomb();
    expect(bomb.length).toBeLessThan(LIMIT);
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    };
    await expectTooLarge(getDocument());
  });

  it('refuses a declared body over the limit, and an error body over it too', async () => {
    respond = (_req, res) => {
      const body = Buffer.alloc(LIMIT + 1, 'x');
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': body.length });
      res.end(body);
    };
    await expectTooLarge(getDocument());
  });

  it('cuts off a body one byte over the limit, sent in pieces without a length', async () => {
    respond = (_req, res) => {
      const body = dataBody(LIMIT + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < body.length; at += 10_000) res.write(body.subarray(at, at + 10_000));
      res.end();
    };
    // Short enough to arrive whole before it is counted: undici may then keep its socket for another call.
    await expectTooLarge(firstValueFrom(call(DataSchema)), { complete: true });
  });

  it('passes a body exactly at the limit to the schema', async () => {
    respond = (_req, res) => {
      const body = Buffer.alloc(LIMIT, ' ');
      body.write('{}', 0);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    };
    await expect(getDocument()).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('does not fit its schema') });
  });

  it.each([
    ['plain, in pieces without a length', false],
    ['gzipped (counted after decompression)', true],
  ])('passes the data of a body at the limit, %s', async (_name, gzipped) => {
    const body = dataBody(LIMIT);
    respond = (_req, res) => {
      if (gzipped) {
        const packed = gzipSync(body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': packed.length });
        return void res.end(packed);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < body.length; at += 10_000) res.write(body.subarray(at, at + 10_000));
      res.end();
    };
    const { data } = await firstValueFrom(call(DataSchema));
    expect(data).toHaveLength(LIMIT - Buffer.byteLength('{"data":""}'));
    expect(data).toBe('d'.repeat(data.length));
  });

  it("aborts a body on the caller's unsubscribe and closes its socket at once", async () => {
    let bodyStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (bodyStarted = resolve));
    respond = (_req, res) => {
      // The start of a body that never ends, and no more of it: the client waits for the rest.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":"', bodyStarted);
    };
    const outcome: unknown[] = [];
    const subscription = call(DataSchema).subscribe({ next: (value) => outcome.push(value), error: (error) => outcome.push(error) });
    await started;
    subscription.unsubscribe();
    await expectSocketClosedBeforeFollowUp();
    expect(outcome).toEqual([]);
  });

  itSentThrough(transport);
});

describe('maxResponseBytes through the orchestrator', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await startHostile((_req, res, count) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      endlessBody(res, count);
    });
  });
  afterAll(() => server.close());

  it('fails an endless body with one error, word for word, whichever transport sends', async () => {
    const errors = await Promise.all(
      TRANSPORTS.map((transport) => {
        const http = createHttpClient({
          baseUrls: { identity: server.url, content: server.url, communication: server.url, workflow: server.url },
          ...sendWith(transport),
          maxResponseBytes: LIMIT,
        });
        const document$ = http.request$({ service: 'content', route: 'getDocument', params: { id: DOC_ID }, schema: DocumentDetailSchema });
        return firstValueFrom(document$).then(
          () => undefined,
          (error: unknown) => error as ServiceError,
        );
      }),
    );
    const [http, ...others] = errors;
    expect(http).toMatchObject({ code: 'validation', service: 'content', endpoint: 'GET /api/v1/documents/{id}', retryable: false });
    expect(others).toHaveLength(2);
    for (const other of others) {
      expect(other?.message).toBe(http?.message);
      expect(other).toMatchObject({ code: http?.code, service: http?.service, endpoint: http?.endpoint, status: http?.status });
    }
  });

  it('defaults to a few MB and can be set', () => {
    expect(parseConfig({}).maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(4 * 1024 * 1024);
    expect(parseConfig({ maxResponseBytes: LIMIT }).maxResponseBytes).toBe(LIMIT);
    expect(() => parseConfig({ maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
    expect(() => parseConfig({ maxResponseBytes: Infinity })).toThrow(/maxResponseBytes/);
  });

  it('fails an operation on an endless body, naming the service, endpoint and limit', async () => {
    const { orchestrator } = hostileOrchestrator(server.url, { maxResponseBytes: LIMIT });
    const result = await orchestrator.processDocumentWithAI(DOC_ID, DOC_ID);
    orchestrator.dispose();
    expect(result).toMatchObject({ success: false, details: { code: 'validation', step: 'get document', service: 'content' } });
    expect(result.error).toMatch(/content GET \/api\/v1\/documents\/\{id\} failed with validation.*maxResponseBytes \(262144 bytes\)/);
    await server.allSocketsClosed();
  });

  it('bounds health checks too: an endless /health is unhealthy, its socket closed', async () => {
    const { orchestrator } = hostileOrchestrator(server.url, { maxResponseBytes: LIMIT });
    const health = await orchestrator.performHealthCheck();
    orchestrator.dispose();
    expect(health.overall).toBe('unhealthy');
    for (const service of ['identity', 'content', 'communication', 'workflow'] as const) {
      expect(health[service]).toMatchObject({ status: 'unhealthy', error: expect.stringContaining('maxResponseBytes') });
    }
    await server.allSocketsClosed();
  });
});
