import { filter, firstValueFrom } from 'rxjs';
import type { OrchestratorEvent } from '../../src';
import { SEED, type Hub, type HubRequest } from '../../src/simulator';
import { useHarness } from './support';

/**
 * The fault matrix over real sockets: every row checks what the caller got back AND what reached
 * the simulated Hub (how many requests, in which order, with which status and body).
 */

const doc = SEED.documents.quarterlyReport;
const ai = SEED.definitions.aiProcessing;
const { alice, bob, carol, demo } = SEED.users;

const DOCUMENT = '/api/v1/documents/{id}';
const DEFINITION = '/api/v1/definitions/{id}';
const WORKFLOWS = '/api/v1/workflows';
const NOTIFICATIONS = '/api/v1/notifications';
const BULK = '/api/v1/notifications/bulk';

const statuses = (requests: readonly HubRequest[]): Array<number | null> => requests.map((request) => request.status);

function ofType<T extends OrchestratorEvent['type']>(
  events: readonly OrchestratorEvent[],
  type: T,
): Array<Extract<OrchestratorEvent, { type: T }>> {
  return events.filter((event): event is Extract<OrchestratorEvent, { type: T }> => event.type === type);
}

/** The position of a logged request in the hub's arrival order. */
function indexOf(hub: Hub, request: HubRequest | undefined): number {
  if (!request) throw new Error('expected a logged request');
  return hub.requests.indexOf(request);
}

/** A DocumentDetail as content answers it, but without `id`: it breaks the client's schema at one field. */
function documentWithoutId(): Record<string, unknown> {
  return {
    filename: 'q4-2025-quarterly-report.pdf',
    original_filename: 'q4-2025-quarterly-report.pdf',
    content_type: 'application/pdf',
    file_size: 30_000,
    file_hash: 'a'.repeat(64),
    organization_id: SEED.organizationId,
    status: 'active',
    metadata: { title: doc.title, description: null, tags: ['finance'], classification: 'internal', author: null, custom_fields: {} },
    audit: { created_at: '2026-02-04T09:00:00+00:00', created_by: SEED.users.demo.id, updated_at: null, version: 1 },
    processing: { status: 'completed' },
    download_url: `/api/v1/documents/${doc.id}/download`,
    preview_url: `/api/v1/documents/${doc.id}/preview`,
    text_preview: 'Quarterly report for Q4 2025.',
    current_version: 1,
    version_count: 1,
    permissions: { read: true, write: true, delete: true, share: true, admin: false },
  };
}

