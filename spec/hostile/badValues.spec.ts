import { firstValueFrom } from 'rxjs';
import {
  batchBuffer,
  createServiceOrchestrator,
  INPUT_LIMITS,
  isOrchestratorError,
  MAX_TIMER_MS,
  parseConfig,
  retryWithDelay,
  timeoutAfter,
  type OrchestratorConfig,
} from '../../src';
import { DOC_ID, hostileOrchestrator, startHostile, TOKEN, USER_ID, WORKFLOW_ID, type HostileServer } from './support';

/** The message of the `invalid_config` error a config throws, or null when it is accepted. */
function configError(config: unknown): string | null {
  try {
    parseConfig(config as OrchestratorConfig);
    return null;
  } catch (error) {
    expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
    return (error as Error).message;
  }
}

let server: HostileServer;
beforeAll(async () => {
  server = await startHostile((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    // The workflow service is down; everything else answers 404.
    res.writeHead(path.startsWith('/api/v1/definitions') ? 503 : 404, { 'content-type': 'application/json' }).end('{"detail":"no"}');
  });
});
afterAll(() => server.close());
beforeEach(() => server.requests.splice(0));

describe('defect 3: timers beyond Node range', () => {
  const TOO_LONG = 2 ** 31;
  it.each([
    [{ timeout: TOO_LONG }, 'timeout'],
    [{ retryDelay: TOO_LONG }, 'retryDelay'],
    [{ maxRetryDelay: TOO_LONG }, 'maxRetryDelay'],
    [{ batchWindow: TOO_LONG }, 'batchWindow'],
    [{ health: { checkInterval: TOO_LONG } }, 'health.checkInterval'],
    [{ health: { timeout: TOO_LONG } }, 'health.timeout'],
    [{ circuitBreaker: { resetTimeout: TOO_LONG } }, 'circuitBreaker.resetTimeout'],
  ])('refuses %j, naming %s', (config, path) => {
    expect(configError(config)).toContain(`"${path}" must be at most ${MAX_TIMER_MS} ms`);
  });

  it('accepts the longest timer, and Infinity where it means off', () => {
    expect(configError({ timeout: MAX_TIMER_MS, retryDelay: MAX_TIMER_MS, maxRetryDelay: MAX_TIMER_MS })).toBeNull();
    expect(configError({ timeout: Infinity, batchWindow: Infinity, health: { checkInterval: Infinity, timeout: Infinity } })).toBeNull();
    expect(configError({ retryDelay: Infinity })).not.toBeNull();
    expect(configError({ timeout: NaN })).not.toBeNull();
  });

  it('has the operators refuse such timers too', () => {
    const info = { service: 'content' as const, endpoint: 'GET /x' };
    expect(() => timeoutAfter(TOO_LONG, info)).toThrow(RangeError);
    expect(() => timeoutAfter(Infinity, info)).not.toThrow();
    expect(() => retryWithDelay({ count: 1, delay: TOO_LONG })).toThrow(RangeError);
    expect(() => retryWithDelay({ count: 1, delay: 1, maxDelay: TOO_LONG })).toThrow(RangeError);
    expect(() => retryWithDelay({ count: 1, delay: 1, maxRetryAfter: TOO_LONG })).toThrow(RangeError);
    expect(() => batchBuffer({ size: 2, windowMs: TOO_LONG })).toThrow(RangeError);
  });
});

