import {
  createServiceOrchestrator,
  getServiceOrchestrator,
  isOrchestratorError,
  parseConfig,
  resetServiceOrchestrator,
  serviceOrchestrator,
  ServiceOrchestrator,
} from '../src';

describe('configuration', () => {
  it("keeps the seed's option names and defaults", () => {
    const config = parseConfig();
    expect(config).toMatchObject({
      retryAttempts: 3,
      retryDelay: 1000,
      timeout: 30000,
      enableBatching: true,
      batchSize: 10,
      batchWindow: 20,
      enableMetrics: true,
      enableLogging: true,
      health: { checkInterval: 60000, timeout: 5000, degradedLatency: 2000 },
      circuitBreaker: { failureThreshold: 5, resetTimeout: 30000 },
    });
    expect(config.logger).toBe(console);
    expect(config.clock).toBe(Date.now);
  });

  it('fills the defaults of a nested option given in part', () => {
    const config = parseConfig({ health: { timeout: 10 }, circuitBreaker: { failureThreshold: 2 } });
    expect(config.health).toEqual({ checkInterval: 60000, timeout: 10, degradedLatency: 2000 });
    expect(config.circuitBreaker).toEqual({ failureThreshold: 2, resetTimeout: 30000 });
  });

  it('takes the service URLs from the options, then the env vars, then localhost:8001..8004', () => {
    const saved = process.env.CONTENT_SERVICE_URL;
    process.env.CONTENT_SERVICE_URL = 'http://content.internal:9000/';
    try {
      const config = parseConfig({ services: { identity: 'https://id.example.com' } });
      expect(config.services).toEqual({
        identity: 'https://id.example.com',
        content: 'http://content.internal:9000',
        communication: 'http://localhost:8003',
        workflow: 'http://localhost:8004',
      });
    } finally {
      if (saved === undefined) delete process.env.CONTENT_SERVICE_URL;
      else process.env.CONTENT_SERVICE_URL = saved;
    }
  });

  it.each([
    [{ retryAttempts: -1 }, 'retryAttempts'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ timeout: 0 }, 'timeout'],
    [{ services: { workflow: 'ftp://files.example.com' } }, 'services.workflow'],
    [{ health: { checkInterval: -5 } }, 'health.checkInterval'],
    [{ logger: { info: 1 } }, 'logger'],
    [{ retryAtempts: 2 }, 'retryAtempts'],
    [{ clock: 42 }, 'clock'],
  ])('rejects %j at creation, naming the option', (options, name) => {
    let error: unknown;
    try {
      createServiceOrchestrator(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain(`"${name}"`);
  });

  it('starts no timer and opens no socket when an orchestrator is created', () => {
    const before = process.getActiveResourcesInfo().sort();
    const orchestrator = createServiceOrchestrator({ enableLogging: false });
    expect(process.getActiveResourcesInfo().sort()).toEqual(before);
    orchestrator.dispose();
  });

  it('builds the default instance on first use, once; disposed it stays disposed until reset', async () => {
    const first = getServiceOrchestrator();
    expect(getServiceOrchestrator()).toBe(first);
    expect(serviceOrchestrator.config).toBe(first.config);
    expect(serviceOrchestrator).toBeInstanceOf(ServiceOrchestrator);
    expect('config' in serviceOrchestrator).toBe(true);
    serviceOrchestrator.dispose();
    expect(serviceOrchestrator.isDisposed).toBe(true);
    expect(await serviceOrchestrator.searchAndTriggerWorkflows('contract')).toMatchObject({
      success: false,
      details: { code: 'disposed' },
    });
    resetServiceOrchestrator();
    const second = getServiceOrchestrator();
    expect(second).not.toBe(first);
    expect(second.isDisposed).toBe(false);
    resetServiceOrchestrator();
    expect(second.isDisposed).toBe(true);
  });
});

describe('service URLs from the environment', () => {
  it('rejects a bad one, naming the variable', () => {
    const saved = process.env.WORKFLOW_SERVICE_URL;
    process.env.WORKFLOW_SERVICE_URL = 'workflow:8004';
    try {
      expect(() => parseConfig()).toThrow(/"services.workflow" from WORKFLOW_SERVICE_URL must be an http\(s\) URL/);
    } finally {
      if (saved === undefined) delete process.env.WORKFLOW_SERVICE_URL;
      else process.env.WORKFLOW_SERVICE_URL = saved;
    }
  });
});
