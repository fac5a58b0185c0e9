import { SEED } from '../../src/simulator';
import { nextEvent, seenEvent, UNKNOWN_ID, useHarness } from './support';

const doc = SEED.documents.serviceContract;
const template = SEED.definitions.collaborationTemplate;
const { alice, bob } = SEED.users;

describe('setupCollaborativeWorkspace over real sockets', () => {
  const h = useHarness({ enableBatching: false });

  it('resolves the participants, creates the group conversation, notifies everyone and starts the template', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email, bob.email, 'guest@example.org'], template.id);
    expect(result.success).toBe(true);
    const data = result.data!;
    expect(data.conversation).toMatchObject({ title: `Collaboration: ${doc.title}`, type: 'group' });
    expect([...data.conversation.participant_ids].sort()).toEqual([alice.id, bob.id].sort());
    expect(data.participants.map((u) => u.email).sort()).toEqual([alice.email, bob.email].sort());
    expect(result.details).toMatchObject({ unresolved: ['guest@example.org'] });
    const sent = h.hub.requestsTo('communication', 'POST', '/api/v1/notifications').map((r) => r.body as { type: string; to: string });
    expect(sent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'in_app', to: alice.id }),
        expect.objectContaining({ type: 'in_app', to: bob.id }),
        expect.objectContaining({ type: 'email', to: 'guest@example.org' }),
      ]),
    );
    expect(data.notifications).toHaveLength(3);
    expect(data.workflow).toMatchObject({ definition_id: template.id, entity_id: doc.id });
  });

  it('creates the conversation without waiting for the template, which only the workflow needs', async () => {
    h.hub.inject('workflow', { method: 'GET', path: '/api/v1/definitions/{id}', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email], template.id, { signal: controller.signal });
    await h.hub.waitForRequest('communication', 'POST', '/api/v1/conversations');
    await seenEvent(h, 'operation_step', (e) => e.step === 'create conversation' && e.outcome === 'ok');
    // The template request is still unanswered, and the notification went out meanwhile.
    expect(h.hub.requestsTo('workflow', 'GET', '/api/v1/definitions/{id}').map((r) => r.status)).toEqual([null]);
    await h.hub.waitForRequest('communication', 'POST', '/api/v1/notifications');
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
  });

  it('fetches the document, the participants and the template in parallel', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email], template.id, { signal: controller.signal });
    await seenEvent(h, 'operation_step', (e) => e.step === 'get workflow template' && e.outcome === 'ok');
    await seenEvent(h, 'operation_step', (e) => e.step === 'resolve participant' && e.outcome === 'ok');
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('fails without the document, and creates no conversation', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(UNKNOWN_ID, [alice.email]);
    expect(result).toMatchObject({ success: false, details: { step: 'get document', status: 404 } });
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('fails when the conversation cannot be created', async () => {
    h.hub.inject('communication', {
      method: 'POST',
      path: '/api/v1/conversations',
      faults: [{ kind: 'status', status: 400, body: { detail: 'Too many participants' } }],
    });
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email], template.id);
    expect(result).toMatchObject({ success: false, details: { step: 'create conversation', status: 400 } });
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
  });

  it('treats a failed lookup as an unresolved participant, still reached by email', async () => {
    h.hub.inject('identity', { method: 'GET', path: '/users', faults: [{ kind: 'status', status: 400, body: { detail: 'Bad query' } }] });
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email, bob.email]);
    expect(result.success).toBe(true);
    expect(result.details).toMatchObject({ partial: true });
    expect(result.serviceErrors?.identity).toMatch(/Bad query/);
    expect(result.data?.participants).toHaveLength(1);
    expect((result.details?.unresolved as string[]).length).toBe(1);
    expect(result.data?.workflow).toBeNull();
  });

  it('succeeds without the template when starting it fails', async () => {
    h.hub.inject('workflow', { method: 'POST', path: '/api/v1/workflows', faults: [{ kind: 'status', status: 503 }], repeat: true });
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email], template.id);
    expect(result.success).toBe(true);
    expect(result.data?.workflow).toBeNull();
    expect(result.serviceErrors?.workflow).toMatch(/503/);
    // A workflow start is a POST that is not idempotent: never repeated.
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(1);
  });

  it('rejects invalid input before any request', async () => {
    for (const [documentId, emails, tpl] of [
      [doc.id, [], undefined],
      [doc.id, ['not-an-email'], undefined],
      ['nope', [alice.email], undefined],
      [doc.id, [alice.email], 'template-slug'],
    ] as const) {
      const result = await h.orchestrator.setupCollaborativeWorkspace(documentId, [...emails], tpl);
      expect(result).toMatchObject({ success: false, details: { code: 'invalid_input' } });
    }
    expect(h.hub.requests).toHaveLength(0);
  });

  it('aborts when the $ form is unsubscribed', async () => {
    h.hub.inject('communication', { method: 'POST', path: '/api/v1/conversations', faults: [{ kind: 'hang' }] });
    const subscription = h.orchestrator.setupCollaborativeWorkspace$(doc.id, [alice.email]).subscribe();
    await seenEvent(h, 'operation_step', (e) => e.step === 'get document');
    const error = nextEvent(h.orchestrator, 'operation_error');
    subscription.unsubscribe();
    expect(await error).toMatchObject({ code: 'aborted', operation: 'setupCollaborativeWorkspace' });
  });

  it('does not start an inactive template, and says so in serviceErrors', async () => {
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [alice.email], SEED.definitions.inactive.id);
    expect(result.success).toBe(true);
    expect(result.data?.workflow).toBeNull();
    expect(result.serviceErrors?.workflow).toMatch(/not active/);
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
  });

  it('looks up a long participant list eight at a time', async () => {
    h.hub.inject('identity', { method: 'GET', path: '/users', faults: [{ kind: 'hang' }], repeat: true });
    const guests = Array.from({ length: 20 }, (_, i) => `guest${i}@example.org`);
    const controller = new AbortController();
    const before = h.orchestrator.getMetrics().services.identity.requests; // the harness's sign-in
    const pending = h.orchestrator.setupCollaborativeWorkspace(doc.id, guests, undefined, { signal: controller.signal });
    // The lookups start as the operation does: eight of them, the rest wait for a free place.
    expect(h.orchestrator.getMetrics().services.identity.requests - before).toBe(8);
    // Aborted in the same turn, before any I/O: none of them reached the wire, and none stays counted.
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
    expect(h.orchestrator.getMetrics().services.identity.requests - before).toBe(0);
    expect(h.hub.requestsTo('identity', 'GET', '/users')).toHaveLength(0);
  });

  it('keeps the order of the list in participants and unresolved', async () => {
    const guests = Array.from({ length: 20 }, (_, i) => `guest${i}@example.org`);
    const result = await h.orchestrator.setupCollaborativeWorkspace(doc.id, [bob.email, ...guests, alice.email]);
    expect(result.data?.participants.map((u) => u.email)).toEqual([bob.email, alice.email]);
    expect(result.details?.unresolved).toEqual(guests);
    expect(h.hub.requestsTo('identity', 'GET', '/users')).toHaveLength(22);
  });
});