describe('defect 4: input lengths, checked before any request', () => {
  const MEGABYTE = 'a'.repeat(1024 * 1024);
  const valid = { email: 'ada@example.com', password: 'long enough', first_name: 'Ada', last_name: 'Lovelace' };
  const local64 = `${'a'.repeat(64)}@example.com`;
  const total254 = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

  it('knows RFC 5321 lengths', () => {
    expect(total254.length).toBe(254);
    expect(INPUT_LIMITS).toMatchObject({ email: 254, emailLocalPart: 64 });
  });

  it.each([
    ['onboard email', (o: Orchestrator) => o.onboardNewUser({ ...valid, email: `${MEGABYTE}@example.com` }), 'email'],
    ['onboard email over 254', (o: Orchestrator) => o.onboardNewUser({ ...valid, email: `a${total254}` }), 'email'],
    ['onboard local part over 64', (o: Orchestrator) => o.onboardNewUser({ ...valid, email: `a${local64}` }), 'email'],
    ['onboard first name', (o: Orchestrator) => o.onboardNewUser({ ...valid, first_name: MEGABYTE }), 'first_name'],
    ['onboard last name', (o: Orchestrator) => o.onboardNewUser({ ...valid, last_name: MEGABYTE }), 'last_name'],
    ['onboard password', (o: Orchestrator) => o.onboardNewUser({ ...valid, password: MEGABYTE }), 'password'],
    ['onboard phone', (o: Orchestrator) => o.onboardNewUser({ ...valid, phone_number: MEGABYTE }), 'phone_number'],
    ['sign-in email', (o: Orchestrator) => o.signIn(`${MEGABYTE}@example.com`, 'secret-password'), 'email'],
    ['sign-in password', (o: Orchestrator) => o.signIn('ada@example.com', MEGABYTE), 'password'],
    ['participant email', (o: Orchestrator) => o.setupCollaborativeWorkspace(DOC_ID, [`${MEGABYTE}@example.com`]), 'participantEmails.0'],
    ['search query', (o: Orchestrator) => o.searchAndTriggerWorkflows(MEGABYTE), 'query'],
  ])('refuses a too long %s, sending nothing', async (_name, call, path) => {
    const { orchestrator } = hostileOrchestrator(server.url);
    const result = await call(orchestrator);
    orchestrator.dispose();
    expect(result).toMatchObject({
      success: false,
      details: { code: 'invalid_input', issues: expect.arrayContaining([expect.objectContaining({ path })]) },
    });
    expect(server.requests).toEqual([]);
  });

  it('accepts an email of exactly 254 characters with a 64-character local part', async () => {
    const { orchestrator } = hostileOrchestrator(server.url);
    const result = await orchestrator.signIn(total254, 'x');
    orchestrator.dispose();
    // It went out (and the hostile identity answered 404).
    expect(result.details?.code).not.toBe('invalid_input');
    expect(server.requests).toHaveLength(1);
  });
});

type Orchestrator = ReturnType<typeof createServiceOrchestrator>;

describe('defect 5: options.signal must be an AbortSignal', () => {
  it.each([[{}], [42], ['abc'], [null], [{ aborted: false }]])(
    'refuses signal %j, with one end event and the operation counted',
    async (signal) => {
      const { orchestrator, events } = hostileOrchestrator(server.url);
      const result = await orchestrator.signIn('ada@example.com', 'secret-password', { signal } as never);
      const metrics = orchestrator.getMetrics();
      orchestrator.dispose();
      expect(result).toMatchObject({
        success: false,
        details: {
          code: 'invalid_input',
          issues: [{ path: 'options.signal', message: expect.stringContaining('must be an AbortSignal') }],
        },
      });
      expect(events.map((event) => event.type)).toEqual(['operation_start', 'operation_error']);
      expect(metrics).toMatchObject({ totalOperations: 1, failedOperations: 1 });
      expect(server.requests).toEqual([]);
    },
  );

  it('refuses options that are not an object, naming them', async () => {
    const { orchestrator, events } = hostileOrchestrator(server.url);
    const result = await orchestrator.searchAndTriggerWorkflows('q', true, [], 42 as never);
    orchestrator.dispose();
    expect(result).toMatchObject({ success: false, details: { code: 'invalid_input', issues: [{ path: 'options' }] } });
    expect(events.map((event) => event.type)).toEqual(['operation_start', 'operation_error']);
  });

  it('still takes a real AbortSignal', async () => {
    const { orchestrator } = hostileOrchestrator(server.url);
    const result = await orchestrator.signIn('ada@example.com', 'secret-password', { signal: AbortSignal.abort() });
    orchestrator.dispose();
    expect(result).toMatchObject({ success: false, details: { code: 'aborted' } });
  });
});

