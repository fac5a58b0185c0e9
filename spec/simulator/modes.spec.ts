import { SEED, startHub, type Hub } from '../../src/simulator';
import { call, signIn } from './helpers';

let hub: Hub;
let token: string;

beforeAll(async () => {
  hub = await startHub({ mode: 'upstream' });
  token = (await signIn(hub)).access_token;
});

afterEach(() => hub.reset());

afterAll(() => hub.close());

describe('upstream mode', () => {
  it('answers search with the stub message only, and still 422 without q', async () => {
    const answer = await call(`${hub.urls.content}/api/v1/search?q=contract`);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual(['message']);
    expect((await call(`${hub.urls.content}/api/v1/search`)).status).toBe(422);
  });

  it('answers 405 to POST /api/v1/conversations, token or not', async () => {
    const body = { title: 'Team', type: 'group', participant_ids: [] };
    expect(await call(`${hub.urls.communication}/api/v1/conversations`, { token, body })).toMatchObject({
      status: 405,
      json: { detail: 'Method Not Allowed' },
    });
    expect((await call(`${hub.urls.communication}/api/v1/conversations`, { body })).status).toBe(405);
  });

  it('answers 404 Not Found to the bulk notification endpoint', async () => {
    const answer = await call(`${hub.urls.communication}/api/v1/notifications/bulk`, { token, body: [] });
    expect(answer).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
  });

  it('lists definitions as the stub with slug ids, and has no definition by id', async () => {
    const list = await call(`${hub.urls.workflow}/api/v1/definitions?trigger=search_results`, { token });
    expect(list.status).toBe(200);
    expect(typeof list.json.message).toBe('string');
    expect(list.json.definitions).toContainEqual({ id: 'document-approval', name: 'Document Approval', category: 'approval' });
    for (const definition of list.json.definitions) expect(Object.keys(definition).sort()).toEqual(['category', 'id', 'name']);

    const one = await call(`${hub.urls.workflow}/api/v1/definitions/${SEED.definitions.aiProcessing.id}`, { token });
    expect(one).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
  });

  it('ignores the email filter on users and the tag filter on documents', async () => {
    const users = await call(`${hub.urls.identity}/users?email=${encodeURIComponent(SEED.users.bob.email)}`);
    expect(users.json.length).toBeGreaterThan(1);
    const documents = await call(`${hub.urls.content}/api/v1/documents?tag=template`, { token });
    expect(documents.json.pagination.total).toBe(8);
  });

  it('has no /auth/validate nor /auth/refresh', async () => {
    expect((await call(`${hub.urls.identity}/auth/validate`, { method: 'POST', token })).status).toBe(404);
    expect((await call(`${hub.urls.identity}/auth/refresh`, { body: { refresh_token: 'x' } })).status).toBe(404);
  });

  it('switches to extended at runtime and back to upstream on reset', async () => {
    hub.setMode('extended');
    const search = await call(`${hub.urls.content}/api/v1/search?q=contract`);
    expect(search.json.documents.length).toBeGreaterThan(0);
    hub.reset();
    expect(Object.keys((await call(`${hub.urls.content}/api/v1/search?q=contract`)).json)).toEqual(['message']);
  });
});