describe('fault matrix over real sockets', () => {
  const h = useHarness({ enableBatching: false });

  it('row 1: retries a GET after a 503 and succeeds; the hub saw both attempts', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result.success).toBe(true);
    expect(result.data?.document.id).toBe(doc.id);
    const attempts = h.hub.requestsTo('content', 'GET', DOCUMENT);
    expect(statuses(attempts)).toEqual([503, 200]);
    expect(attempts.every((request) => request.path === `/api/v1/documents/${doc.id}` && request.authorized)).toBe(true);
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS)).toHaveLength(1);

    const retries = ofType(h.events, 'operation_retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({
      attempt: 1,
      service: 'content',
      endpoint: `GET ${DOCUMENT}`,
      operation: 'processDocumentWithAI',
    });
    expect(retries[0]?.error).toMatch(/HTTP 503/);
    const metrics = h.orchestrator.getMetrics();
    expect(metrics.services.content).toMatchObject({ retries: 1, requests: 2, errors: 1 });
    expect(metrics.retries).toBe(1);
  });

  it('row 3: a connection reset on POST /api/v1/workflows (not idempotent) is not retried', async () => {
    h.hub.inject('workflow', { method: 'POST', path: WORKFLOWS, faults: [{ kind: 'reset' }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id]);

    expect(result).toMatchObject({
      success: false,
      details: { step: 'start workflow', code: 'network', service: 'workflow', endpoint: `POST ${WORKFLOWS}`, attempts: 1 },
    });
    expect(result.error).toMatch(/start workflow failed: workflow POST \/api\/v1\/workflows failed with network/);
    const starts = h.hub.requestsTo('workflow', 'POST', WORKFLOWS);
    expect(starts).toHaveLength(1);
    expect(starts[0]?.status).toBeNull();
    expect(starts[0]?.body).toMatchObject({ definition_id: ai.id, entity_id: doc.id });
    expect(ofType(h.events, 'operation_retry')).toHaveLength(0);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('row 3 (contrast): a connection reset on a GET is retried', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'reset' }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result.success).toBe(true);
    expect(statuses(h.hub.requestsTo('content', 'GET', DOCUMENT))).toEqual([null, 200]);
    expect(ofType(h.events, 'operation_retry')).toEqual([
      expect.objectContaining({ attempt: 1, service: 'content', endpoint: `GET ${DOCUMENT}` }),
    ]);
  });

  it('row 5: malformed JSON on a 200 is a validation failure naming the endpoint, not retried', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'malformed' }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result).toMatchObject({
      success: false,
      details: { step: 'get document', code: 'validation', service: 'content', endpoint: `GET ${DOCUMENT}`, attempts: 1 },
    });
    expect(result.error).toMatch(/content GET \/api\/v1\/documents\/\{id\} failed with validation/);
    expect(result.error).toMatch(/not valid JSON/);
    expect(statuses(h.hub.requestsTo('content', 'GET', DOCUMENT))).toEqual([200]);
    expect(ofType(h.events, 'operation_retry')).toHaveLength(0);
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS)).toHaveLength(0);
  });

  it('row 6: a body that breaks the schema is a validation failure with the field path, not retried', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'body', body: documentWithoutId() }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result).toMatchObject({ success: false, details: { step: 'get document', code: 'validation', endpoint: `GET ${DOCUMENT}` } });
    expect(result.error).toMatch(/does not fit its schema \(id: /);
    expect(result.details?.issues).toEqual([expect.objectContaining({ path: 'id' })]);
    const gets = h.hub.requestsTo('content', 'GET', DOCUMENT);
    expect(statuses(gets)).toEqual([200]);
    expect(ofType(h.events, 'operation_retry')).toHaveLength(0);
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS)).toHaveLength(0);
  });

  it('row 7: an expired token is refreshed once and the call repeated with the new token', async () => {
    const before = h.orchestrator.getSession()?.accessToken;
    h.hub.expireTokens();

    // search needs no token; the definitions list does, so it is the one call that meets the 401.
    const result = await h.orchestrator.searchAndTriggerWorkflows('quarterly report');

    expect(result.success).toBe(true);
    expect(result.data?.workflowsTriggered.map((w) => w.definition_id).sort()).toEqual(
      [SEED.definitions.searchResultsReview.id, SEED.definitions.searchDigest.id].sort(),
    );
    const lists = h.hub.requestsTo('workflow', 'GET', '/api/v1/definitions');
    expect(lists.map((r) => [r.status, r.authorized])).toEqual([
      [401, false],
      [200, true],
    ]);
    const refreshes = h.hub.requestsTo('identity', 'POST', '/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ status: 200, body: { refresh_token: '[redacted]' } });
    expect(indexOf(h.hub, lists[0])).toBeLessThan(indexOf(h.hub, refreshes[0]));
    expect(indexOf(h.hub, refreshes[0])).toBeLessThan(indexOf(h.hub, lists[1]));
    const starts = h.hub.requestsTo('workflow', 'POST', WORKFLOWS);
    expect(starts).toHaveLength(2);
    expect(starts.every((r) => r.status === 200 && r.authorized)).toBe(true);
    const after = h.orchestrator.getSession()?.accessToken;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(ofType(h.events, 'operation_retry')).toHaveLength(0);
  });

  it('row 7: calls that meet a 401 at once share one refresh', async () => {
    // The refresh is slowed down so that both parallel calls' 401s arrive while it is in flight.
    h.hub.inject('identity', { method: 'POST', path: '/auth/refresh', faults: [{ kind: 'latency', ms: 50 }] });
    h.hub.expireTokens();

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result.success).toBe(true);
    expect(statuses(h.hub.requestsTo('identity', 'POST', '/auth/refresh'))).toEqual([200]);
    for (const [service, path] of [
      ['content', DOCUMENT],
      ['workflow', DEFINITION],
    ] as const) {
      expect(h.hub.requestsTo(service, 'GET', path).map((r) => [r.status, r.authorized])).toEqual([
        [401, false],
        [200, true],
      ]);
    }
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS).map((r) => [r.status, r.authorized])).toEqual([[200, true]]);
  });

  it('row 7 (upstream): refresh answers 404, so a 401 is an auth failure and refresh is not tried again', async () => {
    h.hub.setMode('upstream');
    h.hub.expireTokens();

    const first = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email]);
    expect(first).toMatchObject({ success: false, details: { step: 'get document', code: 'auth', status: 401 } });
    const refreshes = h.hub.requestsTo('identity', 'POST', '/auth/refresh');
    expect(statuses(refreshes)).toEqual([404]);

    const second = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email]);
    expect(second).toMatchObject({ success: false, details: { step: 'get document', code: 'auth', status: 401 } });

    expect(h.hub.requestsTo('identity', 'POST', '/auth/refresh')).toHaveLength(1);
    // One 401 per operation: an auth failure is neither retried nor repeated after the failed refresh.
    expect(statuses(h.hub.requestsTo('content', 'GET', DOCUMENT))).toEqual([401, 401]);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
    expect(ofType(h.events, 'operation_retry')).toHaveLength(0);
  });
});