describe('defect 6: the request metrics count what reached the wire', () => {
  it('does not count a request aborted because a sibling failed at once with circuit_open', async () => {
    const { orchestrator } = hostileOrchestrator(server.url, { circuitBreaker: { failureThreshold: 1 } });
    // Opens the workflow circuit: one 503.
    await firstValueFrom(orchestrator.clients.workflow.getDefinition$(WORKFLOW_ID)).catch(() => undefined);
    server.requests.splice(0);
    const before = orchestrator.getMetrics().services.content.requests;
    // The document GET goes first, then the definition fails synchronously with circuit_open.
    const result = await orchestrator.processDocumentWithAI(DOC_ID, WORKFLOW_ID);
    const after = orchestrator.getMetrics().services;
    orchestrator.dispose();
    expect(result).toMatchObject({ success: false, details: { code: 'circuit_open' } });
    expect(server.requests).toEqual([]);
    expect(after.content.requests - before).toBe(0);
  });

  it('counts each request that did go out', async () => {
    const { orchestrator } = hostileOrchestrator(server.url);
    await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).catch(() => undefined);
    const { content } = orchestrator.getMetrics().services;
    orchestrator.dispose();
    expect(server.requests).toHaveLength(1);
    expect(content.requests).toBe(1);
  });
});

describe('defect 7: config that cannot work is refused, naming the valid keys', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'an unknown service under routes',
      { routes: { contnet: { getDocument: '/x' } } },
      /"routes" has unknown key "contnet" \(valid: identity, content, communication, workflow\)/,
    ],
    [
      'an unknown route name',
      { routes: { content: { getDocumnet: '/x' } } },
      /"routes.content" has unknown key "getDocumnet" \(valid: health, listDocuments, getDocument, search\)/,
    ],
    ['a route given as a number', { routes: { content: { getDocument: 42 } } }, /"routes.content.getDocument"/],
    ['a route method PUT', { routes: { content: { getDocument: { method: 'PUT' } } } }, /"routes.content.getDocument.method"/],
    [
      'an unknown key in a route',
      { routes: { content: { getDocument: { verb: 'GET' } } } },
      /has unknown key "verb" \(valid: method, path, idempotent, extension, auth\)/,
    ],
    ['axios: {}', { axios: {} }, /"axios" must be an axios instance/],
    ['a base URL with spaces', { services: { content: 'http://a b c' } }, /"services.content" must be an http\(s\) URL/],
    ['a base URL with a query', { services: { content: 'http://hub.example/?x=1' } }, /"services.content" must not have a query/],
    ['a token with CR/LF', { auth: { token: 'abc\r\nX-Evil: 1' } }, /"auth.token" must be visible ASCII/],
    ['an unknown top-level option', { retryAttemps: 2 }, /unknown key "retryAttemps" \(valid: services, auth, retryAttempts,/],
    [
      'an unknown health option',
      { health: { interval: 5 } },
      /"health" has unknown key "interval" \(valid: checkInterval, timeout, degradedLatency\)/,
    ],
  ])('refuses %s', (_name, config, message) => {
    expect(configError(config)).toMatch(message);
  });

  it('never echoes the refused token', () => {
    expect(configError({ auth: { token: 'sekrit-value\n' } })).not.toContain('sekrit');
  });

  it('refuses a header-unsafe token from getToken at call time, sending nothing', async () => {
    const { orchestrator } = hostileOrchestrator(server.url, { auth: { getToken: () => `${TOKEN}\r\nX-Injected: 1` } });
    const error = await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).catch((failure: unknown) => failure);
    const result = await orchestrator.processDocumentWithAI(DOC_ID, WORKFLOW_ID, [USER_ID]);
    orchestrator.dispose();
    expect(error).toMatchObject({ code: 'auth', message: expect.stringContaining('cannot be sent') });
    expect((error as Error).message).not.toContain(TOKEN);
    expect(result).toMatchObject({ success: false, details: { code: 'auth' } });
    expect(server.requests).toEqual([]);
  });
});
