// 2. The critical path: each operation at a fixed simulator latency, against the lower bound set by
// its longest chain of dependent calls, against a hand-written optimal version (the same clients,
// Promise.all wherever the dependencies allow, no resilience), and against a naive version that
// awaits every step in turn.
import { firstValueFrom } from 'rxjs';
import type { OperationResult, ServiceOrchestrator } from '../src';
import { createHttpClient, createHubClients, type HubClients } from '../src/clients';
import { SEED, startHub, type Hub } from '../src/simulator';
import { SERVICE_NAMES } from '../src/hub';
import { axiosWithoutRedirects, demoAuthorization, figure, median, signedIn, type Figure, type Section } from './support';

/** What every simulated request waits before it is served. */
const LATENCY_MS = 25;
/** The default batch window: with nothing else in flight a notification no longer waits for it. */
const BATCH_WINDOW_MS = 20;
const RUNS = 9;
/** Runs of every variant at 0 ms latency before measuring, so that V8 has optimised each code path, as in a long-running app. */
const WARM_UP_RUNS = 40;

const { alice, bob, demo } = SEED.users;
const NOTIFY = [alice.id, bob.id];
const PARTICIPANTS = [alice.email, bob.email, 'guest@example.org'];
const SEARCH = 'quarterly report';

let emailCounter = 0;
function newUser(): { email: string; password: string; first_name: string; last_name: string } {
  emailCounter += 1;
  return {
    email: `bench-${process.pid}-${emailCounter}@example.org`,
    password: 'BenchPass123!',
    first_name: 'Bench',
    last_name: `User${emailCounter}`,
  };
}

/** The naive way to notify: one in-app notification per user, each awaited before the next. */
async function notifyInTurn(clients: HubClients, userIds: readonly string[], subject: string): Promise<void> {
  for (const to of userIds) {
    await firstValueFrom(clients.communication.createNotification$({ type: 'in_app', to, subject, message: subject }));
  }
}

/** The optimal way to notify: every in-app notification at once. */
async function notifyAtOnce(clients: HubClients, userIds: readonly string[], subject: string): Promise<void> {
  await Promise.all(
    userIds.map((to) => firstValueFrom(clients.communication.createNotification$({ type: 'in_app', to, subject, message: subject }))),
  );
}

/** One operation: how the library runs it, how a hand-written optimal and a naive version do, and its longest chain. */
interface Case {
  operation: string;
  /** The longest chain of dependent requests, in words. */
  chain: string;
  /** Requests on that chain. */
  hops: number;
  library: (orchestrator: ServiceOrchestrator) => Promise<OperationResult<unknown>>;
  /** By hand: the same clients, Promise.all wherever the dependencies allow, no resilience. */
  optimal: (clients: HubClients, session: { token: string | null }) => Promise<unknown>;
  naive: (clients: HubClients, session: { token: string | null }) => Promise<unknown>;
}

