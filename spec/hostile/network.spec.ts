import axios from 'axios';
import { filter, firstValueFrom } from 'rxjs';
import { parseRetryAfter } from '../../src/clients/http';
import {
  DOC_ID,
  itSentThrough,
  sendWith,
  TRANSPORTS,
  hostileOrchestrator,
  startHostile,
  TOKEN,
  type HostileHandler,
  type HostileServer,
} from './support';

let server: HostileServer;
let respond: HostileHandler;
beforeAll(async () => {
  server = await startHostile((req, res, count) => respond(req, res, count));
});
afterAll(() => server.close());
beforeEach(() => server.requests.splice(0));

/** The error of one document GET through the orchestrator's clients. */
async function getDocumentError(config: Parameters<typeof hostileOrchestrator>[1] = {}): Promise<unknown> {
  const { orchestrator } = hostileOrchestrator(server.url, config);
  try {
    return await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).then(
      () => new Error('expected a failure'),
      (error: unknown) => error,
    );
  } finally {
    orchestrator.dispose();
  }
}

describe.each(TRANSPORTS)('slow and broken servers (%s)', (transport) => {
  it('times out a slowloris body (a byte every 20 ms) and closes its socket', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let bytes = 0;
      const drip = setInterval(() => {
        if (res.destroyed || bytes >= 500) {
          clearInterval(drip);
          if (!res.destroyed) res.end();
          return;
        }
        bytes += 1;
        res.write(' ');
      }, 20);
      res.on('close', () => clearInterval(drip));
    };
    const error = await getDocumentError({ timeout: 150, ...sendWith(transport) });
    expect(error).toMatchObject({ code: 'timeout', service: 'content', message: expect.stringContaining('no answer within 150 ms') });
    if (transport === 'axios http') await server.allSocketsClosed();
  });

  it('times out a server that never sends its headers', async () => {
    respond = () => undefined;
    const error = await getDocumentError({ timeout: 100, ...sendWith(transport) });
    expect(error).toMatchObject({ code: 'timeout' });
    if (transport === 'axios http') await server.allSocketsClosed();
  });

  it('fails a reset mid-body as a network error, nothing left unhandled', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('{"id": "');
      setImmediate(() => res.socket?.destroy());
    };
    const error = await getDocumentError({ ...sendWith(transport) });
    expect(error).toMatchObject({ code: 'network', service: 'content', endpoint: 'GET /api/v1/documents/{id}' });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  itSentThrough(transport);
});

describe('Retry-After from a hostile server', () => {
  async function firstRetryDelay(retryAfter: string): Promise<number> {
    respond = (_req, res) => res.writeHead(503, { 'retry-after': retryAfter, 'content-type': 'application/json' }).end('{"detail":"busy"}');
    const { orchestrator } = hostileOrchestrator(server.url, { retryAttempts: 1, retryDelay: 7, maxRetryDelay: 7 });
    const retry = firstValueFrom(orchestrator.events$.pipe(filter((event) => event.type === 'operation_retry')));
    const call = orchestrator.clients.content.getDocument$(DOC_ID).subscribe({ error: () => undefined });
    const event = await retry;
    // Nobody waits out a capped minute: unsubscribing ends the wait.
    call.unsubscribe();
    orchestrator.dispose();
    return event.type === 'operation_retry' ? event.delay : NaN;
  }

  it('caps a huge Retry-After at a minute (the timer stays within Node range)', async () => {
    expect(await firstRetryDelay('99999999999999999999')).toBe(60_000);
    expect(await firstRetryDelay('1e400')).toBeLessThanOrEqual(7);
  });

  it('waits nothing for a date in the past', async () => {
    expect(await firstRetryDelay('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(0);
  });

  it('falls back to the backoff for garbage', async () => {
    for (const garbage of ['soon', '-5', '12abc', ' ', 'NaN', '0x10']) {
      const delay = await firstRetryDelay(garbage);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(7);
    }
  });

  it('reads only what it can (unit)', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(['1', '2'], now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('12abc', now)).toBeUndefined();
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(2 ** 31 - 1);
  });
});

describe('a redirect to another host', () => {
  let elsewhere: HostileServer;
  beforeAll(async () => {
    elsewhere = await startHostile((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  afterAll(() => elsewhere.close());
  beforeEach(() => {
    elsewhere.requests.splice(0);
    respond = (_req, res) => res.writeHead(302, { location: `${elsewhere.url}/steal?from=hub` }).end();
  });

  it('is not followed by default: the error names where it points, and the other host hears nothing', async () => {
    const error = await getDocumentError();
    expect(error).toMatchObject({ code: 'http', status: 302 });
    expect((error as Error).message).toContain(`redirects to ${elsewhere.url}/steal`);
    expect((error as Error).message).not.toContain('from=hub');
    expect(elsewhere.requests).toEqual([]);
  });

  it('never carries the token to the other host, even with an axios that follows redirects', async () => {
    await getDocumentError({ axios: axios.create() });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
  });
});
