import { firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, OPERATION_NAMES, OPERATIONS, type OrchestratorEvent } from '../src';

/** Valid positional arguments of each operation. */
const VALID_ARGS: Record<keyof typeof OPERATIONS, unknown[]> = {
  onboardNewUser: [{ email: 'ada@example.com', password: 'long enough', first_name: 'Ada', last_name: 'Lovelace' }],
  processDocumentWithAI: ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', []],
  searchAndTriggerWorkflows: ['quarterly', true, []],
  setupCollaborativeWorkspace: ['11111111-1111-4111-8111-111111111111', ['alice@example.com'], undefined],
  signIn: ['ada@example.com', 'a password'],
};

describe('the operation methods, derived from the declarations', () => {
  // Nothing listens on port 9: a request that went out would fail with network, never with aborted.
  const orchestrator = createServiceOrchestrator({
    services: {
      identity: 'http://127.0.0.1:9',
      content: 'http://127.0.0.1:9',
      communication: 'http://127.0.0.1:9',
      workflow: 'http://127.0.0.1:9',
    },
    enableLogging: false,
    retryAttempts: 0,
  });
  const events: OrchestratorEvent[] = [];
  orchestrator.events$.subscribe((event) => events.push(event));
  afterAll(() => orchestrator.dispose());
  beforeEach(() => (events.length = 0));

  it('declares every operation of the vocabulary, under its own name', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const [key, definition] of Object.entries(OPERATIONS)) expect(definition.name).toBe(key);
  });

  it.each(OPERATION_NAMES)('%s: a promise method and a $ method on every orchestrator', (name) => {
    expect(typeof orchestrator[name]).toBe('function');
    expect(typeof orchestrator[`${name}$`]).toBe('function');
  });

  it.each(OPERATION_NAMES)(
    '%s: options come after the last positional argument (an aborted signal ends it before any request)',
    async (name) => {
      const call = orchestrator[name] as (...args: unknown[]) => Promise<{ success: boolean; details?: Record<string, unknown> }>;
      const result = await call.call(orchestrator, ...VALID_ARGS[name], { signal: AbortSignal.abort() });
      expect(result).toMatchObject({ success: false, details: { code: 'aborted' } });
      expect(events.map((event) => event.type)).toEqual(['operation_start', 'operation_error']);
    },
  );

  it.each(OPERATION_NAMES)('%s: input that does not fit is refused in both forms, naming the operation in its events', async (name) => {
    const call = orchestrator[name] as (...args: unknown[]) => Promise<{ success: boolean; details?: Record<string, unknown> }>;
    expect(await call.call(orchestrator, 42)).toMatchObject({ success: false, details: { code: 'invalid_input' } });
    const call$ = orchestrator[`${name}$`] as (...args: unknown[]) => ReturnType<typeof orchestrator.signIn$>;
    await expect(firstValueFrom(call$.call(orchestrator, 42))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(events.filter((event) => event.type === 'operation_error').map((event) => 'operation' in event && event.operation)).toEqual([
      name,
      name,
    ]);
  });
});

// Type-level checks, compiled by `npm run typecheck`: the derived methods have the seed's signatures.
export function derivedSignatures(orchestrator: ReturnType<typeof createServiceOrchestrator>): void {
  const signal = AbortSignal.abort();
  void orchestrator.processDocumentWithAI('document', 'workflow');
  void orchestrator.processDocumentWithAI('document', 'workflow', ['user'], { signal });
  void orchestrator.searchAndTriggerWorkflows('query', false, [], { signal });
  void orchestrator.setupCollaborativeWorkspace('document', ['a@example.com'], undefined, { signal });
  void orchestrator.onboardNewUser({ email: 'e', password: 'p', first_name: 'f', last_name: 'l' }, { signal });
  void orchestrator.signIn('email', 'password', { signal });
  // @ts-expect-error the workflow id is required
  void orchestrator.processDocumentWithAI('document');
  // @ts-expect-error the $ form takes no options
  void orchestrator.signIn$('email', 'password', { signal });
  void orchestrator.searchAndTriggerWorkflows$('query').subscribe((data) => data.workflowsTriggered.map((instance) => instance.id));
  void orchestrator.processDocumentWithAI('d', 'w').then((result) => (result.success ? result.data.execution : result.error.length));
}
