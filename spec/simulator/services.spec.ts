import { SEED, startHub, type Hub } from '../../src/simulator';
import { call, NAIVE_TIMESTAMP, OFFSET_TIMESTAMP, signIn } from './helpers';

let hub: Hub;
let token: string;

beforeAll(async () => {
  hub = await startHub();
  token = (await signIn(hub)).access_token;
});

afterEach(() => hub.reset());

afterAll(() => hub.close());

async function register(email: string, password = 'Sup3rSecret!') {
  return call(`${hub.urls.identity}/auth/register`, { body: { email, password, first_name: 'New', last_name: 'Person' } });
}

describe('identity', () => {
  it('logs the demo user in and the token opens a document on content', async () => {
    const login = await call(`${hub.urls.identity}/auth/login`, {
      body: { email: SEED.users.demo.email, password: SEED.users.demo.password },
    });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user_id: SEED.users.demo.id });
    expect(login.json.user).toMatchObject({ email: SEED.users.demo.email, is_verified: true, status: 'active' });

    const doc = await call(`${hub.urls.content}/api/v1/documents/${SEED.documents.quarterlyReport.id}`, { token: login.json.access_token });
    expect(doc.status).toBe(200);
    expect(doc.json).toMatchObject({ id: SEED.documents.quarterlyReport.id, metadata: { title: SEED.documents.quarterlyReport.title } });
    expect(doc.json.audit.created_at).toMatch(OFFSET_TIMESTAMP);
  });

  it('registers with 200, needs verification (403), then logs in after verify-email', async () => {
    const registered = await register('new.person@hub.local');
    expect(registered.status).toBe(200);
    expect(registered.json).toMatchObject({ email: 'new.person@hub.local', verification_required: true, next_step: 'verify_email' });
    expect(typeof registered.json.verification_token).toBe('string');

    const early = await call(`${hub.urls.identity}/auth/login`, { body: { email: 'new.person@hub.local', password: 'Sup3rSecret!' } });
    expect(early.status).toBe(403);

    const verified = await call(`${hub.urls.identity}/auth/verify-email`, { body: { token: registered.json.verification_token } });
    expect(verified.status).toBe(200);
    expect(verified.json.details).toMatchObject({ user_id: registered.json.user_id, email: 'new.person@hub.local' });
    expect(verified.json.details.verified_at).toMatch(NAIVE_TIMESTAMP);

    const login = await call(`${hub.urls.identity}/auth/login`, { body: { email: 'new.person@hub.local', password: 'Sup3rSecret!' } });
    expect(login.status).toBe(200);
  });

  it('refuses a second registration of the same email with 400', async () => {
    const again = await register(SEED.users.alice.email.toUpperCase());
    expect(again.status).toBe(400);
    expect(again.json).toEqual({ detail: 'Email already registered' });
  });

  it('answers 422 with FastAPI issues for a register body missing fields', async () => {
    const answer = await call(`${hub.urls.identity}/auth/register`, { body: { email: 'not-an-email', password: 'short' } });
    expect(answer.status).toBe(422);
    const locs = answer.json.detail.map((issue: { loc: unknown[] }) => issue.loc.join('.'));
    expect(locs).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.first_name', 'body.last_name']));
    for (const issue of answer.json.detail) expect(Object.keys(issue)).toEqual(expect.arrayContaining(['type', 'loc', 'msg', 'input']));
  });

  it('answers 401 for a wrong password and locks the account (423) after five failures', async () => {
    const registered = await register('locksmith@hub.local');
    await call(`${hub.urls.identity}/auth/verify-email`, { body: { token: registered.json.verification_token } });
    const attempt = (password: string) => call(`${hub.urls.identity}/auth/login`, { body: { email: 'locksmith@hub.local', password } });

    for (let i = 0; i < 5; i += 1) expect((await attempt('wrong-password')).status).toBe(401);
    expect((await attempt('Sup3rSecret!')).status).toBe(423);
  });

  it('answers 423 for the seeded locked user and 403 for the seeded unverified one', async () => {
    const locked = await call(`${hub.urls.identity}/auth/login`, {
      body: { email: SEED.users.locked.email, password: SEED.users.locked.password },
    });
    expect(locked.status).toBe(423);
    const unverified = await call(`${hub.urls.identity}/auth/login`, {
      body: { email: SEED.users.unverified.email, password: SEED.users.unverified.password },
    });
    expect(unverified.status).toBe(403);
  });

  it('lists users newest first as a bare array, with limit, offset and the email filter', async () => {
    const all = await call(`${hub.urls.identity}/users?limit=100`);
    expect(Array.isArray(all.json)).toBe(true);
    const created = all.json.map((user: { created_at: string }) => user.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(created[0]).toMatch(NAIVE_TIMESTAMP);

    const page = await call(`${hub.urls.identity}/users?limit=2&offset=1`);
    expect(page.json.map((user: { id: string }) => user.id)).toEqual(all.json.slice(1, 3).map((user: { id: string }) => user.id));

    const bob = await call(`${hub.urls.identity}/users?email=${encodeURIComponent(SEED.users.bob.email)}`);
    expect(bob.json).toHaveLength(1);
    expect(bob.json[0]).toMatchObject({ id: SEED.users.bob.id, first_name: 'Bob' });
    expect((await call(`${hub.urls.identity}/users?email=nobody%40hub.local`)).json).toEqual([]);
  });

  it('soft-deletes a user: afterwards get answers 404', async () => {
    const url = `${hub.urls.identity}/users/${SEED.users.carol.id}`;
    expect((await call(url)).json).toMatchObject({ email: SEED.users.carol.email });
    expect((await call(url, { method: 'DELETE' })).status).toBe(200);
    expect(await call(url)).toMatchObject({ status: 404, json: { detail: 'User not found' } });
  });

  it('validates a token on POST /auth/validate and answers 401 without one', async () => {
    const valid = await call(`${hub.urls.identity}/auth/validate`, { method: 'POST', token });
    expect(valid.json).toEqual({
      user_id: SEED.users.demo.id,
      organization_id: SEED.organizationId,
      email: SEED.users.demo.email,
      roles: ['admin', 'user'],
    });
    expect((await call(`${hub.urls.identity}/auth/validate`, { method: 'POST' })).status).toBe(401);
  });
});

