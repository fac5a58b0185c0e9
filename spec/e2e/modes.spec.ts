import type { OrchestratorEvent } from '../../src';
import { SEED, type HubRequest } from '../../src/simulator';
import { useHarness, type Harness } from './support';

/**
 * Every operation against the three hub modes, over real sockets: the outcome table of docs/reference.md
 * ("The library against each Hub") is this file. Each row checks what the caller got, that the
 * error is one clear sentence naming service, endpoint and status, that a 401 caused at most one
 * refresh attempt and was never retried, and what reached the hub.
 */

const { alice, bob, demo } = SEED.users;
const doc = SEED.documents.quarterlyReport;
const contract = SEED.documents.serviceContract;
const ai = SEED.definitions.aiProcessing;
const template = SEED.definitions.collaborationTemplate;

const REFRESH = '/auth/refresh';
const BULK = '/api/v1/notifications/bulk';
const NOTIFICATIONS = '/api/v1/notifications';

const statuses = (requests: readonly HubRequest[]): Array<number | null> => requests.map((request) => request.status);
const newUser = (email: string) => ({ email, password: 'Analytical1!', first_name: 'Ada', last_name: 'Lovelace' });

function ofType<T extends OrchestratorEvent['type']>(events: readonly OrchestratorEvent[], type: T) {
  return events.filter((event): event is Extract<OrchestratorEvent, { type: T }> => event.type === type);
}

