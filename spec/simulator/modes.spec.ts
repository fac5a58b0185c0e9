import { HUB_MODES, SEED, startHub, type Hub, type HubMode, type HubOptions } from '../../src/simulator';
import { call, signIn } from './helpers';

let hub: Hub;
let token: string;

beforeAll(async () => {
  hub = await startHub({ mode: 'upstream' });
  token = (await signIn(hub)).access_token;
});

afterEach(() => hub.reset());

afterAll(() => hub.close());

const DOCUMENT = () => `${hub.urls.content}/api/v1/documents/${SEED.documents.quarterlyReport.id}`;

describe('upstream mode', () => {
  it('answers search with the stub message only, and still 422 without q', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/search?q=contract`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ message: "Search 'contract' - will be implemented in Week 3" });
    expect((await call(`${hub.urls.content}/api/v1/search`)).status).toBe(422);
  });

  it('answers 405 to POST /api/v1/conversations, token or not, and serves the GET stub', async () => {
    const body = { title: 'Team', type: 'group', participant_ids: [] };
    expect(await call(`${hub.urls.communication}/api/v1/conversations`, { token, body })).toMatchObject({
      status: 405,
      json: { detail: 'Method Not Allowed' },
    });
    expect((await call(`${hub.urls.communication}/api/v1/conversations`, { body })).status).toBe(405);
    const list = await call(`${hub.urls.communication}/api/v1/conversations`, { token });
    expect(list.json).toEqual({
      message: `Conversations for user ${SEED.users.demo.id} - TODO: implement`,
      user_id: SEED.users.demo.id,
      organization: SEED.organizationId,
    });
  });

  it('has the bulk route, which fails like the single post with a plain-text 500; a body that is not a list is a 422', async () => {
    for (const [path, body] of [
      ['/api/v1/notifications/bulk', []],
      ['/api/v1/notifications', { type: 'in_app', to: SEED.users.bob.id, message: 'hi' }],
    ] as const) {
      const answer = await call(`${hub.urls.communication}${path}`, { token, body });
      expect(answer).toMatchObject({ status: 500, text: 'Internal Server Error' });
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    const notAList = await call(`${hub.urls.communication}/api/v1/notifications/bulk`, { token, body: {} });
    expect(notAList.status).toBe(422);
    expect(notAList.json.detail[0]).toMatchObject({ type: 'list_type', loc: ['body'] });
    expect(hub.requestsTo('communication').every((request) => request.authorized)).toBe(true);
  });

  it('lists the stub definitions with slug ids whatever the query, and has no definition by id', async () => {
    const list = await call(`${hub.urls.workflow}/api/v1/definitions?trigger=search_results`, { token });
    expect(list.status).toBe(200);
    expect(list.json.message).toBe('Workflow definitions - TODO: implement');
    expect(list.json.definitions).toHaveLength(8);
    expect(list.json.definitions[0]).toEqual({ id: 'contract-approval', name: 'Contract Approval Workflow', category: 'procurement' });
    expect(list.json).toMatchObject({ requested_by: SEED.users.demo.id, organization: SEED.organizationId });

    const one = await call(`${hub.urls.workflow}/api/v1/definitions/${SEED.definitions.aiProcessing.id}`, { token });
    expect(one).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
  });

  it('ignores the email filter on users and every filter on documents but its own status=active', async () => {
    const users = await call(`${hub.urls.identity}/users?email=${encodeURIComponent(SEED.users.bob.email)}`);
    expect(users.json.length).toBeGreaterThan(1);
    const documents = await call(`${hub.urls.content}/api/v1/documents?tag=template`, { token });
    expect(documents.json.filters_applied).toEqual({ status: 'active' });
    expect(documents.json.documents.every((doc: { status: string }) => doc.status === 'active')).toBe(true);
    expect(documents.json.pagination.total).toBe(7);
  });

  it('has no /auth/validate nor /auth/refresh', async () => {
    expect((await call(`${hub.urls.identity}/auth/validate`, { method: 'POST', token })).status).toBe(404);
    expect((await call(`${hub.urls.identity}/auth/refresh`, { body: { refresh_token: 'x' } })).status).toBe(404);
  });

  it('accepts identity tokens (a working validator) and refuses others as FastAPI 0.116 does', async () => {
    expect((await call(DOCUMENT(), { token })).status).toBe(200);
    expect(await call(DOCUMENT())).toMatchObject({ status: 403, json: { detail: 'Not authenticated' } });
    expect(await call(DOCUMENT(), { headers: { authorization: 'Basic ZGVtbzpkZW1v' } })).toMatchObject({
      status: 403,
      json: { detail: 'Invalid authentication credentials' },
    });
    expect(await call(DOCUMENT(), { token: 'forged' })).toMatchObject({ status: 401, json: { detail: 'Token validation failed' } });
  });

  it('reports workflow degraded by default (no AI key), until told otherwise', async () => {
    expect((await call(`${hub.urls.workflow}/health`)).json).toMatchObject({ status: 'degraded', port: 8004 });
    expect((await call(`${hub.urls.content}/health`)).json).toMatchObject({ status: 'healthy', port: 8002 });
    hub.setHealthStatus('workflow', 'healthy');
    expect((await call(`${hub.urls.workflow}/health`)).json.status).toBe('healthy');
  });

  it('switches to extended at runtime and back to upstream on reset', async () => {
    hub.setMode('extended');
    const search = await call(`${hub.urls.content}/api/v1/search?q=contract`);
    expect(search.json.documents.length).toBeGreaterThan(0);
    expect((await call(`${hub.urls.workflow}/health`)).json.status).toBe('healthy');
    hub.reset();
    expect(Object.keys((await call(`${hub.urls.content}/api/v1/search?q=contract`)).json)).toEqual(['message']);
  });
});

describe('deployed mode', () => {
  beforeEach(() => hub.setMode('deployed'));

  it('refuses every token on content, communication and workflow with 401 Token validation failed', async () => {
    const authenticated: [string, string, unknown?][] = [
      [DOCUMENT(), 'GET'],
      [`${hub.urls.content}/api/v1/documents?limit=0`, 'GET'],
      [`${hub.urls.communication}/api/v1/notifications`, 'POST', {}],
      [`${hub.urls.communication}/api/v1/conversations`, 'GET'],
      [`${hub.urls.workflow}/api/v1/definitions`, 'GET'],
      [`${hub.urls.workflow}/api/v1/workflows`, 'POST', {}],
    ];
    for (const [url, method, body] of authenticated) {
      // The token check comes before validation: even a bad query or body gets the 401.
      expect(await call(url, { method, token, body })).toMatchObject({ status: 401, json: { detail: 'Token validation failed' } });
      expect(await call(url, { method, body })).toMatchObject({ status: 403, json: { detail: 'Not authenticated' } });
    }
  });

  it('still routes first: a missing path is a 404 and a wrong method a 405, token or not', async () => {
    expect(await call(`${hub.urls.workflow}/api/v1/definitions/${SEED.definitions.aiProcessing.id}`, { token })).toMatchObject({
      status: 404,
      json: { detail: 'Not Found' },
    });
    expect((await call(`${hub.urls.communication}/api/v1/conversations`, { token, body: {} })).status).toBe(405);
  });

  it('serves identity, health and the search stub as upstream does', async () => {
    expect((await signIn(hub)).access_token).toMatch(/./);
    expect((await call(`${hub.urls.identity}/users/${SEED.users.bob.id}`)).json).toMatchObject({ email: SEED.users.bob.email, bio: null });
    expect((await call(`${hub.urls.content}/api/v1/search?q=x`, { token })).json).toEqual({
      message: "Search 'x' - will be implemented in Week 3",
    });
    expect((await call(`${hub.urls.workflow}/health`)).json.status).toBe('degraded');
  });
});

describe('startHub options', () => {
  const bad: [string, unknown, RegExp][] = [
    ['an unknown mode', { mode: 'legacy' }, /unknown mode "legacy"; valid modes: extended, upstream, deployed/],
    ['an unknown option', { latency: 5 }, /unknown option "latency"; valid options: ports, host, mode, latencyMs/],
    ['an unknown service', { ports: { search: 9000 } }, /unknown service "search" in ports; valid services: identity, content/],
  ];
  it.each(bad)('rejects %s before listening, naming the valid ones', async (_name, options, message) => {
    await expect(startHub(options as HubOptions)).rejects.toThrow(message);
  });

  it('knows the three modes, and setMode refuses any other', () => {
    expect(HUB_MODES).toEqual(['extended', 'upstream', 'deployed']);
    expect(() => hub.setMode('staging' as HubMode)).toThrow(/setMode: unknown mode "staging"; valid modes: extended, upstream, deployed/);
    expect(hub.mode).toBe('upstream');
  });
});
