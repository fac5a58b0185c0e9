import { createServiceOrchestrator, type FetchFunction, type OrchestratorConfig } from '../../src';
import { SEED, startHub, type Hub } from '../../src/simulator';

// The fetch transport (what a browser build sends with) against the simulator over real sockets:
// the seed's operations send the same requests and come back with the same results as with axios,
// the Node default.

const { demo, alice, bob } = SEED.users;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g;

/** What may differ from one run to the next: ids and times the simulator makes, tokens, durations. */
function comparable(value: unknown): unknown {
  const text = JSON.stringify(value, (key, inner: unknown) =>
    /token|duration|ms$/i.test(key) && (typeof inner === 'string' || typeof inner === 'number') ? '<varies>' : inner,
  );
  return JSON.parse(text.replace(UUID, '<id>').replace(TIME, '<time>')) as unknown;
}

/** The platform's fetch, counting the requests it sends: proof that it, and not axios, sent them. */
function countingFetch(): { fetch: FetchFunction; sent: () => number } {
  let sent = 0;
  return {
    fetch: (input, init) => {
      sent += 1;
      return globalThis.fetch(input, init);
    },
    sent: () => sent,
  };
}

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.close());

/** The seed's operations, one after another on a fresh simulator; what came back and what the simulator heard. */
async function runSeed(config: OrchestratorConfig): Promise<{ results: unknown[]; requests: string[] }> {
  hub.reset();
  const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false, retryDelay: 5, ...config });
  try {
    const results: unknown[] = [];
    results.push(await orchestrator.signIn(demo.email, demo.password));
    results.push(
      await orchestrator.processDocumentWithAI(SEED.documents.quarterlyReport.id, SEED.definitions.aiProcessing.id, [alice.id, bob.id]),
    );
    results.push(await orchestrator.searchAndTriggerWorkflows('quarterly report'));
    results.push(
      await orchestrator.setupCollaborativeWorkspace(
        SEED.documents.serviceContract.id,
        [alice.email, bob.email],
        SEED.definitions.collaborationTemplate.id,
      ),
    );
    results.push(
      await orchestrator.onboardNewUser({ email: 'ada@hub.local', password: 'Analytical1!', first_name: 'Ada', last_name: 'Lovelace' }),
    );
    results.push(await orchestrator.processDocumentWithAI('99999999-0000-4000-8000-000000000099', SEED.definitions.aiProcessing.id));
    const requests = hub.requests.map(
      (r) => `${r.service} ${r.method} ${r.path} ${JSON.stringify(r.query)} → ${r.status} ${JSON.stringify(r.body)}`,
    );
    return { results, requests: (comparable(requests) as string[]).sort() };
  } finally {
    orchestrator.dispose();
  }
}

describe('the seed operations with the fetch transport', () => {
  it('send the same requests as with axios and come back with the same results', async () => {
    const viaAxios = await runSeed({});
    const counting = countingFetch();
    const viaFetch = await runSeed({ fetch: counting.fetch });
    expect(counting.sent()).toBe(viaFetch.requests.length);
    expect(viaAxios.requests.length).toBeGreaterThan(20);
    expect(viaFetch.requests).toEqual(viaAxios.requests);
    expect(comparable(viaFetch.results)).toEqual(comparable(viaAxios.results));
    // Every operation but the last (an unknown document) succeeded.
    expect((viaFetch.results as { success?: boolean }[]).map((result) => result.success)).toEqual([true, true, true, true, true, false]);
  });

  it('health checks reach every service', async () => {
    hub.reset();
    const counting = countingFetch();
    const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false, fetch: counting.fetch });
    try {
      const health = await orchestrator.performHealthCheck();
      expect(health.overall).toBe('healthy');
      expect(
        hub.requests
          .filter((r) => r.path === '/health')
          .map((r) => r.service)
          .sort(),
      ).toEqual(['communication', 'content', 'identity', 'workflow']);
      expect(counting.sent()).toBe(4);
    } finally {
      orchestrator.dispose();
    }
  });
});
