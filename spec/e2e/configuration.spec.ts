import { firstValueFrom, skip } from 'rxjs';
import {
  configureServiceOrchestrator,
  createServiceOrchestrator,
  getServiceOrchestrator,
  isOrchestratorError,
  resetServiceOrchestrator,
  serviceOrchestrator,
} from '../../src';
import { SEED, type HubRequest } from '../../src/simulator';
import { useHarness } from './support';

const doc = SEED.documents.quarterlyReport;
const ai = SEED.definitions.aiProcessing;
const DOCUMENT = '/api/v1/documents/{id}';
const statuses = (requests: readonly HubRequest[]): Array<number | null> => requests.map((request) => request.status);

function thrown(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('getConfig and updateConfig', () => {
  const h = useHarness({ enableBatching: false, retryAttempts: 0, auth: { token: 'secret-token-value' } });

  it("gives the options in the seed's names, without the credentials", () => {
    const config = h.orchestrator.getConfig();
    expect(config).toMatchObject({
      retryAttempts: 0,
      retryDelay: 5,
      timeout: 2_000,
      enableBatching: false,
      batchSize: 10,
      enableMetrics: true,
      enableLogging: true,
      logLevel: 'warn',
      services: h.hub.urls,
    });
    expect(JSON.stringify(config)).not.toContain('secret-token-value');
    // A copy: changing it changes nothing.
    config.health.checkInterval = 1;
    expect(h.orchestrator.getConfig().health.checkInterval).toBe(60_000);
  });

  it('applies a new retryAttempts to the operations started afterwards', async () => {
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }] });
    const first = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);
    expect(first.success).toBe(false);
    expect(statuses(h.hub.requestsTo('content', 'GET', DOCUMENT))).toEqual([503]);

    h.hub.clearRequests();
    h.orchestrator.updateConfig({ retryAttempts: 1 });
    expect(h.orchestrator.getConfig().retryAttempts).toBe(1);
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'status', status: 503 }] });
    const second = await h.orchestrator.processDocumentWithAI(doc.id, ai.id);
    expect(second.success).toBe(true);
    expect(statuses(h.hub.requestsTo('content', 'GET', DOCUMENT))).toEqual([503, 200]);
  });

  it('applies a new timeout to the calls of orchestrator.clients too', async () => {
    h.orchestrator.updateConfig({ timeout: 30 });
    h.hub.inject('content', { method: 'GET', path: DOCUMENT, faults: [{ kind: 'hang' }] });
    await expect(firstValueFrom(h.orchestrator.clients.content.getDocument$(doc.id))).rejects.toMatchObject({ code: 'timeout' });
  });

  it.each([
    [{ retryAttempts: -1 }, 'retryAttempts'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ health: { checkInterval: 0 } }, 'health.checkInterval'],
    [{ logLevel: 'loud' }, 'logLevel'],
    [{ services: { identity: 'http://elsewhere:1' } }, 'services'],
    [{ auth: { token: 'other' } }, 'auth'],
    [{ retryAtempts: 2 }, 'retryAtempts'],
  ])('refuses %j as the constructor would, naming the option, and changes nothing', (update, name) => {
    const before = h.orchestrator.getConfig();
    const error = thrown(() => h.orchestrator.updateConfig(update as never));
    expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain(`"${name}"`);
    expect(h.orchestrator.getConfig()).toEqual(before);
  });

  it('keeps the other health options when one is changed', () => {
    h.orchestrator.updateConfig({ health: { timeout: 1_234 } });
    h.orchestrator.updateConfig({ health: { degradedLatency: 99 } });
    expect(h.orchestrator.getConfig().health).toEqual({ checkInterval: 60_000, timeout: 1_234, degradedLatency: 99 });
  });

  it("restarts health$'s timer for its current subscribers when the interval changes", async () => {
    const first = firstValueFrom(h.orchestrator.health$);
    const second = firstValueFrom(h.orchestrator.health$.pipe(skip(1)));
    await first;
    // With the 60 s interval the second check would come after the test's timeout; with 20 ms, at once.
    h.orchestrator.updateConfig({ health: { checkInterval: 20 } });
    expect((await second).overall).toBe('healthy');
  });

  it('logs failures at warn and nothing of a success by default; the lifecycle at debug when asked', async () => {
    const ok = await h.orchestrator.searchAndTriggerWorkflows('quarterly report', false);
    expect(ok.success).toBe(true);
    expect(h.logs).toEqual([]);

    const failed = await h.orchestrator.processDocumentWithAI(doc.id, SEED.users.alice.id);
    expect(failed.success).toBe(false);
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0]).toMatch(/^warn \[orchestrator\] operation_error processDocumentWithAI/);

    h.logs.length = 0;
    h.orchestrator.updateConfig({ logLevel: 'debug' });
    await h.orchestrator.searchAndTriggerWorkflows('quarterly report', false);
    expect(h.logs.length).toBeGreaterThan(1);
    expect(h.logs.every((line) => line.startsWith('debug '))).toBe(true);
    expect(h.logs.some((line) => line.includes('operation_start searchAndTriggerWorkflows'))).toBe(true);
    expect(h.logs.some((line) => line.includes('operation_complete searchAndTriggerWorkflows'))).toBe(true);

    h.logs.length = 0;
    h.orchestrator.updateConfig({ enableLogging: false });
    await h.orchestrator.processDocumentWithAI(doc.id, SEED.users.alice.id);
    expect(h.logs).toEqual([]);
  });

  it('stops counting when enableMetrics is turned off', async () => {
    const before = h.orchestrator.getMetrics().totalOperations;
    h.orchestrator.updateConfig({ enableMetrics: false });
    await h.orchestrator.searchAndTriggerWorkflows('quarterly report', false);
    expect(h.orchestrator.getMetrics().totalOperations).toBe(before);
  });

  it('refuses an update once disposed', () => {
    h.orchestrator.dispose();
    expect(isOrchestratorError(thrown(() => h.orchestrator.updateConfig({ retryAttempts: 1 })))).toBe(true);
  });
});

describe('configureServiceOrchestrator', () => {
  afterEach(() => resetServiceOrchestrator());

  it('sets the options of the default instance before its first use', () => {
    configureServiceOrchestrator({ services: { identity: 'https://id.example.com/' }, retryAttempts: 7, enableLogging: false });
    expect(serviceOrchestrator.getConfig()).toMatchObject({ retryAttempts: 7, services: { identity: 'https://id.example.com' } });
    expect(getServiceOrchestrator().config.retryAttempts).toBe(7);
  });

  it('validates at once, naming the option', () => {
    const error = thrown(() => configureServiceOrchestrator({ timeout: -1 }));
    expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain('"timeout"');
  });

  it('refuses once the default instance is in use, until it is reset', () => {
    configureServiceOrchestrator({ enableLogging: false });
    void serviceOrchestrator.isDisposed;
    expect(isOrchestratorError(thrown(() => configureServiceOrchestrator({ retryAttempts: 1 })))).toBe(true);
    resetServiceOrchestrator();
    configureServiceOrchestrator({ retryAttempts: 1, enableLogging: false });
    expect(serviceOrchestrator.config.retryAttempts).toBe(1);
  });

  it('leaves other instances alone', () => {
    configureServiceOrchestrator({ retryAttempts: 9, enableLogging: false });
    const other = createServiceOrchestrator({ enableLogging: false });
    expect(other.config.retryAttempts).toBe(3);
    other.dispose();
  });
});
