import { firstValueFrom } from 'rxjs';
import { SEED } from '../../src/simulator';
import { nextEvent, seenEvent, UNKNOWN_ID, useHarness } from './support';

const doc = SEED.documents.quarterlyReport;
const ai = SEED.definitions.aiProcessing;
const users = [SEED.users.alice.id, SEED.users.bob.id];

describe('processDocumentWithAI over real sockets', () => {
  const h = useHarness({ enableBatching: false });

  it('gets the document and the definition, starts the workflow on the document and notifies each user', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, users);
    expect(result.success).toBe(true);
    expect(result.serviceErrors).toBeUndefined();
    expect(result.data?.document.id).toBe(doc.id);
    expect(result.data?.workflow.id).toBe(ai.id);
    expect(result.data?.execution).toMatchObject({ definition_id: ai.id, entity_id: doc.id, status: 'active' });
    // `execution.id` (the seed's name) is the started instance's id: the Hub knows it by that id.
    const execution = result.data!.execution;
    expect(execution.id).toBe(execution.workflow_id);
    const status = await firstValueFrom(h.orchestrator.clients.workflow.getWorkflowStatus$(execution.id));
    expect(status.instance_id).toBe(execution.id);
    expect(result.data?.notifications.map((n) => n.recipient).sort()).toEqual([...users].sort());
    const [start] = h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows');
    expect(start?.body).toMatchObject({
      definition_id: ai.id,
      entity_id: doc.id,
      context: { document_id: doc.id, document_title: doc.title },
    });
    expect(h.hub.requestsTo('communication', 'POST', '/api/v1/notifications')).toHaveLength(2);
    expect(h.events.map((e) => e.type)).toContain('operation_complete');
  });

  it('asks for the document and the definition in parallel', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents/{id}', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.processDocumentWithAI(doc.id, ai.id, [], { signal: controller.signal });
    // The definition is fetched while the document request hangs: only a parallel step can do that.
    await seenEvent(h, 'operation_step', (e) => e.step === 'get workflow definition' && e.outcome === 'ok');
    expect(h.hub.requestsTo('content', 'GET', '/api/v1/documents/{id}')).toHaveLength(1);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ success: false, details: { code: 'aborted' } });
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
  });

  it('fails at the critical document step with the status, and starts nothing', async () => {
    const result = await h.orchestrator.processDocumentWithAI(UNKNOWN_ID, ai.id, users);
    expect(result).toMatchObject({ success: false, details: { step: 'get document', service: 'content', status: 404, code: 'http' } });
    expect(result.error).toMatch(/get document failed: content GET \/api\/v1\/documents\/\{id\}/);
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
    expect(h.events.find((e) => e.type === 'operation_error')).toMatchObject({ step: 'get document', code: 'step_failed' });
  });

  it('refuses an inactive definition without starting it', async () => {
    const result = await h.orchestrator.processDocumentWithAI(doc.id, SEED.definitions.inactive.id);
    expect(result).toMatchObject({ success: false, details: { step: 'get workflow definition' } });
    expect(result.error).toMatch(/not active/);
    expect(h.hub.requestsTo('workflow', 'POST', '/api/v1/workflows')).toHaveLength(0);
  });

  it('fails when starting the workflow fails, and notifies nobody', async () => {
    h.hub.inject('workflow', {
      method: 'POST',
      path: '/api/v1/workflows',
      faults: [{ kind: 'status', status: 400, body: { detail: 'Definition not found or inactive' } }],
    });
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, users);
    expect(result).toMatchObject({ success: false, details: { step: 'start workflow', status: 400 } });
    expect(result.error).toMatch(/Definition not found or inactive/);
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('still succeeds when a notification fails, with the failure in serviceErrors', async () => {
    h.hub.inject('communication', {
      method: 'POST',
      path: '/api/v1/notifications',
      faults: [{ kind: 'status', status: 400, body: { detail: 'Recipient unknown' } }],
    });
    const result = await h.orchestrator.processDocumentWithAI(doc.id, ai.id, users);
    expect(result.success).toBe(true);
    expect(result.details).toMatchObject({ partial: true });
    expect(result.serviceErrors?.communication).toMatch(/Recipient unknown/);
    expect(result.data?.notifications).toHaveLength(1);
    expect(result.data?.execution.entity_id).toBe(doc.id);
  });

  it('rejects invalid input before any request', async () => {
    for (const [documentId, workflowId, notify] of [
      ['document-id-123', ai.id, []],
      [doc.id, 'not-a-uuid', []],
      [doc.id, ai.id, ['']],
      [doc.id, ai.id, ['user-1']],
    ] as const) {
      const result = await h.orchestrator.processDocumentWithAI(documentId, workflowId, [...notify]);
      expect(result).toMatchObject({ success: false, details: { code: 'invalid_input' } });
      expect((result.details?.issues as unknown[]).length).toBeGreaterThan(0);
    }
    expect(h.hub.requests).toHaveLength(0);
  });

  it('aborts its requests when the $ form is unsubscribed', async () => {
    h.hub.inject('workflow', { method: 'POST', path: '/api/v1/workflows', faults: [{ kind: 'hang' }] });
    const subscription = h.orchestrator.processDocumentWithAI$(doc.id, ai.id, users).subscribe();
    await seenEvent(h, 'operation_step', (e) => e.step === 'get workflow definition');
    await h.hub.waitForRequest('workflow', 'POST', '/api/v1/workflows');
    const error = nextEvent(h.orchestrator, 'operation_error');
    subscription.unsubscribe();
    expect(await error).toMatchObject({ code: 'aborted', operation: 'processDocumentWithAI' });
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });
});
