import type { OrchestratorEvent } from '../../src';
import { SEED } from '../../src/simulator';
import { useHarness } from './support';

const doc = SEED.documents.quarterlyReport.id;
const ai = SEED.definitions.aiProcessing.id;
const DOCUMENT = '/api/v1/documents/{id}';

const ofType = <T extends OrchestratorEvent['type']>(events: OrchestratorEvent[], type: T) =>
  events.filter((event): event is Extract<OrchestratorEvent, { type: T }> => event.type === type);

describe('retry budget', () => {
  // A floor of one retry per 10 s and nothing earned from requests: the second retry is refused.
  const h = useHarness({ retryAttempts: 3, retryBudget: { ratio: 0, minRetriesPerSecond: 0.1, windowMs: 10_000 } });

  it('once a service has spent its retries, its failures pass through at once, saying why, across operations', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }], repeat: true });

    const first = await h.orchestrator.processDocumentWithAI(doc, ai);
    expect(first).toMatchObject({
      success: false,
      details: { code: 'http', status: 503, attempts: 2, notRetried: 'retry_budget_exhausted' },
    });
    // The first attempt and the one retry the budget had; not the three retryAttempts allows.
    expect(h.hub.requestsTo('content', 'GET', DOCUMENT)).toHaveLength(2);

    const second = await h.orchestrator.processDocumentWithAI(doc, ai);
    expect(second).toMatchObject({ success: false, details: { attempts: 1, notRetried: 'retry_budget_exhausted' } });
    expect(h.hub.requestsTo('content', 'GET', DOCUMENT)).toHaveLength(3);

    expect(ofType(h.events, 'operation_retry')).toHaveLength(1);
    const refused = ofType(h.events, 'retry_budget_exhausted');
    expect(refused).toEqual([
      expect.objectContaining({ service: 'content', endpoint: `GET ${DOCUMENT}`, attempt: 2, operation: 'processDocumentWithAI' }),
      expect.objectContaining({ service: 'content', attempt: 1 }),
    ]);
    expect(refused[0]?.budget).toEqual({ requests: 1, retries: 1, allowed: 1 });
    expect(h.logs.some((line) => line.startsWith('warn [orchestrator] retry_budget_exhausted processDocumentWithAI'))).toBe(true);
  });

  it('keeps each service its own budget: another service still retries', async () => {
    const outage = h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }], repeat: true });
    await h.orchestrator.processDocumentWithAI(doc, ai);
    expect(ofType(h.events, 'retry_budget_exhausted')).toHaveLength(1);
    outage.remove();
    h.hub.inject('workflow', { method: 'GET', path: '/api/v1/definitions/{id}', faults: [{ kind: 'status', status: 503 }] });
    const result = await h.orchestrator.processDocumentWithAI(doc, ai);
    expect(result.success).toBe(true);
    expect(ofType(h.events, 'operation_retry').filter((event) => event.service === 'workflow')).toHaveLength(1);
    expect(ofType(h.events, 'retry_budget_exhausted')).toHaveLength(1);
  });
});

describe('retry budget turned off', () => {
  const h = useHarness({ retryAttempts: 3, retryBudget: { enabled: false, ratio: 0, minRetriesPerSecond: 0 } });

  it('retries every failure retryAttempts times, and reports no budget', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }], repeat: true });
    const result = await h.orchestrator.processDocumentWithAI(doc, ai);
    expect(result).toMatchObject({ success: false, details: { attempts: 4 } });
    expect(result.details).not.toHaveProperty('notRetried');
    expect(h.hub.requestsTo('content', 'GET', DOCUMENT)).toHaveLength(4);
    expect(ofType(h.events, 'retry_budget_exhausted')).toEqual([]);
  });
});