describe('fault matrix: Retry-After', () => {
  // Honouring Retry-After needs at least one retry, room for the wait (Retry-After is bounded by maxRetryAfter,
  // 60 s by default; maxRetryDelay is set above it too) and a per-attempt timeout longer than the answer takes.
  const h = useHarness({ enableBatching: false, retryAttempts: 2, maxRetryDelay: 5_000, timeout: 2_000 });

  it('row 2: a 429 with Retry-After: 0.3 is retried after the 300 ms the server asked for', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 429, retryAfter: '0.3' }] });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result.success).toBe(true);
    const attempts = h.hub.requestsTo('content', 'GET', DOCUMENT);
    expect(statuses(attempts)).toEqual([429, 200]);
    const [first, second] = attempts as [HubRequest, HubRequest];
    // The harness's backoff is 5 ms: only the server's Retry-After explains a wait this long.
    expect(second.at - first.at).toBeGreaterThanOrEqual(290);
    const retries = ofType(h.events, 'operation_retry');
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, delay: 300, service: 'content', endpoint: `GET ${DOCUMENT}` })]);
    expect(retries[0]?.error).toMatch(/HTTP 429/);
  });
});

describe('fault matrix: hang with a short timeout', () => {
  const h = useHarness({ enableBatching: false, timeout: 200, retryAttempts: 1 });

  it('row 4: a hung request times out per attempt, is retried once, then fails with timeout', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'hang' }], repeat: true });

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result).toMatchObject({
      success: false,
      details: { step: 'get document', code: 'timeout', service: 'content', endpoint: `GET ${DOCUMENT}`, attempts: 2 },
    });
    expect(result.error).toMatch(/content GET \/api\/v1\/documents\/\{id\} failed with timeout/);
    expect(result.error).toMatch(/200 ms/);
    const attempts = h.hub.requestsTo('content', 'GET', DOCUMENT);
    expect(statuses(attempts)).toEqual([null, null]);
    expect(ofType(h.events, 'operation_retry')).toEqual([expect.objectContaining({ attempt: 1, service: 'content' })]);
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS)).toHaveLength(0);
  });
});

