import { filter, firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, type OrchestratorConfig, type OrchestratorEvent, type ServiceOrchestrator } from '../../src';
import { SEED, startHub, type Hub, type HubOptions } from '../../src/simulator';

/** A simulator on free loopback ports and a signed-in orchestrator, fresh for every test. */
export interface Harness {
  hub: Hub;
  orchestrator: ServiceOrchestrator;
  /** Every event of the current test, in order. */
  events: OrchestratorEvent[];
  /** Every log line of the current test, with its data serialised. */
  logs: string[];
}

/**
 * Starts one simulator for the file, and for each test resets it, creates an orchestrator
 * (small retry delays so that retries take ms), signs in as the seeded demo user and clears the
 * request log, so that each test sees only its own requests.
 */
export function useHarness(config: OrchestratorConfig = {}, hubOptions: HubOptions = {}, signIn = true): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.hub = await startHub(hubOptions);
  });
  beforeEach(async () => {
    harness.hub.reset();
    harness.events = [];
    harness.logs = [];
    const record = (level: string) => (message: string, data?: unknown) => harness.logs.push(`${level} ${message} ${JSON.stringify(data)}`);
    harness.orchestrator = createServiceOrchestrator({
      services: harness.hub.urls,
      retryDelay: 5,
      maxRetryDelay: 20,
      timeout: 2_000,
      logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
      ...config,
    });
    harness.orchestrator.events$.subscribe((event) => harness.events.push(event));
    if (signIn) {
      const session = await harness.orchestrator.signIn(SEED.users.demo.email, SEED.users.demo.password);
      if (!session.success) throw new Error(`sign-in failed: ${session.error}`);
    }
    harness.hub.clearRequests();
    harness.events.length = 0;
  });
  afterEach(() => harness.orchestrator.dispose());
  afterAll(() => harness.hub.close());
  return harness;
}

/** The next event that matches, from now on. */
export function nextEvent<T extends OrchestratorEvent['type']>(
  orchestrator: ServiceOrchestrator,
  type: T,
  predicate: (event: Extract<OrchestratorEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<OrchestratorEvent, { type: T }>> {
  return firstValueFrom(
    orchestrator.events$.pipe(
      filter((event): event is Extract<OrchestratorEvent, { type: T }> => event.type === type),
      filter(predicate),
    ),
  );
}

/** The first event of this test that matches, whether it already happened or is still to come. */
export function seenEvent<T extends OrchestratorEvent['type']>(
  harness: Harness,
  type: T,
  predicate: (event: Extract<OrchestratorEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<OrchestratorEvent, { type: T }>> {
  const matches = (event: OrchestratorEvent): event is Extract<OrchestratorEvent, { type: T }> =>
    event.type === type && predicate(event as Extract<OrchestratorEvent, { type: T }>);
  const past = harness.events.find(matches);
  return past ? Promise.resolve(past) : firstValueFrom(harness.orchestrator.events$.pipe(filter(matches)));
}

/** An id no seeded entity has. */
export const UNKNOWN_ID = '99999999-0000-4000-8000-000000000099';
