import { SEED } from '../../src/simulator';
import { seenEvent, useHarness } from './support';

const newUser = (email = 'ada@hub.local') => ({ email, password: 'Analytical1!', first_name: 'Ada', last_name: 'Lovelace' });

describe('onboardNewUser over real sockets', () => {
  const h = useHarness({ enableBatching: false }, {}, false);

  it('registers, verifies, signs in, and welcomes the user with templates and onboarding workflows', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser());
    expect(result.success).toBe(true);
    const data = result.data!;
    expect(data.user).toMatchObject({ email: 'ada@hub.local', first_name: 'Ada', is_verified: true });
    expect(data.session.userId).toBe(data.user.id);
    expect(data.welcomeNotification).toMatchObject({ recipient: data.user.id, channel: 'in_app' });
    expect(data.defaultDocuments.length).toBeGreaterThan(0);
    expect(data.defaultDocuments.every((d) => d.tags.includes('template'))).toBe(true);
    expect(data.initialWorkflows.map((w) => w.definition_id).sort()).toEqual(
      [SEED.definitions.userOnboarding.id, SEED.definitions.accountProvisioning.id].sort(),
    );
    expect(data.initialWorkflows.every((w) => w.entity_id === data.user.id)).toBe(true);
    const order = h.hub.requestsTo('identity').map((r) => `${r.method} ${r.path}`);
    expect(order).toEqual(['POST /auth/register', 'POST /auth/verify-email', 'POST /auth/login']);
    expect(h.hub.requestsTo('content', 'GET', '/api/v1/documents')[0]?.query).toMatchObject({ tag: 'template' });
  });

  it('leaves the new session in place: later calls carry its token', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser('grace@hub.local'));
    expect(h.orchestrator.getSession()?.userId).toBe(result.data?.user.id);
    h.hub.clearRequests();
    await h.orchestrator.searchAndTriggerWorkflows('contract', false);
    expect(h.hub.requests.every((r) => r.authorized)).toBe(true);
    expect(h.hub.requests.length).toBeGreaterThan(0);
  });

  it('runs the welcome, the templates and the workflows in parallel', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents', faults: [{ kind: 'hang' }] });
    const controller = new AbortController();
    const pending = h.orchestrator.onboardNewUser(newUser('linus@hub.local'), { signal: controller.signal });
    // While the template documents hang, the workflows still start: the steps do not wait for one another.
    await seenEvent(h, 'operation_step', (e) => e.step === 'start New User Onboarding' && e.outcome === 'ok');
    await seenEvent(h, 'operation_step', (e) => e.step === 'welcome notification' && e.outcome === 'ok');
    controller.abort();
    expect(await pending).toMatchObject({ success: false, details: { code: 'aborted' } });
  });

  it('fails at register when the email is taken, and sends nothing else', async () => {
    const result = await h.orchestrator.onboardNewUser({ ...newUser(SEED.users.alice.email) });
    expect(result).toMatchObject({ success: false, details: { step: 'register', status: 400, service: 'identity' } });
    expect(result.error).toMatch(/Email already registered/);
    expect(h.hub.requests.map((r) => r.path)).toEqual(['/auth/register']);
    expect(h.orchestrator.getSession()).toBeNull();
  });

  it('fails at login when identity refuses it', async () => {
    h.hub.inject('identity', {
      method: 'POST',
      path: '/auth/login',
      faults: [{ kind: 'status', status: 423, body: { detail: 'Account locked' } }],
    });
    const result = await h.orchestrator.onboardNewUser(newUser('locked@hub.local'));
    expect(result).toMatchObject({ success: false, details: { step: 'login', status: 423 } });
    expect(h.hub.requestsTo('communication')).toHaveLength(0);
  });

  it('succeeds with the parts that failed left empty and named in serviceErrors', async () => {
    h.hub.inject('content', { method: 'GET', path: '/api/v1/documents', faults: [{ kind: 'status', status: 500 }], repeat: true });
    h.hub.inject('workflow', {
      method: 'GET',
      path: '/api/v1/definitions',
      faults: [{ kind: 'status', status: 400, body: { detail: 'Bad filter' } }],
    });
    const result = await h.orchestrator.onboardNewUser(newUser('partial@hub.local'));
    expect(result.success).toBe(true);
    expect(result.details).toMatchObject({ partial: true });
    expect(result.data?.defaultDocuments).toEqual([]);
    expect(result.data?.initialWorkflows).toEqual([]);
    expect(result.data?.welcomeNotification).not.toBeNull();
    expect(Object.keys(result.serviceErrors ?? {}).sort()).toEqual(['content', 'workflow']);
    // The 500 was retried (3 retries by default), the 400 was not.
    expect(h.hub.requestsTo('content', 'GET', '/api/v1/documents')).toHaveLength(4);
    expect(h.hub.requestsTo('workflow', 'GET', '/api/v1/definitions')).toHaveLength(1);
  });

  it('rejects invalid input before any request', async () => {
    for (const input of [
      { ...newUser(), email: 'not-an-email' },
      { ...newUser(), password: 'short' },
      { ...newUser(), first_name: '  ' },
      { email: 'x@hub.local' },
    ]) {
      const result = await h.orchestrator.onboardNewUser(input as ReturnType<typeof newUser>);
      expect(result).toMatchObject({ success: false, details: { code: 'invalid_input' } });
    }
    expect(h.hub.requests).toHaveLength(0);
  });

  it('never lets the password or a token reach an event or a log line', async () => {
    const result = await h.orchestrator.onboardNewUser(newUser('secret@hub.local'));
    const { accessToken, refreshToken } = result.data!.session;
    const seen = JSON.stringify(h.events) + h.logs.join('\n');
    expect(seen).not.toContain('Analytical1!');
    expect(seen).not.toContain(accessToken);
    expect(seen).not.toContain(refreshToken);
    expect(seen).toContain('[redacted]');
  });

  it('aborts when the $ form is unsubscribed during login, and sends nothing after', async () => {
    h.hub.inject('identity', { method: 'POST', path: '/auth/login', faults: [{ kind: 'hang' }] });
    const subscription = h.orchestrator.onboardNewUser$(newUser('quitter@hub.local')).subscribe();
    await h.hub.waitForRequest('identity', 'POST', '/auth/login');
    const error = new Promise((resolve) => h.orchestrator.addEventListener((e) => e.type === 'operation_error' && resolve(e)));
    subscription.unsubscribe();
    expect(await error).toMatchObject({ code: 'aborted', operation: 'onboardNewUser' });
    expect(h.orchestrator.getSession()).toBeNull();
    expect(h.hub.requests.filter((r) => r.service !== 'identity')).toHaveLength(0);
  });
});