describe('fault matrix: a stopped service and its circuit', () => {
  const h = useHarness({ enableBatching: false, retryAttempts: 0, circuitBreaker: { failureThreshold: 3, resetTimeout: 60_000 } });
  // reset() leaves a stopped service stopped: bring it back for the next test.
  afterEach(() => h.hub.startService('workflow'));

  it('row 8: the health check reports workflow unhealthy, with one change event across identical checks', async () => {
    await h.hub.stopService('workflow');

    const health = await h.orchestrator.performHealthCheck();
    expect(health.workflow.status).toBe('unhealthy');
    expect(health.workflow.error).toMatch(/network/);
    expect([health.identity.status, health.content.status, health.communication.status]).toEqual(['healthy', 'healthy', 'healthy']);
    expect(health.overall).toBe('degraded');
    const again = await h.orchestrator.performHealthCheck();
    expect(again.workflow.status).toBe('unhealthy');

    const changes = ofType(h.events, 'service_health_change').filter((event) => event.service === 'workflow');
    expect(changes).toEqual([expect.objectContaining({ previous: 'unknown', current: 'unhealthy' })]);
    expect(h.orchestrator.getMetrics().serviceAvailability.workflow).toBe(false);
    // A refused connection never reaches the hub's log; the other three answered both checks.
    expect(h.hub.requestsTo('workflow')).toHaveLength(0);
    expect(statuses(h.hub.requestsTo('content', 'GET', '/health'))).toEqual([200, 200]);
  });

  it('row 8: calls fail with network errors until the circuit opens, then fail fast without a connection', async () => {
    await h.hub.stopService('workflow');
    const circuit = () => ofType(h.events, 'circuit_state_change').filter((event) => event.service === 'workflow');

    for (let call = 1; call <= 3; call += 1) {
      const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);
      expect(result).toMatchObject({
        success: false,
        details: { step: 'get workflow definition', code: 'network', service: 'workflow', endpoint: `GET ${DEFINITION}` },
      });
      expect(h.orchestrator.getMetrics().services.workflow.requests).toBe(call);
      expect(circuit()).toHaveLength(call < 3 ? 0 : 1);
    }
    expect(circuit()).toEqual([expect.objectContaining({ previous: 'closed', current: 'open' })]);

    for (let call = 0; call < 2; call += 1) {
      const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);
      expect(result).toMatchObject({
        success: false,
        details: { step: 'get workflow definition', code: 'circuit_open', service: 'workflow' },
      });
      expect(result.error).toMatch(/circuit is open/);
    }
    // No attempt was counted (the guard rejects before anything is sent), and the circuit did not move.
    expect(h.orchestrator.getMetrics().services.workflow.requests).toBe(3);
    expect(circuit()).toHaveLength(1);
    expect(h.hub.requestsTo('workflow')).toHaveLength(0);

    // Even with the service back, the circuit stays open until resetTimeout: still no request.
    await h.hub.startService('workflow');
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);
    expect(result).toMatchObject({ success: false, details: { code: 'circuit_open' } });
    expect(h.hub.requestsTo('workflow')).toHaveLength(0);
    expect(h.orchestrator.getMetrics().services.workflow.requests).toBe(3);
  });
});

describe('fault matrix: the circuit closes again after a successful probe', () => {
  // The breakers' clock, moved by the test: the open period elapses without a wait.
  let now = 0;
  const h = useHarness({
    enableBatching: false,
    retryAttempts: 0,
    circuitBreaker: { failureThreshold: 3, resetTimeout: 30_000 },
    clock: () => now,
  });
  afterEach(() => h.hub.startService('workflow'));

  it('row 8: after resetTimeout one probe goes through and closes the circuit', async () => {
    await h.hub.stopService('workflow');
    for (let call = 0; call < 3; call += 1) {
      expect(await h.orchestrator.processDocumentWithAI(doc.id, ai.id)).toMatchObject({ details: { code: 'network' } });
    }
    expect(ofType(h.events, 'circuit_state_change').map((e) => [e.previous, e.current])).toEqual([['closed', 'open']]);

    await h.hub.startService('workflow');
    now += 29_999;
    expect(await h.orchestrator.processDocumentWithAI(doc.id, ai.id)).toMatchObject({ details: { code: 'circuit_open' } });
    now += 1;
    h.hub.clearRequests();

    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);

    expect(result.success).toBe(true);
    expect(ofType(h.events, 'circuit_state_change').map((e) => [e.service, e.previous, e.current])).toEqual([
      ['workflow', 'closed', 'open'],
      ['workflow', 'open', 'half_open'],
      ['workflow', 'half_open', 'closed'],
    ]);
    // The probe was the definition request; the start that followed went through a closed circuit.
    expect(statuses(h.hub.requestsTo('workflow', 'GET', DEFINITION))).toEqual([200]);
    expect(statuses(h.hub.requestsTo('workflow', 'POST', WORKFLOWS))).toEqual([200]);
    expect(h.orchestrator.getMetrics().services.workflow.requests).toBe(3 + 2);
  });
});

