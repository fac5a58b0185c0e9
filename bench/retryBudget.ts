// 5. The retry budget: a service failing one request in three (never more than two in a row, too few
// to open its breaker), with the budget on (the default) and off: the requests it receives per first
// attempt, and the operations' success rate.
import type { FaultStep } from '../src/simulator';
import { startHub, type Hub } from '../src/simulator';
import { figure, signedIn, type Figure, type Section } from './support';

const OPERATIONS = 3_000;
/** Operations in flight at once. */
const CONCURRENCY = 50;
const RUNS = 2;
const SEARCH = '/api/v1/search';

/** A seeded generator (mulberry32), so that both variants meet the same faults. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One step per request: a 503 with probability 1/3, never three in a row; enough for every attempt. */
function faultSequence(seed: number, length: number): FaultStep[] {
  const random = seeded(seed);
  const steps: FaultStep[] = [];
  let run = 0;
  for (let i = 0; i < length; i += 1) {
    const fail = run < 2 && random() < 1 / 3;
    run = fail ? run + 1 : 0;
    steps.push(fail ? { kind: 'status', status: 503 } : { kind: 'pass' });
  }
  return steps;
}

interface Outcome {
  requests: number;
  succeeded: number;
  circuitOpened: boolean;
}

/** `OPERATIONS` one-request operations, `CONCURRENCY` at a time, against the faulty search. */
async function once(hub: Hub, budget: boolean, seed: number): Promise<Outcome> {
  hub.reset();
  const orchestrator = await signedIn(hub, {
    retryAttempts: 3,
    retryDelay: 1,
    maxRetryDelay: 5,
    retryBudget: { enabled: budget },
  });
  let circuitOpened = false;
  orchestrator.events$.subscribe((event) => {
    if (event.type === 'circuit_state_change' && event.current === 'open') circuitOpened = true;
  });
  hub.clearRequests();
  const steps = faultSequence(seed, OPERATIONS * 4);
  hub.inject('content', { method: 'GET', path: SEARCH, faults: steps });
  let next = 0;
  let succeeded = 0;
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < OPERATIONS) {
          next += 1;
          const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', false);
          if (result.success) succeeded += 1;
        }
      }),
    );
    return { requests: hub.requestsTo('content', 'GET', SEARCH).length, succeeded, circuitOpened };
  } finally {
    orchestrator.dispose();
  }
}

export async function run(): Promise<Section[]> {
  const hub = await startHub();
  const figures: Figure[] = [];
  try {
    const on: Outcome[] = [];
    const off: Outcome[] = [];
    for (let round = 0; round < RUNS; round += 1) {
      off.push(await once(hub, false, 1_000 + round));
      on.push(await once(hub, true, 1_000 + round));
    }
    if ([...on, ...off].some((outcome) => outcome.circuitOpened))
      throw new Error('a circuit opened: the fault sequence is not what this benchmark needs');
    const total = (list: Outcome[], pick: (o: Outcome) => number): number => list.reduce((sum, o) => sum + pick(o), 0);
    const firsts = OPERATIONS * RUNS;
    const requestsOff = total(off, (o) => o.requests);
    const requestsOn = total(on, (o) => o.requests);
    const successOff = total(off, (o) => o.succeeded) / firsts;
    const successOn = total(on, (o) => o.succeeded) / firsts;
    figures.push(
      figure('requests per first attempt, no budget', requestsOff / firsts, '×', 'first attempts', 1),
      figure('requests per first attempt, retry budget (default)', requestsOn / firsts, '×', 'first attempts', 1, {
        text: '≤ 1.25× first attempts',
        pass: (ratio) => ratio <= 1.25,
      }),
      figure('requests, retry budget', requestsOn, 'req', 'no budget', requestsOff),
      figure('operations succeeded, no budget', successOff * 100, '%', 'operations', 100),
      figure('operations succeeded, retry budget', successOn * 100, '%', 'no budget', successOff * 100),
    );
  } finally {
    await hub.close();
  }
  return [
    {
      id: 'retry-budget',
      title: '5. The retry budget, a service failing one request in three',
      setup: [
        `${OPERATIONS.toLocaleString('en-US')} searchAndTriggerWorkflows(query, false) (one GET /api/v1/search each), ${CONCURRENCY} in flight at a time, ${RUNS} runs each way, ` +
          'a fresh orchestrator per run (retryAttempts 3, retryDelay 1 ms, maxRetryDelay 5 ms, so that the waits do not dominate; every other option its default).',
        'Faults: a seeded sequence, one step per request the search receives: a 503 with probability 1/3, never three in a row, so that the breaker (5 in a row) never opens; ' +
          'both variants meet the same sequence. Requests: what the simulator received; first attempts: one per operation.',
        'Retry budget: the default, ratio 0.2 of the requests over a 10 s window plus a floor of 1 retry per second (10 per window); no budget: retryBudget.enabled false, retries bounded by retryAttempts only.',
      ],
      figures,
    },
  ];
}
