import { OPERATION_NEEDS, type CapabilityReport, type EndpointState } from '../../src';
import { OPERATION_NAMES, type OperationName, type ServiceName } from '../../src/hub';
import { defaultRoutes } from '../../src/hub/routes';
import { SEED, type Hub, type HubRequest } from '../../src/simulator';
import { useHarness } from './support';

/** `orchestrator.capabilities()` against the simulator in its three modes, over real sockets. */

const { demo, alice, bob } = SEED.users;
const credentials = { email: demo.email, password: demo.password };

/** Each endpoint's state, keyed `service route`. */
function states(report: CapabilityReport): Record<string, EndpointState> {
  return Object.fromEntries(report.endpoints.map((e) => [`${e.service} ${e.route}`, e.state]));
}

/** Every POST the probes sent, but the two that change nothing (login, validate), was refused before any handler could write. */
function expectNothingWritten(hub: Hub): void {
  const readOnly = ['/auth/login', '/auth/validate'];
  const writes = hub.requests.filter((r) => r.method !== 'GET' && !(r.service === 'identity' && readOnly.includes(r.path)));
  expect(writes.length).toBeGreaterThan(0);
  for (const request of writes) expect([401, 403, 404, 405, 422]).toContain(request.status);
  expect(hub.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
}

const served = (keys: string[]): Record<string, EndpointState> => Object.fromEntries(keys.map((key) => [key, 'served']));
const ALL_PROBED = [
  'identity health',
  'content health',
  'communication health',
  'workflow health',
  'identity register',
  'identity verifyEmail',
  'identity login',
  'identity listUsers',
  'identity validateToken',
  'identity refreshToken',
  'content listDocuments',
  'content getDocument',
  'content search',
  'communication createNotification',
  'communication createBulkNotifications',
  'communication createConversation',
  'workflow listDefinitions',
  'workflow getDefinition',
  'workflow startWorkflow',
  'workflow getWorkflowStatus',
];

describe('capabilities() against the extended hub', () => {
  const h = useHarness({ enableLogging: false }, { mode: 'extended' });

  it("with the session's token: every operation runs fully, every endpoint is served, every service takes the token", async () => {
    const report = await h.orchestrator.capabilities();

    expect(report.operations).toEqual(Object.fromEntries(OPERATION_NAMES.map((name) => [name, 'full'])));
    expect(states(report)).toEqual(served(ALL_PROBED));
    expect(report.tokens).toEqual({ source: 'token', accepted: { content: true, communication: true, workflow: true } });
    expect(report.endpoints.find((e) => e.route === 'getDocument')).toMatchObject({ status: 404, note: 'Document not found' });
    expectNothingWritten(h.hub);
  });

  it('names the operations that need each endpoint', async () => {
    const report = await h.orchestrator.capabilities();
    const neededBy = (service: ServiceName, route: string) =>
      report.endpoints.find((e) => e.service === service && e.route === route)?.neededBy;
    expect(neededBy('communication', 'createConversation')).toEqual(['setupCollaborativeWorkspace']);
    expect(neededBy('identity', 'login')).toEqual(['onboardNewUser', 'signIn']);
    expect(neededBy('identity', 'health')).toEqual([]);
  });

  it('without a token: the authenticated routes need one, so only what identity and search allow can run', async () => {
    h.orchestrator.signOut();
    const report = await h.orchestrator.capabilities();

    expect(report.tokens).toEqual({ source: 'none', accepted: { content: null, communication: null, workflow: null } });
    expect(states(report)).toMatchObject({
      'content getDocument': 'needs_token',
      'communication createConversation': 'needs_token',
      'content search': 'served',
      'identity register': 'served',
    });
    expect(report.operations).toMatchObject({ signIn: 'full', onboardNewUser: 'partial', processDocumentWithAI: 'unavailable' });
    expect(h.hub.requests.every((r) => !r.authorized)).toBe(true);
  });

  it('reports a stopped service as unreachable, and never rejects', async () => {
    await h.hub.stopService('communication');
    try {
      const report = await h.orchestrator.capabilities({ timeout: 1_000 });
      expect(report.endpoints.filter((e) => e.service === 'communication').map((e) => e.state)).toEqual([
        'unreachable',
        'unreachable',
        'unreachable',
        'unreachable',
      ]);
      expect(report.operations).toMatchObject({ setupCollaborativeWorkspace: 'unavailable', onboardNewUser: 'partial', signIn: 'full' });
      expect(report.tokens.accepted.communication).toBeNull();
    } finally {
      await h.hub.startService('communication');
    }
  });

  it('a refused login is reported (no token, the login route served) without the password anywhere', async () => {
    const report = await h.orchestrator.capabilities({ credentials: { email: demo.email, password: 'WrongPass999!' } });

    expect(report.tokens).toMatchObject({ source: 'none', note: 'the login failed: Invalid email or password' });
    expect(report.endpoints.find((e) => e.route === 'login')).toMatchObject({ state: 'served', status: 401 });
    expect(JSON.stringify(report)).not.toContain('WrongPass999!');
  });

  it('a given token wins over the session, and never appears in the report', async () => {
    const token = h.hub.tokenFor(alice.id);
    const report = await h.orchestrator.capabilities({ token });
    expect(report.tokens.source).toBe('token');
    expect(h.hub.requests.filter((r) => r.authorized).length).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toContain(token);
  });
});

describe('capabilities() against the upstream hub', () => {
  const h = useHarness({ enableLogging: false }, { mode: 'upstream' }, false);

  it('finds the stubs and the missing routes; tokens accepted; onboarding partial, the other three unavailable', async () => {
    const report = await h.orchestrator.capabilities({ credentials });

    expect(report.operations).toEqual({
      onboardNewUser: 'partial',
      processDocumentWithAI: 'unavailable',
      searchAndTriggerWorkflows: 'unavailable',
      setupCollaborativeWorkspace: 'unavailable',
      signIn: 'full',
    });
    expect(states(report)).toEqual({
      ...served(ALL_PROBED),
      'identity validateToken': 'missing',
      'identity refreshToken': 'missing',
      'content search': 'stub',
      'communication createConversation': 'missing',
      'workflow listDefinitions': 'stub',
      'workflow getDefinition': 'missing',
    });
    expect(report.endpoints.find((e) => e.route === 'createConversation')).toMatchObject({ status: 405, note: 'Method Not Allowed' });
    expect(report.tokens).toEqual({ source: 'login', accepted: { content: true, communication: true, workflow: true } });
    expectNothingWritten(h.hub);
  });
});

describe('capabilities() against the deployed hub', () => {
  const h = useHarness({ enableLogging: false }, { mode: 'deployed' }, false);

  it('sees every token refused outside identity, and why: identity serves no /auth/validate', async () => {
    const report = await h.orchestrator.capabilities({ credentials });

    expect(report.operations).toEqual({
      onboardNewUser: 'partial',
      processDocumentWithAI: 'unavailable',
      searchAndTriggerWorkflows: 'unavailable',
      setupCollaborativeWorkspace: 'unavailable',
      signIn: 'full',
    });
    expect(report.tokens).toEqual({ source: 'login', accepted: { content: false, communication: false, workflow: false } });
    expect(states(report)).toMatchObject({
      'identity validateToken': 'missing',
      'content getDocument': 'auth_refused',
      'communication createNotification': 'auth_refused',
      'workflow startWorkflow': 'auth_refused',
      // Routing comes before the token check: missing routes still show as missing.
      'communication createConversation': 'missing',
      'workflow getDefinition': 'missing',
      'content search': 'stub',
    });
    expect(report.endpoints.find((e) => e.route === 'getDocument')).toMatchObject({ status: 401, note: 'Token validation failed' });
    expectNothingWritten(h.hub);
  });
});

describe('OPERATION_NEEDS is what the operations really call', () => {
  const h = useHarness({ enableLogging: false, enableBatching: false }, { mode: 'extended' });

  /** The route-table names of the requests the hub received, as `service route`. */
  function routesCalled(requests: readonly HubRequest[]): string[] {
    const names = requests.map((request) => {
      const routes = defaultRoutes[request.service] as Record<string, { method: string; path: string }>;
      const found = Object.entries(routes).find(
        ([, route]) => route.method === request.method && new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(request.path),
      );
      return `${request.service} ${found?.[0] ?? request.path}`;
    });
    return [...new Set(names)].sort();
  }

  const runs: Record<OperationName, (h: ReturnType<typeof useHarness>) => Promise<{ success: boolean }>> = {
    onboardNewUser: (x) =>
      x.orchestrator.onboardNewUser({ email: 'needs@hub.local', password: 'NeedsPass123!', first_name: 'N', last_name: 'E' }),
    processDocumentWithAI: (x) =>
      x.orchestrator.processDocumentWithAI(SEED.documents.quarterlyReport.id, SEED.definitions.aiProcessing.id, [alice.id]),
    searchAndTriggerWorkflows: (x) => x.orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id]),
    setupCollaborativeWorkspace: (x) =>
      x.orchestrator.setupCollaborativeWorkspace(SEED.documents.serviceContract.id, [bob.email], SEED.definitions.collaborationTemplate.id),
    signIn: (x) => x.orchestrator.signIn(bob.email, bob.password),
  };

  it.each(OPERATION_NAMES)('%s', async (name) => {
    expect((await runs[name](h)).success).toBe(true);
    const needs = OPERATION_NEEDS[name].map((n) => `${n.service} ${n.route}`).sort();
    expect(routesCalled(h.hub.requests)).toEqual(needs);
  });
});
