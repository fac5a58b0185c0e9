import { createServer, IncomingMessage, request, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import { CONTROL_BODY_LIMIT, createControlHandler, startHub, type Hub, type HubSnapshot } from '../../src/simulator';
import { call } from './helpers';

// The control endpoint over a real socket, as the dashboard (through Vite) and its browser test use it.

let hub: Hub;
let server: Server;
let port: number;
let fellThrough = 0;

interface Reply {
  status: number;
  body: { state?: HubSnapshot; error?: string };
}

/** One request with exactly these headers; http.request, since fetch will not send a chosen Host. */
function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const act = (action: unknown) =>
  send('/__hub/actions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(action) });

beforeAll(async () => {
  hub = await startHub({ latencyMs: { content: 5 } });
  const control = createControlHandler(hub);
  server = createServer((req, res) =>
    control(req, res, () => {
      fellThrough += 1;
      res.writeHead(204).end();
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  await act({ action: 'clear' });
  hub.reset();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await hub.close();
});

describe('the state', () => {
  it('reports each service: its URL, that it runs, its latency, its health and no faults', async () => {
    const { status, body } = await send('/__hub/state');
    expect(status).toBe(200);
    expect(body.state?.mode).toBe('extended');
    expect(body.state?.services.content).toEqual({ url: hub.urls.content, running: true, latencyMs: 5, health: 'healthy', faults: [] });
    expect(body.state?.services.identity).toMatchObject({ latencyMs: 0, running: true });
  });
});

describe('the actions', () => {
  it('queues N failures on every path of a service, /health included, counted down in the state', async () => {
    const { status, body } = await act({ action: 'fail', service: 'workflow', count: 2 });
    expect(status).toBe(200);
    expect(body.state?.services.workflow.faults).toEqual([
      { method: null, path: '*', hits: 0, remaining: 2, next: { kind: 'status', status: 503 } },
    ]);

    expect((await call(`${hub.urls.workflow}/health`)).status).toBe(503);
    expect((await send('/__hub/state')).body.state?.services.workflow.faults[0]).toMatchObject({ hits: 1, remaining: 1 });
    expect((await call(`${hub.urls.workflow}/api/v1/definitions`)).status).toBe(503);
    expect((await call(`${hub.urls.workflow}/health`)).status).toBe(200);
    expect((await send('/__hub/state')).body.state?.services.workflow.faults).toEqual([]);
    // Other services are untouched.
    expect((await call(`${hub.urls.content}/health`)).status).toBe(200);
  });

  it('queues failures with another status on one route and method only', async () => {
    await act({ action: 'fail', service: 'content', count: 1, status: 500, path: '/health', method: 'GET' });
    expect((await call(`${hub.urls.content}/api/v1/documents`)).status).not.toBe(500);
    expect((await call(`${hub.urls.content}/health`)).status).toBe(500);
    expect((await call(`${hub.urls.content}/health`)).status).toBe(200);
  });

  it('stops a service, so that connections are refused, and starts it again on the same port', async () => {
    const stopped = await act({ action: 'stop', service: 'communication' });
    expect(stopped.body.state?.services.communication.running).toBe(false);
    await expect(call(`${hub.urls.communication}/health`)).rejects.toThrow();

    const started = await act({ action: 'start', service: 'communication' });
    expect(started.body.state?.services.communication).toMatchObject({ running: true, url: hub.urls.communication });
    expect((await call(`${hub.urls.communication}/health`)).status).toBe(200);
  });

  it('sets latency and the health a service reports', async () => {
    await act({ action: 'latency', service: 'identity', ms: 40 });
    const { body } = await act({ action: 'health', service: 'identity', status: 'degraded' });
    expect(body.state?.services.identity).toMatchObject({ latencyMs: 40, health: 'degraded' });
    expect((await call(`${hub.urls.identity}/health`)).json.status).toBe('degraded');
  });

  it('clears back to the hub as it was when the handler was made: faults, latency, health, stopped services', async () => {
    await act({ action: 'fail', service: 'content', count: 5 });
    await act({ action: 'latency', service: 'content', ms: 200 });
    await act({ action: 'health', service: 'workflow', status: 'unhealthy' });
    await act({ action: 'stop', service: 'identity' });

    const { status, body } = await act({ action: 'clear' });
    expect(status).toBe(200);
    expect(body.state?.services.content).toMatchObject({ latencyMs: 5, faults: [] });
    expect(body.state?.services.workflow.health).toBe('healthy');
    expect(body.state?.services.identity.running).toBe(true);
    expect((await call(`${hub.urls.identity}/health`)).status).toBe(200);
  });
});

describe('what it refuses', () => {
  it.each([
    [{ action: 'explode' }, /action/],
    [{ action: 'stop', service: 'billing' }, /service/],
    [{ action: 'fail', service: 'content', count: 0 }, /count/],
    [{ action: 'fail', service: 'content', count: 1001 }, /count/],
    [{ action: 'fail', service: 'content', count: 1.5 }, /count/],
    [{ action: 'fail', service: 'content', count: 1, status: 200 }, /status/],
    [{ action: 'fail', service: 'content', count: 1, path: 'http://elsewhere/' }, /path/],
    [{ action: 'fail', service: 'content', count: 1, method: 'TRACE' }, /method/],
    [{ action: 'latency', service: 'content', ms: -1 }, /ms/],
    [{ action: 'latency', service: 'content', ms: 30_001 }, /ms/],
    [{ action: 'health', service: 'content', status: 'sleepy' }, /status/],
    [{ action: 'stop', service: 'content', extra: true }, /extra/],
    [[], /action|object/i],
  ])('refuses %j with a 400 that names the field, and changes nothing', async (action, field) => {
    const before = (await send('/__hub/state')).body.state;
    const { status, body } = await act(action);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^not an action: /);
    expect(body.error).toMatch(field);
    expect((await send('/__hub/state')).body.state).toEqual(before);
  });

  it('refuses a body that is not JSON, not sent as JSON, or too large', async () => {
    const headers = { 'content-type': 'application/json' };
    expect(await send('/__hub/actions', { method: 'POST', headers, body: '{"action":' })).toMatchObject({ status: 400 });
    const form = await send('/__hub/actions', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=clear',
    });
    expect(form).toMatchObject({ status: 415, body: { error: 'send the action as application/json' } });
    const large = JSON.stringify({ action: 'clear', padding: 'x'.repeat(CONTROL_BODY_LIMIT) });
    expect(await send('/__hub/actions', { method: 'POST', headers, body: large })).toMatchObject({ status: 413 });
  });

  it('answers 405 to the wrong method, 404 to an unknown route, and leaves other paths to next()', async () => {
    expect((await send('/__hub/state', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await send('/__hub/actions')).status).toBe(405);
    expect((await send('/__hub/reboot')).status).toBe(404);
    const before = fellThrough;
    expect((await send('/index.html')).status).toBe(204);
    expect(fellThrough).toBe(before + 1);
  });

  it('refuses a Host that is not loopback (DNS rebinding) and a page of another site', async () => {
    expect(await send('/__hub/state', { headers: { host: 'evil.example:80' } })).toMatchObject({
      status: 403,
      body: { error: 'a loopback Host header is required' },
    });
    const fromSite = await send('/__hub/actions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ action: 'stop', service: 'identity' }),
    });
    expect(fromSite).toMatchObject({ status: 403, body: { error: 'requests from other sites are refused' } });
    expect(hub.snapshot().services.identity.running).toBe(true);
    // A page of the dashboard's own (loopback) origin is welcome.
    const fromDashboard = await send('/__hub/state', { headers: { origin: 'http://localhost:5173' } });
    expect(fromDashboard.status).toBe(200);
  });

  it('refuses a caller that is not on this machine', async () => {
    // A request whose socket has no loopback peer: what a caller from the network would look like.
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/__hub/state';
    req.headers = { host: '127.0.0.1' };
    const res = new ServerResponse(req);
    const written = new Promise<string>((resolve) => {
      res.end = ((body: string) => {
        resolve(body);
        return res;
      }) as typeof res.end;
    });
    createControlHandler(hub)(req, res);
    expect(JSON.parse(await written)).toEqual({ error: 'the control endpoint answers loopback callers only' });
    expect(res.statusCode).toBe(403);
  });
});
