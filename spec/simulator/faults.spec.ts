import { SEED, startHub, type Hub } from '../../src/simulator';
import { call, signIn } from './helpers';

let hub: Hub;
let token: string;
let documentUrl: string;

beforeAll(async () => {
  hub = await startHub();
  token = (await signIn(hub)).access_token;
  documentUrl = `${hub.urls.content}/api/v1/documents/${SEED.documents.quarterlyReport.id}`;
});

afterEach(async () => {
  hub.reset();
  // A failed lifecycle test must not leave a service stopped for the next ones.
  await hub.startService('content');
});

afterAll(() => hub.close());

const getDocument = (options: { signal?: AbortSignal } = {}) => call(documentUrl, { token, ...options });

describe('status faults', () => {
  it('plays a status sequence with Retry-After, then serves normally', async () => {
    const handle = hub.inject('content', {
      method: 'GET',
      path: '/api/v1/documents/{id}',
      faults: [
        { kind: 'status', status: 503, retryAfter: 2 },
        { kind: 'status', status: 429, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' },
        { kind: 'pass' },
      ],
    });

    const first = await getDocument();
    expect(first).toMatchObject({ status: 503, json: { detail: 'Service Unavailable' } });
    expect(first.headers.get('retry-after')).toBe('2');
    const second = await getDocument();
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('Wed, 21 Oct 2026 07:28:00 GMT');
    expect((await getDocument()).status).toBe(200);
    expect((await getDocument()).status).toBe(200);
    expect(handle).toMatchObject({ hits: 3, exhausted: true });
  });

  it('answers a 500 fault with the plain-text body, and a custom body as JSON', async () => {
    hub.inject('content', {
      path: '/api/v1/documents/{id}',
      faults: [
        { kind: 'status', status: 500 },
        { kind: 'status', status: 502, body: { message: 'Bad gateway' } },
      ],
    });
    const plain = await getDocument();
    expect(plain).toMatchObject({ status: 500, text: 'Internal Server Error' });
    expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await getDocument()).toMatchObject({ status: 502, json: { message: 'Bad gateway' } });
  });

  it('matches only the given method and route, and repeats the last step when asked', async () => {
    hub.inject('content', { method: 'POST', path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503 }] });
    const handle = hub.inject('content', {
      path: documentUrl.replace(hub.urls.content, ''),
      faults: [{ kind: 'status', status: 504 }],
      repeat: true,
    });
    expect((await call(`${hub.urls.content}/api/v1/documents`, { token })).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await getDocument()).status).toBe(504);
    handle.remove();
    expect((await getDocument()).status).toBe(200);
  });
});

describe('transport faults', () => {
  it('delays a request by a latency fault, then serves it', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'latency', ms: 150 }] });
    const started = Date.now();
    const answer = await getDocument();
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delays every request to a service with setLatency', async () => {
    hub.setLatency('workflow', 120);
    const started = Date.now();
    expect((await call(`${hub.urls.workflow}/health`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('never answers a hung request; the client has to give up', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'hang' }] });
    await expect(getDocument({ signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(hub.requestsTo('content', 'GET', '/api/v1/documents/{id}')[0].status).toBeNull();
    expect((await getDocument()).status).toBe(200);
  });

  it('resets the connection without an answer', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'reset' }] });
    await expect(getDocument()).rejects.toThrow('fetch failed');
    expect(hub.requests.at(-1)?.status).toBeNull();
    expect((await getDocument()).status).toBe(200);
  });

  it('sends a truncated JSON body with a malformed fault', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'malformed' }] });
    const response = await fetch(documentUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('sends any 200 body with a body fault', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'body', body: { id: 42 } }] });
    expect(await getDocument()).toMatchObject({ status: 200, json: { id: 42 } });
  });

  it('logs faulted requests like any other', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503 }] });
    await getDocument();
    expect(hub.requests.map((request) => [request.path, request.status, request.authorized])).toEqual([
      [`/api/v1/documents/${SEED.documents.quarterlyReport.id}`, 503, true],
    ]);
  });
});

describe('service lifecycle', () => {
  it('refuses connections while a service is stopped and serves again on the same port', async () => {
    const port = hub.ports.content;
    await hub.stopService('content');
    const refused = await call(`${hub.urls.content}/health`).then(
      () => 'answered',
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect((await call(`${hub.urls.identity}/health`)).status).toBe(200);

    await hub.startService('content');
    expect(hub.ports.content).toBe(port);
    expect((await getDocument()).status).toBe(200);
  });
});

describe('tokens', () => {
  it('answers 401 after expireTokens, and a refresh token gets a working one', async () => {
    const session = await signIn(hub, SEED.users.alice);
    hub.expireTokens();
    expect((await call(documentUrl, { token: session.access_token })).status).toBe(401);

    const refreshed = await call(`${hub.urls.identity}/auth/refresh`, { body: { refresh_token: session.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await call(documentUrl, { token: refreshed.json.access_token })).status).toBe(200);

    expect((await call(`${hub.urls.identity}/auth/refresh`, { body: { refresh_token: 'forged' } })).status).toBe(401);
    expect(JSON.stringify(hub.requests)).not.toContain(session.refresh_token);
    token = (await signIn(hub)).access_token;
  });
});

describe('reset and close', () => {
  it('reset clears faults, the log, latency and mode, and re-seeds the data', async () => {
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503 }] });
    hub.setMode('upstream');
    await call(`${hub.urls.identity}/users/${SEED.users.bob.id}`, { method: 'DELETE' });
    hub.reset();

    expect(hub.requests).toHaveLength(0);
    expect(hub.mode).toBe('extended');
    expect((await getDocument()).status).toBe(200);
    expect((await call(`${hub.urls.identity}/users/${SEED.users.bob.id}`)).status).toBe(200);
  });

  it('close ends hung requests and leaves nothing behind', async () => {
    const other = await startHub({ latencyMs: { identity: 5_000 } });
    other.inject('content', { path: '/health', faults: [{ kind: 'hang' }] });
    // Settled into values at once, so their rejection during close() is never unhandled.
    const outcome = (request: Promise<unknown>) =>
      request.then(
        () => 'answered',
        (error: Error) => error.message,
      );
    const hung = outcome(call(`${other.urls.content}/health`));
    const slow = outcome(call(`${other.urls.identity}/health`));
    await Promise.all([other.waitForRequest('content', 'GET', '/health'), other.waitForRequest('identity', 'GET', '/health')]);
    await other.close();
    expect(await hung).toBe('fetch failed');
    expect(await slow).toBe('fetch failed');
    await expect(call(`${other.urls.content}/health`)).rejects.toThrow('fetch failed');
  });
});
