import { OPERATION_NAMES, SERVICE_NAMES, type OperationName } from '../hub';
import type { OperationResult } from '../operations';
import { createServiceOrchestrator, type ServiceOrchestrator } from '../orchestrator';
import { SEED, startHub, type Hub, type HubMode } from '../simulator';
import type { OrchestratorEvent } from '../streams/events';
import type { OrchestratorMetrics } from '../streams/metrics';
import { doctorTable } from './doctor';
import { healthTable, table } from './format';
import type { CliIO } from './io';

/** The simulated network: every request takes this long, so that parallel steps show. */
const LATENCY_MS = 15;

/**
 * The project's main job on its embedded default: a simulator on free ports, the four operations
 * (one under injected faults, so that retries and an open circuit show), live events, then a
 * health table and the metrics. In `upstream` or `deployed` mode it shows what doctor finds and
 * how each operation fares against that Hub instead. Leaves nothing running.
 */
export async function runDemo(io: CliIO, mode: HubMode = 'extended'): Promise<number> {
  const hub = await startHub({ latencyMs: LATENCY_MS, mode });
  const orchestrator = createServiceOrchestrator({
    services: hub.urls,
    enableLogging: false,
    retryAttempts: 2,
    retryDelay: 100,
    timeout: 1_000,
    batchWindow: 20,
    circuitBreaker: { failureThreshold: 3, resetTimeout: 1_500 },
  });
  const started = Date.now();
  const subscription = orchestrator.events$.subscribe((event) => {
    const line = describeEvent(event);
    if (line) io.out(`${String(Date.now() - started).padStart(6)} ms  ${line}`);
  });
  try {
    return await (mode === 'extended' ? script(hub, orchestrator, io) : publishedScript(hub, orchestrator, io));
  } finally {
    subscription.unsubscribe();
    orchestrator.dispose();
    await hub.close();
  }
}

async function script(hub: Hub, orchestrator: ServiceOrchestrator, io: CliIO): Promise<number> {
  const { alice, bob, demo } = SEED.users;
  const heading = (text: string) => io.out(`\n== ${text}`);
  io.out(`ReactDjango Hub simulator on ${SERVICE_NAMES.map((s) => `${s} ${hub.urls[s]}`).join(', ')} (${LATENCY_MS} ms a request)`);

  heading('Health before we start');
  io.out(healthTable(await orchestrator.performHealthCheck()));

  heading('1. onboardNewUser: register, verify, sign in, then welcome + templates + workflows in parallel');
  const onboarded = await orchestrator.onboardNewUser({
    email: 'ada@hub.local',
    password: 'Analytical1!',
    first_name: 'Ada',
    last_name: 'Lovelace',
  });
  report(
    io,
    onboarded,
    (d) => `user ${d.user.email}, ${d.defaultDocuments.length} template documents, ${d.initialWorkflows.length} workflows started`,
  );

  await orchestrator.signIn(demo.email, demo.password);

  heading('2. processDocumentWithAI, with content answering 503 twice (watch the retries)');
  hub.inject('content', {
    method: 'GET',
    path: '/api/v1/documents/{id}',
    faults: [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 503 },
    ],
  });
  const processed = await orchestrator.processDocumentWithAI(SEED.documents.quarterlyReport.id, SEED.definitions.aiProcessing.id, [
    alice.id,
    bob.id,
  ]);
  report(
    io,
    processed,
    (d) => `workflow ${d.workflow.name} started as ${d.execution.workflow_id}, ${d.notifications.length} users notified`,
  );

  heading('3. searchAndTriggerWorkflows');
  const searched = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id, bob.id]);
  report(
    io,
    searched,
    (d) => `${d.searchResults.total} results, ${d.workflowsTriggered.length} workflows triggered, ${d.notificationsSent.length} notified`,
  );

  heading('4. setupCollaborativeWorkspace');
  const workspace = await orchestrator.setupCollaborativeWorkspace(
    SEED.documents.serviceContract.id,
    [alice.email, bob.email, 'guest@example.org'],
    SEED.definitions.collaborationTemplate.id,
  );
  report(io, workspace, (d) => `"${d.conversation.title}" with ${d.participants.length} members, ${d.notifications.length} notified`);

  heading('5. The workflow service goes down: the circuit opens and calls fail fast');
  await hub.stopService('workflow');
  io.out(healthTable(await orchestrator.performHealthCheck()));
  for (let run = 1; run <= 3; run += 1) {
    const result = await orchestrator.processDocumentWithAI(SEED.documents.productRoadmap.id, SEED.definitions.aiProcessing.id);
    io.out(
      `   run ${run}: ${result.success ? 'ok' : `failed (${String(result.details?.code)}) in ${Math.round(result.duration ?? 0)} ms`}`,
    );
  }

  heading('6. The workflow service comes back: after the reset timeout one probe closes the circuit');
  await hub.startService('workflow');
  await new Promise((resolve) => setTimeout(resolve, orchestrator.config.circuitBreaker.resetTimeout));
  const recovered = await orchestrator.processDocumentWithAI(SEED.documents.productRoadmap.id, SEED.definitions.aiProcessing.id, [
    alice.id,
  ]);
  report(io, recovered, (d) => `workflow started as ${d.execution.workflow_id}`);

  heading('Health at the end');
  io.out(healthTable(await orchestrator.performHealthCheck()));
  heading('Metrics');
  io.out(metricsTables(orchestrator.getMetrics()));

  const expected = [onboarded, processed, searched, workspace, recovered];
  return expected.every((result) => result.success) ? 0 : 1;
}