/** What every row must hold: no retry at all (nothing here is transient), at most one refresh, no 401 asked twice after it. */
function expectAuthDiscipline(h: Harness, refreshes: number): void {
  expect(ofType(h.events, 'operation_retry')).toEqual([]);
  expect(h.hub.requestsTo('identity', 'POST', REFRESH)).toHaveLength(refreshes);
  // A 401 is repeated once only after a refresh that worked; no refresh works outside extended mode.
  const refused = h.hub.requests.filter((request) => request.status === 401 || request.status === 403);
  const keys = refused.map((request) => `${request.service} ${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('extended mode: every operation runs fully', () => {
  const h = useHarness({ enableBatching: true, batchWindow: 5 }, { mode: 'extended' });

  it('onboardNewUser: success, nothing partial', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser('ext.onboard@hub.local'));
    expect(result).toMatchObject({ success: true });
    expect(result.details?.partial).toBeUndefined();
    expect(result.data?.welcomeNotification).toMatchObject({ channel: 'in_app' });
    expect(result.data?.initialWorkflows).toHaveLength(2);
    expectAuthDiscipline(h, 0);
  });

  it('processDocumentWithAI: success, the users notified in one bulk request', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id, bob.id]);
    expect(result.success).toBe(true);
    expect(result.data?.notifications).toHaveLength(2);
    expect(statuses(h.hub.requestsTo('communication', 'POST', BULK))).toEqual([200]);
    expectAuthDiscipline(h, 0);
  });

  it('searchAndTriggerWorkflows: success, the active search_results workflows started', async () => {
    const result = await h.orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id]);
    expect(result.success).toBe(true);
    expect(result.data?.workflowsTriggered).toHaveLength(2);
    expectAuthDiscipline(h, 0);
  });

  it('setupCollaborativeWorkspace: success, with the template started', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(contract.id, [alice.email, bob.email], template.id);
    expect(result.success).toBe(true);
    expect(result.data?.participants).toHaveLength(2);
    expect(result.data?.workflow?.definition_id).toBe(template.id);
    expectAuthDiscipline(h, 0);
  });

  it('signIn: success', async () => {
    expect(await h.orchestrator.signIn(alice.email, alice.password)).toMatchObject({ success: true, data: { userId: alice.id } });
  });

  it('a bulk 500 gives each caller its own clear failure and is not re-sent as single posts', async () => {
    h.hub.inject('communication', { method: 'POST', path: BULK, faults: [{ kind: 'status', status: 500 }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id, bob.id, demo.id]);

    expect(result).toMatchObject({ success: true, details: { partial: true } });
    expect(result.data?.notifications).toEqual([]);
    expect(result.serviceErrors?.communication).toBe(
      'communication POST /api/v1/notifications/bulk failed with http (HTTP 500): Internal Server Error',
    );
    const failed = ofType(h.events, 'operation_step').filter((step) => step.step === 'notify user');
    expect(failed.map((step) => step.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(statuses(h.hub.requestsTo('communication', 'POST', BULK))).toEqual([500]);
    expect(h.hub.requestsTo('communication', 'POST', NOTIFICATIONS)).toHaveLength(0);
    expect(ofType(h.events, 'operation_retry')).toEqual([]);

    // A 500 says nothing about the route being missing: the next batch tries bulk again.
    const again = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id, bob.id]);
    expect(again.data?.notifications).toHaveLength(2);
    expect(statuses(h.hub.requestsTo('communication', 'POST', BULK))).toEqual([500, 200]);
  });
});

describe('upstream mode (the published services with a working token validator)', () => {
  const h = useHarness({ enableBatching: true, batchWindow: 5 }, { mode: 'upstream' });

  it('onboardNewUser: success, partial: the welcome notification fails with http 500, definitions unsupported', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser('up.onboard@hub.local'));

    expect(result).toMatchObject({ success: true, details: { partial: true } });
    expect(result.data?.user.email).toBe('up.onboard@hub.local');
    expect(result.data?.welcomeNotification).toBeNull();
    expect(result.data?.defaultDocuments.map((d) => d.id).sort()).toEqual(
      [SEED.documents.quarterlyReportTemplate.id, SEED.documents.contractTemplate.id, SEED.documents.onboardingGuide.id].sort(),
    );
    expect(result.data?.initialWorkflows).toEqual([]);
    expect(result.serviceErrors).toEqual({
      communication: 'communication POST /api/v1/notifications failed with http (HTTP 500): Internal Server Error',
      workflow: expect.stringMatching(/^workflow GET \/api\/v1\/definitions failed with unsupported: .*stub/),
    });
    expect(statuses(h.hub.requestsTo('identity'))).toEqual([200, 200, 200]);
    expectAuthDiscipline(h, 0);
  });

  it('processDocumentWithAI: fails at get workflow definition, unsupported (404)', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id]);
    expect(result).toMatchObject({
      success: false,
      details: { step: 'get workflow definition', code: 'unsupported', status: 404, endpoint: 'GET /api/v1/definitions/{id}' },
    });
    expect(result.error).toBe(
      'get workflow definition failed: workflow GET /api/v1/definitions/{id} failed with unsupported (HTTP 404): this Hub does not serve the endpoint yet',
    );
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
    expectAuthDiscipline(h, 0);
  });

  it('searchAndTriggerWorkflows: fails at search, unsupported (the stub)', async () => {
    const result = await h.orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id]);
    expect(result).toMatchObject({ success: false, details: { step: 'search', code: 'unsupported', service: 'content' } });
    expect(result.error).toMatch(/^search failed: content GET \/api\/v1\/search failed with unsupported: .*stub/);
    // The search_results workflows are listed alongside the search (3 hops, not 4), but none is started.
    expect(h.hub.requestsTo('workflow').map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v1/definitions']);
    expectAuthDiscipline(h, 0);
  });

  it('setupCollaborativeWorkspace: fails at create conversation, unsupported (405)', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(contract.id, [alice.email], template.id);
    expect(result).toMatchObject({
      success: false,
      details: { step: 'create conversation', code: 'unsupported', status: 405, endpoint: 'POST /api/v1/conversations' },
    });
    expect(statuses(h.hub.requestsTo('content'))).toEqual([200]);
    expect(h.hub.requestsTo('communication', 'POST', NOTIFICATIONS)).toHaveLength(0);
    expectAuthDiscipline(h, 0);
  });

  it('signIn: success', async () => {
    expect(await h.orchestrator.signIn(bob.email, bob.password)).toMatchObject({ success: true, data: { userId: bob.id } });
  });

  it('performHealthCheck: degraded, because workflow is degraded without an AI key', async () => {
    const health = await h.orchestrator.performHealthCheck();
    expect(health.overall).toBe('degraded');
    expect([health.identity.status, health.content.status, health.communication.status, health.workflow.status]).toEqual([
      'healthy',
      'healthy',
      'healthy',
      'degraded',
    ]);
  });
});

describe('deployed mode (identity serves no /auth/validate: every token refused outside identity)', () => {
  const h = useHarness({ enableBatching: true, batchWindow: 5 }, { mode: 'deployed' });
  const TOKEN_REFUSED = /failed with auth \(HTTP 401\): Token validation failed$/;

  it('onboardNewUser: success, partial: identity works, everything after it fails with auth (401); one refresh attempt (404)', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser('dep.onboard@hub.local'));

    expect(result).toMatchObject({ success: true, details: { partial: true } });
    expect(result.data).toMatchObject({ welcomeNotification: null, defaultDocuments: [], initialWorkflows: [] });
    expect(Object.keys(result.serviceErrors ?? {}).sort()).toEqual(['communication', 'content', 'workflow']);
    for (const message of Object.values(result.serviceErrors ?? {})) expect(message).toMatch(TOKEN_REFUSED);
    expect(statuses(h.hub.requestsTo('identity', 'POST', REFRESH))).toEqual([404]);
    for (const service of ['content', 'communication', 'workflow'] as const) expect(statuses(h.hub.requestsTo(service))).toEqual([401]);
    expectAuthDiscipline(h, 1);
  });

  it('processDocumentWithAI: fails: the definition route is missing (404) and the document refused (401)', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id]);

    expect(result.success).toBe(false);
    // Both critical steps fail; which one ends the operation is whichever answers first. The 404 needs
    // no refresh round trip, so it is nearly always the definition.
    expect([
      { step: 'get workflow definition', code: 'unsupported', status: 404 },
      { step: 'get document', code: 'auth', status: 401 },
    ]).toContainEqual({ step: result.details?.step, code: result.details?.code, status: result.details?.status });
    expect(h.hub.requestsTo('identity', 'POST', REFRESH).length).toBeLessThanOrEqual(1);
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
    expect(ofType(h.events, 'operation_retry')).toEqual([]);
  });

  it('searchAndTriggerWorkflows: fails at search, unsupported (the stub needs no token)', async () => {
    const result = await h.orchestrator.searchAndTriggerWorkflows('quarterly report');
    expect(result).toMatchObject({ success: false, details: { step: 'search', code: 'unsupported' } });
    expect(statuses(h.hub.requestsTo('content'))).toEqual([200]);
    expectAuthDiscipline(h, 0);
  });

  it('setupCollaborativeWorkspace: fails at get document, auth (401), after one refresh attempt', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(contract.id, [alice.email]);
    expect(result).toMatchObject({ success: false, details: { step: 'get document', code: 'auth', status: 401 } });
    expect(result.error).toMatch(TOKEN_REFUSED);
    expect(statuses(h.hub.requestsTo('content'))).toEqual([401]);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
    expectAuthDiscipline(h, 1);
  });

  it('signIn: success (identity needs no validator)', async () => {
    expect(await h.orchestrator.signIn(alice.email, alice.password)).toMatchObject({ success: true, data: { userId: alice.id } });
  });

  it('later operations do not try the refresh again once identity said it has none', async () => {
    await h.orchestrator.setupCollaborativeWorkspace(contract.id, [alice.email]);
    const second = await h.orchestrator.setupCollaborativeWorkspace(contract.id, [bob.email]);
    expect(second).toMatchObject({ success: false, details: { code: 'auth', status: 401 } });
    expect(h.hub.requestsTo('identity', 'POST', REFRESH)).toHaveLength(1);
    expect(statuses(h.hub.requestsTo('content'))).toEqual([401, 401]);
  });
});
