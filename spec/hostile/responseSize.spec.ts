import { gzipSync } from 'node:zlib';
import { firstValueFrom } from 'rxjs';
import { createHttpClient, DocumentDetailSchema } from '../../src/clients';
import { DEFAULT_MAX_RESPONSE_BYTES, isServiceError, parseConfig } from '../../src';
import { ADAPTERS, axiosWith, DOC_ID, endlessBody, hostileOrchestrator, startHostile, type HostileServer } from './support';

// Defect 1: an endless body grew the client to 650 MB, and a 299 KB gzip bomb inflated to 317 MB
// and succeeded. Each case here failed before maxResponseBytes.
const LIMIT = 256 * 1024;

let bombMade: Buffer | undefined;
/** 100 MB of spaces, gzipped to about 100 KB; made once for the file. */
function gzipBomb(): Buffer {
  return (bombMade ??= gzipSync(Buffer.alloc(100 * 1024 * 1024, ' '), { level: 9 }));
}

describe.each(ADAPTERS)('a response larger than maxResponseBytes (axios %s adapter)', (adapter) => {
  let server: HostileServer;
  let respond: Parameters<typeof startHostile>[0];
  beforeAll(async () => {
    server = await startHostile((req, res, count) => respond(req, res, count));
  });
  afterAll(async () => {
    // Node's fetch (undici) lets an aborted connection go a few seconds later, not at once: waited for once, here.
    await server.allSocketsClosed();
    await server.close();
  });

  function getDocument(limit = LIMIT): Promise<unknown> {
    const http = createHttpClient({
      baseUrls: { identity: server.url, content: server.url, communication: server.url, workflow: server.url },
      axios: axiosWith(adapter),
      maxResponseBytes: limit,
    });
    return firstValueFrom(
      http.request$({ service: 'content', route: 'getDocument', params: { id: DOC_ID }, schema: DocumentDetailSchema }),
    );
  }

  async function expectTooLarge(call: Promise<unknown>): Promise<void> {
    const error = await call.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isServiceError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation', service: 'content', endpoint: 'GET /api/v1/documents/{id}', retryable: false });
    expect((error as Error).message).toContain(`maxResponseBytes (${LIMIT} bytes)`);
    // The connection is closed at once rather than drained: the server sees its socket go (the http
    // adapter at once; undici, behind the fetch adapter, some seconds after the abort: see afterAll).
    if (adapter === 'http') await server.allSocketsClosed();
  }

  it('cuts off an endless body and closes its socket', async () => {
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

  it('passes a body exactly at the limit to the schema', async () => {
    respond = (_req, res) => {
      const body = Buffer.alloc(LIMIT, ' ');
      body.write('{}', 0);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    };
    await expect(getDocument()).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('does not fit its schema') });
  });
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