/**
 * The demo against the Hub as published (`upstream`) or as deployed: what `doctor` finds, then each
 * operation, which must succeed exactly where doctor says it can run (fully or partly).
 */
async function publishedScript(hub: Hub, orchestrator: ServiceOrchestrator, io: CliIO): Promise<number> {
  const { alice, bob, demo } = SEED.users;
  const heading = (text: string) => io.out(`\n== ${text}`);
  io.out(`ReactDjango Hub simulator in ${hub.mode} mode on ${SERVICE_NAMES.map((s) => `${s} ${hub.urls[s]}`).join(', ')}`);

  heading('Health');
  io.out(healthTable(await orchestrator.performHealthCheck()));

  heading(`What doctor finds (signed in as ${demo.email}; nothing is written)`);
  const capabilities = await orchestrator.capabilities({ credentials: { email: demo.email, password: demo.password } });
  io.out(doctorTable(capabilities));

  const results: Record<OperationName, OperationResult<unknown>> = {
    signIn: await orchestrator.signIn(demo.email, demo.password),
    onboardNewUser: await orchestrator.onboardNewUser({
      email: 'ada@hub.local',
      password: 'Analytical1!',
      first_name: 'Ada',
      last_name: 'Lovelace',
    }),
    processDocumentWithAI: await orchestrator.processDocumentWithAI(SEED.documents.quarterlyReport.id, SEED.definitions.aiProcessing.id, [
      alice.id,
    ]),
    searchAndTriggerWorkflows: await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [alice.id]),
    setupCollaborativeWorkspace: await orchestrator.setupCollaborativeWorkspace(
      SEED.documents.serviceContract.id,
      [alice.email, bob.email],
      SEED.definitions.collaborationTemplate.id,
    ),
  };
  heading('The operations, and whether each came out as doctor said');
  let consistent = true;
  for (const name of OPERATION_NAMES) {
    const result = results[name];
    const expected = capabilities.operations[name] !== 'unavailable';
    consistent &&= result.success === expected;
    io.out(`\n${name} (doctor: ${capabilities.operations[name]})${result.success === expected ? '' : '  << NOT AS DOCTOR SAID'}`);
    report(io, result, () => (result.details?.partial ? 'partly' : 'fully'));
  }
  heading('Metrics');
  io.out(metricsTables(orchestrator.getMetrics()));
  return consistent ? 0 : 1;
}

function report<T>(io: CliIO, result: OperationResult<T>, summary: (data: T) => string): void {
  const time = `${Math.round(result.duration ?? 0)} ms`;
  if (result.success && result.data !== undefined) {
    const partial = result.serviceErrors
      ? ` (partial: ${Object.entries(result.serviceErrors)
          .map(([s, e]) => `${s}: ${e}`)
          .join('; ')})`
      : '';
    io.out(`=> success in ${time}: ${summary(result.data)}${partial}`);
  } else {
    io.out(`=> failure in ${time}: ${result.error}`);
  }
}

/** One line per event, or null for the quiet ones. */
export function describeEvent(event: OrchestratorEvent): string | null {
  switch (event.type) {
    case 'operation_start':
      return `> ${event.operation} started`;
    case 'operation_step':
      return `    ${event.outcome === 'ok' ? '+' : event.critical ? 'x' : '~'} ${event.step} (${event.service})${event.error ? `: ${event.error}` : ''}`;
    case 'operation_complete':
      return `< ${event.operation} complete in ${Math.round(event.duration)} ms${event.partial ? ' (partial)' : ''}`;
    case 'operation_error':
      return `< ${event.operation} FAILED in ${Math.round(event.duration)} ms: ${event.error}`;
    case 'operation_retry':
      return `    retry #${event.attempt} of ${event.service} ${event.endpoint} in ${Math.round(event.delay)} ms (${event.error})`;
    case 'retry_budget_exhausted':
      return `    no retry #${event.attempt} of ${event.service} ${event.endpoint}: its retry budget is spent (${event.error})`;
    case 'circuit_state_change':
      return `!! circuit ${event.service}: ${event.previous} -> ${event.current}`;
    case 'service_health_change':
      return event.previous === 'unknown' ? null : `!! ${event.service} is ${event.current} (was ${event.previous})`;
    case 'batch_flush':
      return `    batch of ${event.size} notification(s) sent (${event.reason})`;
  }
}

/** The metrics as two tables: per operation, then per service. */
export function metricsTables(metrics: OrchestratorMetrics): string {
  const operations = Object.entries(metrics.operations).map(([name, m]) => [
    name,
    String(m.count),
    String(m.successful),
    String(m.failed),
    `${m.p50.toFixed(1)}`,
    `${m.p95.toFixed(1)}`,
    `${m.p99.toFixed(1)}`,
  ]);
  const services = SERVICE_NAMES.map((s) => [
    s,
    String(metrics.services[s].requests),
    String(metrics.services[s].errors),
    String(metrics.services[s].retries),
  ]);
  return [
    table(['operation', 'count', 'ok', 'failed', 'p50 ms', 'p95 ms', 'p99 ms'], operations),
    '',
    table(['service', 'requests', 'errors', 'retries'], services),
    '',
    `operations ${metrics.totalOperations} (${metrics.successfulOperations} ok, ${metrics.failedOperations} failed), ` +
      `mean ${metrics.averageOperationTime.toFixed(1)} ms; retries ${metrics.retries}; ` +
      `batches ${metrics.batchesSent} carrying ${metrics.batchedNotifications} notifications; uptime ${(metrics.uptime / 1000).toFixed(1)} s`,
  ].join('\n');
}
