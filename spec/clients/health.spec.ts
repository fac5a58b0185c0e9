import nock from 'nock';
import { firstValueFrom } from 'rxjs';
import { SERVICE_NAMES } from '../../src/hub';
import { createHubClients, getHealth$ } from '../../src/clients';
import { BASE_URLS, errorOf, testHttp, useNock } from './helpers';

const bodies = {
  identity: {
    status: 'healthy',
    service: 'auth-service',
    version: '1.0.0',
    mode: 'production',
    database: 'connected',
    timestamp: '2024-06-01T10:00:00',
    features: ['mfa'],
  },
  content: {
    service: 'content-service',
    status: 'degraded',
    version: '1.2.0',
    port: 8002,
    dependencies: { redis: 'healthy', 'identity-service': 'healthy', database: 'unhealthy' },
    metrics: { uptime_seconds: 12, active_connections: 1, memory_usage_mb: 64 },
  },
  communication: {
    service: 'communication-service',
    status: 'healthy',
    version: '0.9.0',
    dependencies: { redis: 'healthy', 'identity-service': 'healthy', 'celery-workers': 'healthy' },
  },
  workflow: {
    service: 'workflow-intelligence-service',
    status: 'degraded',
    version: '1.0.0',
    dependencies: { database: { status: 'healthy' }, 'ai-services': { openai: 'not configured' } },
  },
} as const;

describe('health', () => {
  useNock();

  it.each(SERVICE_NAMES)('getHealth$ reads %s /health without a token, keeping the shared fields only', async (service) => {
    let authorization: unknown = 'unset';
    nock(BASE_URLS[service])
      .get('/health')
      .reply(function () {
        authorization = this.req.headers.authorization;
        return [200, bodies[service]];
      });
    const health = await firstValueFrom(getHealth$(testHttp().http, service));
    const { status, service: name, version } = bodies[service];
    expect(health).toEqual({ status, service: name, version });
    expect(authorization).toBeUndefined();
  });

  it('gives a validation error naming the service when a shared field is missing', async () => {
    nock(BASE_URLS.content).get('/health').reply(200, { status: 'healthy', service: 'content-service' });
    const error = await errorOf(getHealth$(testHttp().http, 'content'));
    expect(error).toMatchObject({ code: 'validation', service: 'content', endpoint: 'GET /health' });
    expect(error.message).toContain('content GET /health');
  });

  it('is reachable through createHubClients', async () => {
    nock(BASE_URLS.workflow).get('/health').reply(200, bodies.workflow);
    const hub = createHubClients(testHttp().http);
    await expect(firstValueFrom(hub.health$('workflow'))).resolves.toMatchObject({ status: 'degraded' });
    for (const member of ['communication', 'content', 'identity', 'workflow'] as const) expect(hub[member]).toBe(hub[member]);
    // Taken off the set, as `const { health$ } = clients` does.
    nock(BASE_URLS.workflow).get('/health').reply(200, bodies.workflow);
    const { health$ } = hub;
    await expect(firstValueFrom(health$('workflow'))).resolves.toMatchObject({ status: 'degraded' });
  });
});