describe('content', () => {
  it('answers 401 with a detail when no token is sent', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/documents`);
    expect(answer.status).toBe(401);
    expect(typeof answer.json.detail).toBe('string');
    expect((await call(`${hub.urls.content}/api/v1/documents`, { token: 'forged' })).status).toBe(401);
  });

  it('answers 422 for a document id that is not a UUID', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/documents/not-a-uuid`, { token });
    expect(answer.status).toBe(422);
    expect(answer.json.detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'document_id'], input: 'not-a-uuid' });
  });

  it("answers 404 for an unknown document and 403 for another organisation's", async () => {
    const unknown = await call(`${hub.urls.content}/api/v1/documents/${crypto.randomUUID()}`, { token });
    expect(unknown).toMatchObject({ status: 404, json: { detail: 'Document not found' } });
    const foreign = await call(`${hub.urls.content}/api/v1/documents/${SEED.documents.otherOrganization.id}`, { token });
    expect(foreign.status).toBe(403);
  });

  it('answers 422 for limit=0 and limit=101', async () => {
    for (const limit of [0, 101]) {
      const answer = await call(`${hub.urls.content}/api/v1/documents?limit=${limit}`, { token });
      expect(answer.status).toBe(422);
      expect(answer.json.detail[0].loc).toEqual(['query', 'limit']);
    }
  });

  it("pages the organisation's documents, newest first", async () => {
    const answer = await call(`${hub.urls.content}/api/v1/documents?limit=3&offset=2`, { token });
    expect(answer.status).toBe(200);
    expect(answer.json.documents).toHaveLength(3);
    expect(answer.json.pagination).toEqual({ limit: 3, offset: 2, total: 8, has_next: true, has_prev: true });
    expect(answer.json.total_size).toBeGreaterThan(0);
    const ids = answer.json.documents.map((doc: { id: string }) => doc.id);
    expect(ids).not.toContain(SEED.documents.otherOrganization.id);
  });

  it('filters documents by tag', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/documents?tag=template`, { token });
    const ids = answer.json.documents.map((doc: { id: string }) => doc.id).sort();
    expect(ids).toEqual(
      [SEED.documents.quarterlyReportTemplate.id, SEED.documents.contractTemplate.id, SEED.documents.onboardingGuide.id].sort(),
    );
    expect(answer.json.filters_applied).toEqual({ tag: 'template' });
  });

  it('ranks search results by score, without needing a token', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/search?q=quarterly%20report`);
    expect(answer.status).toBe(200);
    expect(answer.json.query).toBe('quarterly report');
    expect(answer.json.documents[0].id).toBe(SEED.documents.quarterlyReport.id);
    const scores = answer.json.documents.map((doc: { score: number }) => doc.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(answer.json.total).toBe(answer.json.documents.length);

    const page = await call(`${hub.urls.content}/api/v1/search?q=quarterly%20report&limit=1&offset=1`);
    expect(page.json.documents.map((doc: { id: string }) => doc.id)).toEqual([answer.json.documents[1].id]);
    expect(page.json.total).toBe(answer.json.total);
  });

  it('answers 422 for a search without q', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/search`);
    expect(answer.status).toBe(422);
    expect(answer.json.detail[0]).toMatchObject({ type: 'missing', loc: ['query', 'q'] });
  });
});

describe('communication', () => {
  it('queues a notification and answers 200', async () => {
    const answer = await call(`${hub.urls.communication}/api/v1/notifications`, {
      token,
      body: { type: 'in_app', to: SEED.users.alice.id, message: 'Hello' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'queued', channel: 'in_app', recipient: SEED.users.alice.id, sent_by: SEED.users.demo.id });
    expect(answer.json.created_at).toMatch(NAIVE_TIMESTAMP);
  });

  it('answers 422 for missing fields and the plain-text 500 for an unknown type', async () => {
    const missing = await call(`${hub.urls.communication}/api/v1/notifications`, { token, body: { type: 'email' } });
    expect(missing.status).toBe(422);
    const badType = await call(`${hub.urls.communication}/api/v1/notifications`, { token, body: { type: 'fax', to: 'x', message: 'y' } });
    expect(badType.status).toBe(500);
    expect(badType.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(badType.text).toBe('Internal Server Error');
  });

  it('queues a bulk array, refuses more than 1000 with 400 and a non-array with 422', async () => {
    const item = (i: number) => ({ type: 'email', to: `user${i}@hub.local`, subject: 'Hi', message: 'Hello' });
    const bulk = await call(`${hub.urls.communication}/api/v1/notifications/bulk`, { token, body: [item(1), item(2), item(3)] });
    expect(bulk.status).toBe(200);
    expect(bulk.json).toMatchObject({
      status: 'queued',
      notification_count: 3,
      sent_by: SEED.users.demo.id,
      organization: SEED.organizationId,
    });
    expect(typeof bulk.json.task_id).toBe('string');

    const tooMany = await call(`${hub.urls.communication}/api/v1/notifications/bulk`, {
      token,
      body: Array.from({ length: 1001 }, (_, i) => item(i)),
    });
    expect(tooMany.status).toBe(400);
    expect(typeof tooMany.json.detail).toBe('string');

    const notArray = await call(`${hub.urls.communication}/api/v1/notifications/bulk`, { token, body: item(1) });
    expect(notArray.status).toBe(422);
  });

  it('creates a conversation with 200', async () => {
    const answer = await call(`${hub.urls.communication}/api/v1/conversations`, {
      token,
      body: { title: 'Collaboration: Contract', type: 'group', participant_ids: [SEED.users.alice.id, SEED.users.bob.id] },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ title: 'Collaboration: Contract', type: 'group', created_by: SEED.users.demo.id });
    expect(answer.json.participant_ids).toEqual([SEED.users.alice.id, SEED.users.bob.id]);
  });
});

describe('workflow', () => {
  it('filters definitions by trigger and by is_template', async () => {
    const triggered = await call(`${hub.urls.workflow}/api/v1/definitions?trigger=search_results`, { token });
    const ids = triggered.json.definitions.map((definition: { id: string }) => definition.id).sort();
    expect(ids).toEqual([SEED.definitions.searchResultsReview.id, SEED.definitions.searchDigest.id, SEED.definitions.inactive.id].sort());

    const templates = await call(`${hub.urls.workflow}/api/v1/definitions?is_template=true`, { token });
    expect(templates.json.definitions.length).toBeGreaterThan(0);
    expect(templates.json.definitions.every((definition: { is_template: boolean }) => definition.is_template)).toBe(true);
  });

  it('gets a definition by id and answers 404 for an unknown one', async () => {
    const ai = await call(`${hub.urls.workflow}/api/v1/definitions/${SEED.definitions.aiProcessing.id}`, { token });
    expect(ai.json).toMatchObject({ id: SEED.definitions.aiProcessing.id, category: 'ai_processing', is_active: true });
    const unknown = await call(`${hub.urls.workflow}/api/v1/definitions/${crypto.randomUUID()}`, { token });
    expect(unknown).toMatchObject({ status: 404, json: { detail: 'Definition not found' } });
  });

  it('starts an instance with 200, a string progress, and reports its status', async () => {
    const started = await call(`${hub.urls.workflow}/api/v1/workflows`, {
      token,
      body: { definition_id: SEED.definitions.aiProcessing.id, entity_id: SEED.documents.quarterlyReport.id, context: { title: 'Q4' } },
    });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ status: 'active', progress_percentage: '0', entity_id: SEED.documents.quarterlyReport.id });
    expect(started.json.created_at).toMatch(OFFSET_TIMESTAMP);

    const status = await call(`${hub.urls.workflow}/api/v1/workflows/${started.json.workflow_id}/status`, { token });
    expect(status.json).toMatchObject({ instance_id: started.json.workflow_id, progress_percentage: '0', context_data: { title: 'Q4' } });
  });

  it('answers 400 when the definition is inactive or missing', async () => {
    for (const definitionId of [SEED.definitions.inactive.id, crypto.randomUUID()]) {
      const answer = await call(`${hub.urls.workflow}/api/v1/workflows`, { token, body: { definition_id: definitionId, entity_id: 'x' } });
      expect(answer.status).toBe(400);
      expect(typeof answer.json.detail).toBe('string');
    }
  });
});

describe('every service', () => {
  it('answers GET /health without auth, healthy by default, degraded on demand', async () => {
    const identity = await call(`${hub.urls.identity}/health`);
    expect(identity.json).toMatchObject({ status: 'healthy', service: 'auth-service' });
    expect(Array.isArray(identity.json.features)).toBe(true);
    for (const service of ['content', 'communication', 'workflow'] as const) {
      const answer = await call(`${hub.urls[service]}/health`);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ status: 'healthy', port: hub.ports[service] });
      expect(answer.json).toHaveProperty('dependencies');
      expect(answer.json).toHaveProperty('metrics.uptime_seconds');
    }
    hub.setHealthStatus('workflow', 'degraded');
    expect(await call(`${hub.urls.workflow}/health`)).toMatchObject({ status: 200, json: { status: 'degraded' } });
  });

  it('answers 404 Not Found for an unknown path and 405 for a wrong method', async () => {
    expect(await call(`${hub.urls.content}/api/v1/nothing`, { token })).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
    const wrong = await call(`${hub.urls.content}/api/v1/documents`, { method: 'DELETE', token });
    expect(wrong).toMatchObject({ status: 405, json: { detail: 'Method Not Allowed' } });
  });

  it('answers a CORS preflight with 204 and sets CORS headers on every response', async () => {
    const preflight = await call(`${hub.urls.content}/api/v1/documents`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);

    const plain = await call(`${hub.urls.content}/api/v1/documents`);
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the request log', () => {
  it('records each request in order, and never a password or the Authorization header', async () => {
    hub.clearRequests();
    const session = await signIn(hub, SEED.users.bob);
    await call(`${hub.urls.content}/api/v1/documents?limit=5`, { token: session.access_token });
    await call(`${hub.urls.content}/api/v1/documents`);

    expect(hub.requests.map((request) => [request.service, request.method, request.path, request.status, request.authorized])).toEqual([
      ['identity', 'POST', '/auth/login', 200, false],
      ['content', 'GET', '/api/v1/documents', 200, true],
      ['content', 'GET', '/api/v1/documents', 401, false],
    ]);
    expect(hub.requests[0].body).toEqual({ email: SEED.users.bob.email, password: '[redacted]' });
    expect(hub.requests[1].query).toEqual({ limit: '5' });
    expect(typeof hub.requests[0].at).toBe('number');

    const everything = JSON.stringify(hub.requests);
    expect(everything).not.toContain(SEED.users.bob.password);
    expect(everything).not.toContain(session.access_token);
    expect(everything.toLowerCase()).not.toContain('bearer');

    expect(hub.requestsTo('content', 'GET', '/api/v1/documents')).toHaveLength(2);
    expect(hub.requestsTo('identity')).toHaveLength(1);
  });
});