describe('fault matrix: upstream mode', () => {
  const h = useHarness({ enableBatching: true, batchWindow: 5 });

  it('row 9: searchAndTriggerWorkflows fails with unsupported on the search stub', async () => {
    h.hub.setMode('upstream');

    const result = await h.orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id]);

    expect(result).toMatchObject({
      success: false,
      details: { step: 'search', code: 'unsupported', service: 'content', endpoint: 'GET /api/v1/search' },
    });
    expect(result.error).toMatch(/content GET \/api\/v1\/search failed with unsupported/);
    expect(result.error).toMatch(/not serve|stub/i);
    const searches = h.hub.requestsTo('content', 'GET', '/api/v1/search');
    expect(statuses(searches)).toEqual([200]);
    expect(searches[0]?.query).toMatchObject({ q: 'quarterly report' });
    // The definitions were listed alongside the search; no workflow was started.
    expect(h.hub.requestsTo('workflow', 'POST')).toHaveLength(0);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('row 9: setupCollaborativeWorkspace fails at create conversation with unsupported (405)', async () => {
    h.hub.setMode('upstream');

    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email, bob.email]);

    expect(result).toMatchObject({
      success: false,
      details: {
        step: 'create conversation',
        code: 'unsupported',
        status: 405,
        service: 'communication',
        endpoint: 'POST /api/v1/conversations',
      },
    });
    expect(result.error).toMatch(/not serve/);
    const creates = h.hub.requestsTo('communication', 'POST', '/api/v1/conversations');
    expect(statuses(creates)).toEqual([405]);
    expect(creates[0]?.body).toMatchObject({ title: `Collaboration: ${doc.title}`, type: 'group' });
    expect([...((creates[0]?.body as { participant_ids: string[] }).participant_ids ?? [])].sort()).toEqual([alice.id, bob.id].sort());
    expect(h.hub.requestsTo('communication', 'POST', NOTIFICATIONS)).toHaveLength(0);
    expect(h.hub.requestsTo('communication', 'POST', BULK)).toHaveLength(0);
  });

  it('row 9: notifications fall back from bulk (404) to single posts, and later batches skip bulk', async () => {
    // A Hub without the bulk route: the published one has it (it answers 500), so the 404 is injected.
    h.hub.inject('communication', { method: 'POST', path: BULK, faults: [{ kind: 'status', status: 404, body: { detail: 'Not Found' } }] });
    const recipients = [alice.id, bob.id, carol.id];

    const first = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, recipients);

    expect(first.success).toBe(true);
    expect(first.serviceErrors).toBeUndefined();
    expect(first.data?.notifications.map((n) => n.recipient).sort()).toEqual([...recipients].sort());
    expect(first.data?.notifications.every((n) => n.batched === false && typeof n.notificationId === 'string')).toBe(true);
    const bulk = h.hub.requestsTo('communication', 'POST', BULK);
    expect(statuses(bulk)).toEqual([404]);
    expect((bulk[0]?.body as Array<{ to: string }>).map((item) => item.to).sort()).toEqual([...recipients].sort());
    const singles = h.hub.requestsTo('communication', 'POST', NOTIFICATIONS);
    expect(statuses(singles)).toEqual([200, 200, 200]);
    expect(singles.map((r) => (r.body as { to: string }).to).sort()).toEqual([...recipients].sort());
    expect(singles.every((r) => indexOf(h.hub, r) > indexOf(h.hub, bulk[0]))).toBe(true);

    const second = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, recipients);

    expect(second.success).toBe(true);
    expect(second.data?.notifications).toHaveLength(3);
    expect(h.hub.requestsTo('communication', 'POST', BULK)).toHaveLength(1);
    expect(statuses(h.hub.requestsTo('communication', 'POST', NOTIFICATIONS))).toEqual([200, 200, 200, 200, 200, 200]);
    expect(ofType(h.events, 'batch_flush').map((e) => e.size)).toEqual([3, 3]);
  });

  it('row 9: onboarding succeeds upstream: templates filtered client-side, no onboarding workflows', async () => {
    h.hub.setMode('upstream');

    const result = await h.orchestrator.onboardNewUser({
      email: 'new.hire@hub.local',
      password: 'NewHirePass123!',
      first_name: 'New',
      last_name: 'Hire',
    });

    expect(result.success).toBe(true);
    expect(result.details).toMatchObject({ partial: true });
    const templates = [SEED.documents.quarterlyReportTemplate.id, SEED.documents.contractTemplate.id, SEED.documents.onboardingGuide.id];
    expect(result.data?.defaultDocuments.map((d) => d.id).sort()).toEqual([...templates].sort());
    expect(result.data?.defaultDocuments.every((d) => d.tags.includes('template'))).toBe(true);
    const lists = h.hub.requestsTo('content', 'GET', '/api/v1/documents');
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ status: 200, query: { tag: 'template' } });

    expect(result.data?.initialWorkflows).toEqual([]);
    expect(result.serviceErrors?.workflow).toMatch(/unsupported/);
    expect(statuses(h.hub.requestsTo('workflow', 'GET', '/api/v1/definitions'))).toEqual([200]);
    expect(h.hub.requestsTo('workflow', 'POST', WORKFLOWS)).toHaveLength(0);

    // A lone notification goes as a single post, which the published service answers with its plain-text 500.
    expect(result.data?.welcomeNotification).toBeNull();
    expect(result.serviceErrors?.communication).toMatch(
      /POST \/api\/v1\/notifications failed with http \(HTTP 500\): Internal Server Error/,
    );
    expect(statuses(h.hub.requestsTo('communication', 'POST', NOTIFICATIONS))).toEqual([500]);
    expect(h.hub.requestsTo('communication', 'POST', BULK)).toHaveLength(0);
  });
});

