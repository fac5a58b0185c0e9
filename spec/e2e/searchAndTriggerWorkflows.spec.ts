import { SEED } from '../../src/simulator';
import { seenEvent, useHarness } from './support';

const alice = SEED.users.alice.id;

describe('searchAndTriggerWorkflows over real sockets', () => {
  const h = useHarness({ enableBatching: false });

  it('searches, keeps the top five, starts every active search_results workflow and tells each user', async () => {
    const result = await h.orchestrator.searchAndTriggerWorkflows('onboarding', true, [alice]);
    expect(result.success).toBe(true);
    const data = result.data!;
    expect(data.searchResults.query).toBe('onboarding');
    expect(data.searchResults.total).toBeGreaterThan(0);
    expect(data.relevantDocuments).toEqual(data.searchResults.documents.slice(0, 5));
    expect(data.workflowsTriggered.map((w) => w.definition_id).sort()).toEqual(
      [SEED.definitions.searchResultsReview.id, SEED.definitions.searchDigest.id].sort(),
    );
    // The inactive definition is triggered by search_results too, but is never started.
    const started = h.hub
      .requestsTo('workflow', 'POST', '/api/v1/workflows')
      .map((r) => (r.body as { definition_id: string }).definition_id);
    expect(started).not.toContain(SEED.definitions.inactive.id);
    expect(data.notificationsSent).toHaveLength(1);
    const [notification] = h.hub.requestsTo('communication', 'POST', '/api/v1/notifications');
    expect(notification?.body).toMatchObject({ type: 'in_app', to: alice });
    expect(String((notification?.body as { message: string }).message)).toContain(`found ${data.searchResults.total} documents`);
  });

  it('starts no workflow when asked not to, or when nothing was found', async () => {
    const without = await h.orchestrator.searchAndTriggerWorkflows('onboarding', false);
    expect(without.data?.workflowsTriggered).toEqual([]);
    expect(h.hub.requestsTo('workflow')).toHaveLength(0);
    const nothing = await h.orchestrator.searchAndTriggerWorkflows('zzzz-no-such-words', true);
    expect(nothing.data).toMatchObject({ relevantDocuments: [], workflowsTriggered: [] });
    // None was started. The list, asked for alongside the search, is dropped once the search comes back
    // empty: whether it reached the hub first is a race between two connections (the next test shows it is asked for).
    const toWorkflow = h.hub.requestsTo('workflow').map((r) => `${r.method} ${r.path}`);
    expect(toWorkflow.filter((request) => request !== 'GET /api/v1/definitions')).toEqual([]);
    expect(nothing.serviceErrors).toBeUndefined();
  });

  it('lists the search_results definitions while the search is still out: three hops, not four', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/search', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.searchAndTriggerWorkflows('onboarding', true, [], { signal: controller.signal });
    // The search hangs, yet the list arrives: it did not wait for the search.
    const listed = await h.hub.waitForRequest('workflow', 'GET', '/api/v1/definitions');
    expect(listed.query).toMatchObject({ trigger: 'search_results' });
    expect(h.events.some((e) => e.type === 'operation_step' && e.step === 'search')).toBe(false);
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
    expect(h.hub.requestsTo('workflow', 'POST')).toHaveLength(0);
  });

  it('lists the definitions once, and starts the active ones on the top result', async () => {
    const result = await h.orchestrator.searchAndTriggerWorkflows('onboarding', true);
    expect(result.data?.workflowsTriggered).toHaveLength(2);
    expect(h.hub.requestsTo('workflow', 'GET', '/api/v1/definitions')).toHaveLength(1);
    const top = result.data?.relevantDocuments[0]?.id;
    const starts = h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows');
    expect(starts.map((r) => (r.body as { entity_id: string }).entity_id)).toEqual([top, top]);
  });

  it('reports a failed list only when the search found something to start workflows on', async () => {
    h.hub.inject('workflow', { method: 'GET', path: '/api/v1/definitions', faults: [{ kind: 'status', status: 400 }], repeat: true });
    const nothing = await h.orchestrator.searchAndTriggerWorkflows('zzzz-no-such-words', true);
    expect(nothing).toMatchObject({ success: true, data: { workflowsTriggered: [] } });
    expect(nothing.serviceErrors).toBeUndefined();
    const found = await h.orchestrator.searchAndTriggerWorkflows('onboarding', true);
    expect(found).toMatchObject({ success: true, details: { partial: true }, data: { workflowsTriggered: [] } });
    expect(found.serviceErrors?.workflow).toMatch(/400/);
  });

  it('starts the triggered workflows in parallel', async () => {
    h.hub.inject('workflow', { method: 'POST', path: '/api/v1/workflows', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.searchAndTriggerWorkflows('onboarding', true, [], { signal: controller.signal });
    // One start hangs; the other still completes, which only a parallel start allows.
    await seenEvent(h, 'operation_step', (e) => e.step.startsWith('start ') && e.outcome === 'ok');
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(2);
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
  });

  it('fails when the search fails, and starts nothing', async () => {
    h.hub.inject('content', {
      method: 'GET',
      path: '/api/v1/search',
      faults: [
        { kind: 'status', status: 422, body: { detail: [{ type: 'missing', loc: ['query', 'q'], msg: 'Field required', input: null }] } },
      ],
    });
    const result = await h.orchestrator.searchAndTriggerWorkflows('report');
    expect(result).toMatchObject({ success: false, details: { step: 'search', status: 422 } });
    expect(result.error).toMatch(/query\.q: Field required/);
    // The definitions were listed alongside the search; nothing was started.
    expect(h.hub.requestsTo('workflow', 'POST')).toHaveLength(0);
    expect(result.serviceErrors).toBeUndefined();
  });

  it('succeeds when one workflow fails to start, with that failure in serviceErrors', async () => {
    h.hub.inject('workflow', {
      method: 'POST',
      path: '/api/v1/workflows',
      faults: [{ kind: 'status', status: 400, body: { detail: 'Definition is inactive' } }],
    });
    const result = await h.orchestrator.searchAndTriggerWorkflows('onboarding', true);
    expect(result.success).toBe(true);
    expect(result.details).toMatchObject({ partial: true });
    expect(result.data?.workflowsTriggered).toHaveLength(1);
    expect(result.serviceErrors?.workflow).toMatch(/Definition is inactive/);
  });

  it('rejects invalid input before any request', async () => {
    for (const [query, notify] of [
      ['', []],
      ['   ', []],
      ['ok', [42]],
    ] as const) {
      const result = await h.orchestrator.searchAndTriggerWorkflows(query, true, notify as unknown as string[]);
      expect(result).toMatchObject({ success: false, details: { code: 'invalid_input' } });
    }
    expect(h.hub.requests).toHaveLength(0);
  });

  it('cancels through the signal: the hung search is aborted and nothing else is sent', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/search', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.searchAndTriggerWorkflows('report', true, [alice], { signal: controller.signal });
    await seenEvent(h, 'operation_start');
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ success: false, details: { code: 'aborted' } });
    expect(result.error).toMatch(/cancelled/);
    expect(h.hub.requestsTo('workflow', 'POST')).toHaveLength(0);
    expect(h.events.find((e) => e.type === 'operation_error')).toMatchObject({ code: 'aborted' });
  });

  it('aborts when the $ form is unsubscribed while a workflow starts', async () => {
    h.hub.inject('workflow', { method: 'POST', path: '/api/v1/workflows', faults: [{ kind: 'hang' }], repeat: true });
    const values: unknown[] = [];
    const subscription = h.orchestrator.searchAndTriggerWorkflows$('onboarding', true, [alice]).subscribe((value) => values.push(value));
    await h.hub.waitForRequest('workflow', 'POST', '/api/v1/workflows');
    subscription.unsubscribe();
    expect(await seenEvent(h, 'operation_error')).toMatchObject({ code: 'aborted', operation: 'searchAndTriggerWorkflows' });
    expect(values).toEqual([]);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('bounds the whole operation with AbortSignal.timeout, reported as a timeout', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/search', faults: [{ kind: 'hang' }] });
    const result = await h.orchestrator.searchAndTriggerWorkflows('report', true, [], { signal: AbortSignal.timeout(50) });
    expect(result).toMatchObject({ success: false, details: { code: 'timeout' } });
    expect(result.error).toMatch(/timed out/);
    // The event says the same as the result.
    expect(h.events.find((e) => e.type === 'operation_error')).toMatchObject({ code: 'timeout' });
  });
});