const CASES: Case[] = [
  {
    operation: 'onboardNewUser',
    chain: 'register → verify email → login → list onboarding workflows → start them (∥ welcome, ∥ templates)',
    hops: 5,
    library: (o) => o.onboardNewUser(newUser()),
    optimal: async (clients, session) => {
      const input = newUser();
      const registered = await firstValueFrom(clients.identity.register$(input));
      if (registered.verification_token) await firstValueFrom(clients.identity.verifyEmail$(registered.verification_token));
      const login = await firstValueFrom(clients.identity.login$({ email: input.email, password: input.password }));
      session.token = login.access_token;
      await Promise.all([
        firstValueFrom(
          clients.communication.createNotification$({
            type: 'in_app',
            to: login.user_id,
            subject: 'Welcome to the Hub',
            message: 'Welcome!',
          }),
        ),
        firstValueFrom(clients.content.listTaggedDocuments$('template')),
        firstValueFrom(clients.workflow.listDefinitions$({ trigger: 'user_onboarding' })).then((definitions) =>
          Promise.all(
            definitions
              .filter((d) => d.is_active)
              .map((definition) =>
                firstValueFrom(
                  clients.workflow.startWorkflow$({
                    definition_id: definition.id,
                    entity_id: login.user_id,
                    context: { user_id: login.user_id },
                  }),
                ),
              ),
          ),
        ),
      ]);
    },
    naive: async (clients, session) => {
      const input = newUser();
      const registered = await firstValueFrom(clients.identity.register$(input));
      if (registered.verification_token) await firstValueFrom(clients.identity.verifyEmail$(registered.verification_token));
      const login = await firstValueFrom(clients.identity.login$({ email: input.email, password: input.password }));
      session.token = login.access_token;
      await firstValueFrom(
        clients.communication.createNotification$({
          type: 'in_app',
          to: login.user_id,
          subject: 'Welcome to the Hub',
          message: 'Welcome!',
        }),
      );
      await firstValueFrom(clients.content.listDocuments$({ tag: 'template' }));
      const definitions = await firstValueFrom(clients.workflow.listDefinitions$({ trigger: 'user_onboarding' }));
      for (const definition of definitions.filter((d) => d.is_active)) {
        await firstValueFrom(
          clients.workflow.startWorkflow$({ definition_id: definition.id, entity_id: login.user_id, context: { user_id: login.user_id } }),
        );
      }
    },
  },
  {
    operation: 'processDocumentWithAI',
    chain: '(get document ∥ get definition) → start workflow → notify 2 users',
    hops: 3,
    library: (o) => o.processDocumentWithAI(SEED.documents.quarterlyReport.id, SEED.definitions.aiProcessing.id, NOTIFY),
    optimal: async (clients) => {
      const [document, definition] = await Promise.all([
        firstValueFrom(clients.content.getDocument$(SEED.documents.quarterlyReport.id)),
        firstValueFrom(clients.workflow.getDefinition$(SEED.definitions.aiProcessing.id)),
      ]);
      await firstValueFrom(
        clients.workflow.startWorkflow$({ definition_id: definition.id, entity_id: document.id, context: { document_id: document.id } }),
      );
      await notifyAtOnce(clients, NOTIFY, 'AI processing started');
    },
    naive: async (clients) => {
      const document = await firstValueFrom(clients.content.getDocument$(SEED.documents.quarterlyReport.id));
      const definition = await firstValueFrom(clients.workflow.getDefinition$(SEED.definitions.aiProcessing.id));
      await firstValueFrom(
        clients.workflow.startWorkflow$({ definition_id: definition.id, entity_id: document.id, context: { document_id: document.id } }),
      );
      await notifyInTurn(clients, NOTIFY, 'AI processing started');
    },
  },
  {
    operation: 'searchAndTriggerWorkflows',
    chain: '(search ∥ list search_results workflows) → start them → notify 2 users',
    hops: 3,
    library: (o) => o.searchAndTriggerWorkflows(SEARCH, true, NOTIFY),
    optimal: async (clients) => {
      const [results, definitions] = await Promise.all([
        firstValueFrom(clients.content.search$({ q: SEARCH })),
        firstValueFrom(clients.workflow.listDefinitions$({ trigger: 'search_results' })),
      ]);
      const top = results.documents[0];
      if (!top) throw new Error('the search found nothing');
      await Promise.all(
        definitions
          .filter((d) => d.is_active)
          .map((definition) =>
            firstValueFrom(
              clients.workflow.startWorkflow$({ definition_id: definition.id, entity_id: top.id, context: { query: SEARCH } }),
            ),
          ),
      );
      // The message counts the workflows started, so it waits for them.
      await notifyAtOnce(clients, NOTIFY, 'Search results');
    },
    naive: async (clients) => {
      const results = await firstValueFrom(clients.content.search$({ q: SEARCH }));
      const top = results.documents[0];
      if (!top) throw new Error('the search found nothing');
      const definitions = await firstValueFrom(clients.workflow.listDefinitions$({ trigger: 'search_results' }));
      for (const definition of definitions.filter((d) => d.is_active)) {
        await firstValueFrom(
          clients.workflow.startWorkflow$({ definition_id: definition.id, entity_id: top.id, context: { query: SEARCH } }),
        );
      }
      await notifyInTurn(clients, NOTIFY, 'Search results');
    },
  },
  {
    operation: 'setupCollaborativeWorkspace',
    chain: '(get document ∥ resolve 3 emails ∥ get template) → create conversation → (notify 3 ∥ start template)',
    hops: 3,
    library: (o) =>
      o.setupCollaborativeWorkspace(SEED.documents.serviceContract.id, PARTICIPANTS, SEED.definitions.collaborationTemplate.id),
    optimal: async (clients) => {
      const [document, users, template] = await Promise.all([
        firstValueFrom(clients.content.getDocument$(SEED.documents.serviceContract.id)),
        Promise.all(PARTICIPANTS.map((email) => firstValueFrom(clients.identity.findUserByEmail$(email)))),
        firstValueFrom(clients.workflow.getDefinition$(SEED.definitions.collaborationTemplate.id)),
      ]);
      const participants = users.filter((user) => user !== null);
      const conversation = await firstValueFrom(
        clients.communication.createConversation$({
          title: `Collaboration: ${document.metadata.title ?? document.filename}`,
          type: 'group',
          participant_ids: participants.map((user) => user.id),
          metadata: { document_id: document.id },
        }),
      );
      await Promise.all([
        ...PARTICIPANTS.map((email, index) => {
          const user = users[index];
          return firstValueFrom(
            clients.communication.createNotification$(
              user ? { type: 'in_app', to: user.id, message: 'Added.' } : { type: 'email', to: email, message: 'Added.' },
            ),
          );
        }),
        firstValueFrom(
          clients.workflow.startWorkflow$({
            definition_id: template.id,
            entity_id: document.id,
            context: { conversation_id: conversation.id },
          }),
        ),
      ]);
    },
    naive: async (clients) => {
      const document = await firstValueFrom(clients.content.getDocument$(SEED.documents.serviceContract.id));
      const users = [];
      for (const email of PARTICIPANTS) users.push(await firstValueFrom(clients.identity.findUserByEmail$(email)));
      const template = await firstValueFrom(clients.workflow.getDefinition$(SEED.definitions.collaborationTemplate.id));
      const participants = users.filter((user) => user !== null);
      const conversation = await firstValueFrom(
        clients.communication.createConversation$({
          title: `Collaboration: ${document.metadata.title ?? document.filename}`,
          type: 'group',
          participant_ids: participants.map((user) => user.id),
          metadata: { document_id: document.id },
        }),
      );
      for (const [index, email] of PARTICIPANTS.entries()) {
        const user = users[index];
        await firstValueFrom(
          clients.communication.createNotification$(
            user ? { type: 'in_app', to: user.id, message: 'Added.' } : { type: 'email', to: email, message: 'Added.' },
          ),
        );
      }
      await firstValueFrom(
        clients.workflow.startWorkflow$({
          definition_id: template.id,
          entity_id: document.id,
          context: { conversation_id: conversation.id },
        }),
      );
    },
  },
];