describe('fault matrix: bulk fall-back with a caller gone', () => {
  // Batches form while another is in flight, and go when it ends: never by the clock.
  const h = useHarness({ enableBatching: true, batchWindow: 60_000 });

  it('row 9: after a bulk 404 only the notifications somebody still waits for go out as single posts', async () => {
    // A first notification that hangs keeps the batcher busy, so that the next two operations' notifications gather into one bulk.
    h.hub.inject('communication', { method: 'POST', path: NOTIFICATIONS, faults: [{ kind: 'hang' }] });
    h.hub.inject('communication', { method: 'POST', path: BULK, faults: [{ kind: 'status', status: 404, body: { detail: 'Not Found' } }] });
    const holding = new AbortController();
    const holder = h.orchestrator.processDocumentWithAI(doc.id, ai.id, [demo.id], { signal: holding.signal });
    await h.hub.waitForRequest('communication', 'POST', NOTIFICATIONS);
    // Long enough to abort the first operation while its bulk request is on the way.
    h.hub.setLatency('communication', 150);
    const controller = new AbortController();

    const started = (operationId: string): boolean =>
      h.events.some((e) => e.type === 'operation_step' && e.step === 'start workflow' && e.operationId === operationId);
    const leaving = h.orchestrator.processDocumentWithAI(doc.id, ai.id, [alice.id, bob.id], { signal: controller.signal });
    const staying = h.orchestrator.processDocumentWithAI(doc.id, ai.id, [carol.id]);
    // Once both have started their workflow, their notifications are held behind the hanging one.
    const ids = h.events.filter((e) => e.type === 'operation_start').map((e) => e.operationId);
    const bothStarted = (): boolean => ids.slice(1).every(started);
    if (!bothStarted()) await firstValueFrom(h.orchestrator.events$.pipe(filter(bothStarted)));
    holding.abort();
    await holder;
    await h.hub.waitForRequest('communication', 'POST', BULK);
    controller.abort();
    const [left, stayed] = await Promise.all([leaving, staying]);

    expect(left.success).toBe(false);
    expect(stayed.success).toBe(true);
    expect(stayed.data?.notifications).toMatchObject([{ recipient: carol.id, batched: false }]);
    const bulk = h.hub.requestsTo('communication', 'POST', BULK);
    expect(statuses(bulk)).toEqual([404]);
    expect((bulk[0]?.body as Array<{ to: string }>).map((item) => item.to).sort()).toEqual([alice.id, bob.id, carol.id].sort());
    const singles = h.hub.requestsTo('communication', 'POST', NOTIFICATIONS);
    // The hanging one, then carol's alone.
    expect(singles.map((request) => (request.body as { to: string }).to)).toEqual([demo.id, carol.id]);
  });
});
