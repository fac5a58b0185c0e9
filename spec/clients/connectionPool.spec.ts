import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import * as z from 'zod/mini';
import { createHttpClient } from '../../src/clients';
import { MAX_CONNECTIONS_PER_SERVICE } from '../../src/clients/defaultTransport';
import { createServiceOrchestrator } from '../../src';
import { DOC_ID, startHostile, TOKEN, type HostileServer } from '../hostile/support';

// The Node default transport keeps its own pool of keep-alive connections: at most
// MAX_CONNECTIONS_PER_SERVICE to a service, the other requests waiting for one of them, and all of
// them closed by `close()` (the orchestrator's `dispose()`). Over real sockets, to a local server
// that counts the connections its requests come on.

const ANY = z.unknown();

/** A server that holds every request until `release()`, and answers at once afterwards. */
async function holdingServer(): Promise<{
  server: HostileServer;
  /** Each connection a request came on. */
  connections: Set<Socket>;
  /** Resolves once `count` requests are held. */
  holding(count: number): Promise<void>;
  release(): void;
}> {
  const connections = new Set<Socket>();
  const held: ServerResponse[] = [];
  const waits: { count: number; resolve: () => void }[] = [];
  let released = false;
  const answer = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  const server = await startHostile((req, res) => {
    connections.add(req.socket);
    if (released) return answer(res);
    held.push(res);
    for (const wait of waits) if (held.length >= wait.count) wait.resolve();
  });
  return {
    server,
    connections,
    holding: (count) => new Promise((resolve) => waits.push({ count, resolve })),
    release: () => {
      released = true;
      held.splice(0).forEach(answer);
    },
  };
}

const servicesAt = (url: string) => ({ identity: url, content: url, communication: url, workflow: url });

describe('the Node default transport: a pool of keep-alive connections', () => {
  it(`opens at most ${MAX_CONNECTIONS_PER_SERVICE} connections to a service; the requests beyond wait for one and reuse it`, async () => {
    const { server, connections, holding, release } = await holdingServer();
    const http = createHttpClient({ baseUrls: servicesAt(server.url), getToken: () => TOKEN });
    try {
      const beyond = 44;
      const calls = Array.from({ length: MAX_CONNECTIONS_PER_SERVICE + beyond }, (_, index) =>
        firstValueFrom(http.request$({ service: 'content', route: 'getDocument', params: { id: `d-${index}` }, schema: ANY })),
      );
      await holding(MAX_CONNECTIONS_PER_SERVICE);
      release();
      const answers = await Promise.all(calls);
      expect(answers).toHaveLength(MAX_CONNECTIONS_PER_SERVICE + beyond);
      expect(answers.every((body) => (body as { ok?: unknown }).ok === true)).toBe(true);
      // Every request reached the server, on no more connections than the pool allows.
      expect(server.requests).toHaveLength(MAX_CONNECTIONS_PER_SERVICE + beyond);
      expect(connections.size).toBe(MAX_CONNECTIONS_PER_SERVICE);
    } finally {
      http.close();
      await server.close();
    }
  });

  it('keeps a connection alive between calls, and close() closes it', async () => {
    const { server, connections, release } = await holdingServer();
    release();
    const http = createHttpClient({ baseUrls: servicesAt(server.url), getToken: () => TOKEN });
    try {
      for (const id of ['d-1', 'd-2', 'd-3']) {
        await firstValueFrom(http.request$({ service: 'content', route: 'getDocument', params: { id }, schema: ANY }));
      }
      expect(connections.size).toBe(1);
      expect(server.openSockets()).toBe(1);
      http.close();
      // Closed now, not when the idle connection would time out (5 s on both ends: over this test's bound).
      await server.allSocketsClosed();
    } finally {
      await server.close();
    }
  }, 2_000);

  it('lets a call still out finish after close(), then closes its connection', async () => {
    const { server, holding, release } = await holdingServer();
    const http = createHttpClient({ baseUrls: servicesAt(server.url), getToken: () => TOKEN });
    try {
      const call = firstValueFrom(http.request$({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY }));
      await holding(1);
      http.close();
      release();
      expect(await call).toEqual({ ok: true });
      await server.allSocketsClosed();
    } finally {
      await server.close();
    }
  }, 2_000);

  it("closes on the orchestrator's dispose()", async () => {
    const { server, release } = await holdingServer();
    release();
    const orchestrator = createServiceOrchestrator({ services: servicesAt(server.url), auth: { token: TOKEN }, retryAttempts: 0 });
    try {
      await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).catch(() => undefined);
      expect(server.openSockets()).toBe(1);
      orchestrator.dispose();
      await server.allSocketsClosed();
    } finally {
      orchestrator.dispose();
      await server.close();
    }
  }, 2_000);

  it('leaves alone the connections of an axios instance given in the options', async () => {
    const { server, release } = await holdingServer();
    release();
    const { default: axios } = await import('axios');
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    const http = createHttpClient({ baseUrls: servicesAt(server.url), getToken: () => TOKEN, axios: axios.create({ httpAgent: agent }) });
    try {
      await firstValueFrom(http.request$({ service: 'content', route: 'getDocument', params: { id: 'd-1' }, schema: ANY }));
      http.close();
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(1);
    } finally {
      agent.destroy();
      await server.close();
    }
  });
});