function setLatency(hub: Hub, ms: number): void {
  for (const service of SERVICE_NAMES) hub.setLatency(service, ms);
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const result = await run();
  if (result && typeof result === 'object' && 'success' in result && (result as OperationResult<unknown>).success !== true) {
    throw new Error(`an operation failed: ${(result as OperationResult<unknown>).error}`);
  }
  return performance.now() - started;
}

/** One orchestrator with batching off and one with it on, both signed in. */
async function orchestratorsFor(hub: Hub): Promise<{ unbatched: ServiceOrchestrator; batched: ServiceOrchestrator }> {
  return {
    unbatched: await signedIn(hub, { enableBatching: false, batchWindow: BATCH_WINDOW_MS }),
    batched: await signedIn(hub, { enableBatching: true, batchWindow: BATCH_WINDOW_MS }),
  };
}

export async function run(): Promise<Section[]> {
  const hub = await startHub();
  const session = { token: hub.tokenFor(demo.email) as string | null };
  const naiveClients = createHubClients(createHttpClient({ baseUrls: hub.urls, getToken: () => session.token }));
  const orchestrators = await orchestratorsFor(hub);
  const bare = axiosWithoutRedirects();
  const documentUrl = `${hub.urls.content}/api/v1/documents/${SEED.documents.quarterlyReport.id}`;
  const oneRequest = () => bare.get(documentUrl, { headers: demoAuthorization(hub) });
  const singles: number[] = [];
  const figures: Figure[] = [];
  try {
    for (const testCase of CASES) {
      const samples = {
        unbatched: [] as number[],
        batched: [] as number[],
        optimal: [] as number[],
        naive: [] as number[],
        batchingCost: [] as number[],
      };
      // Onboarding switches an orchestrator's session, so it gets orchestrators of its own.
      const mine = testCase.operation === 'onboardNewUser' ? await orchestratorsFor(hub) : orchestrators;
      const variants = async () => {
        const unbatched = await timed(() => testCase.library(mine.unbatched));
        const batched = await timed(() => testCase.library(mine.batched));
        session.token = hub.tokenFor(demo.email);
        const optimal = await timed(() => testCase.optimal(naiveClients, session));
        session.token = hub.tokenFor(demo.email);
        const naive = await timed(() => testCase.naive(naiveClients, session));
        const single = await timed(oneRequest);
        return { unbatched, batched, optimal, naive, single };
      };
      setLatency(hub, 0);
      for (let round = 0; round < WARM_UP_RUNS; round += 1) await variants();
      setLatency(hub, LATENCY_MS);
      // One more at full latency, so that idle sockets and timers are as in the measured rounds.
      await variants();
      for (let round = 0; round < RUNS; round += 1) {
        const { unbatched, batched, optimal, naive, single } = await variants();
        singles.push(single);
        samples.unbatched.push(unbatched);
        samples.batched.push(batched);
        samples.optimal.push(optimal);
        samples.naive.push(naive);
        // Per round, the cost of batching for one operation alone: the same operation with it on and off, back to back.
        samples.batchingCost.push(batched - unbatched);
      }
      if (mine !== orchestrators) {
        mine.unbatched.dispose();
        mine.batched.dispose();
      }
      const hop = median(singles);
      const nominal = testCase.hops * LATENCY_MS;
      const floor = testCase.hops * hop;
      const goal = { text: '≤ 1.10× critical path', pass: (ratio: number) => ratio <= 1.1 };
      const optimalGoal = { text: '≤ 1.03× hand-written optimal', pass: (ratio: number) => ratio <= 1.03 };
      const name = testCase.operation;
      const hops = `${testCase.hops} hops`;
      const optimal = median(samples.optimal);
      figures.push(
        figure(`${name}, batching on (default)`, median(samples.batched), 'ms', 'hand-written optimal', optimal, optimalGoal),
        figure(`${name}, batching off`, median(samples.unbatched), 'ms', 'hand-written optimal', optimal, optimalGoal),
        figure(`${name}, hand-written optimal`, optimal, 'ms', `${hops} × one bare request`, floor),
        figure(`${name}, batching off`, median(samples.unbatched), 'ms', `${hops} × ${LATENCY_MS} ms (nominal)`, nominal, goal),
        figure(`${name}, batching on`, median(samples.batched), 'ms', `${hops} × one bare request`, floor, goal),
        figure(`${name}: batching on minus off`, median(samples.batchingCost), 'ms', 'batching off', median(samples.unbatched), {
          text: '≤ 1 ms',
          pass: (_ratio, value) => value <= 1,
        }),
        figure(`${name}, naive`, median(samples.naive), 'ms', `${hops} × one bare request`, floor),
      );
    }
    figures.unshift(figure('one bare axios request (a hop)', median(singles), 'ms', 'simulator latency', LATENCY_MS));
    hub.clearRequests();
  } finally {
    orchestrators.unbatched.dispose();
    orchestrators.batched.dispose();
    await hub.close();
  }
  return [
    {
      id: 'critical-path',
      title: `2. The critical path, every request ${LATENCY_MS} ms`,
      setup: [
        `Simulator latency ${LATENCY_MS} ms on every request (from its arrival to its being served); ${RUNS} runs of each variant, interleaved, the median shown; ` +
          `before them ${WARM_UP_RUNS} runs of every variant at 0 ms latency, so that V8 has optimised every code path as in a long-running app, and one at ${LATENCY_MS} ms.`,
        `Lower bound: the longest chain of dependent requests (hops) × ${LATENCY_MS} ms (nominal), and × the p50 of one bare axios GET measured in the same rounds (the floor one request really costs here: timer wake-up and loopback on top of the ${LATENCY_MS} ms).`,
        `Batching on (the default, batchWindow ${BATCH_WINDOW_MS} ms) sends a notification at once when no other batch is in flight, so an operation alone no longer waits for the window; "batching on minus off" is the median, over the rounds, of the two run back to back.`,
        'Hand-written optimal: the same clients (createHubClients over createHttpClient, no resilience), Promise.all wherever the dependencies allow, notifications posted all at once.',
        'Naive: the same clients (createHubClients), every step awaited with firstValueFrom one after the other, as the original code did.',
        ...CASES.map((c) => `${c.operation}: ${c.chain} = ${c.hops} requests.`),
      ],
      figures,
    },
  ];
}
