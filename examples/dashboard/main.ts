import {
  createServiceOrchestrator,
  SERVICE_NAMES,
  type OperationName,
  type OperationResult,
  type ServiceOrchestrator,
} from '@reactdjango-hub/orchestrator';
import { filter } from 'rxjs';
import { DEFINITIONS, DEMO_USER, DOCUMENTS, PEOPLE } from './seed';
import { readSettings } from './settings';
import { logEvent, renderOperations, renderTiles, showFatal, showHealth, showResult, showSession } from './view';

/** A button's work: run the operation, then say in a few words what it did. */
interface DashboardOperation {
  name: OperationName;
  label: string;
  execute(): Promise<void>;
}

function operation<T>(
  name: OperationName,
  label: string,
  run: () => Promise<OperationResult<T>>,
  summary: (data: T) => string,
  after?: (result: OperationResult<T>) => Promise<unknown>,
): DashboardOperation {
  return {
    name,
    label,
    async execute() {
      showResult(name, 'running');
      const result = await run();
      showResult(name, result, result.success && result.data !== undefined ? summary(result.data) : '');
      await after?.(result);
    },
  };
}

function uniqueEmail(): string {
  return `new.user.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@hub.local`;
}

/** Signs in as the demo user; a call while a sign-in is under way joins it. */
function demoSignIn(orchestrator: ServiceOrchestrator): () => Promise<void> {
  let pending: Promise<void> | null = null;
  const signIn = async () => {
    showSession('signing-in', `Signing in as ${DEMO_USER.email}…`);
    const result = await orchestrator.signIn(DEMO_USER.email, DEMO_USER.password);
    if (result.success) showSession('signed-in', `Signed in as ${DEMO_USER.email}`);
    else showSession('failed', `Sign-in failed: ${result.error ?? 'unknown error'}`);
  };
  return () =>
    (pending ??= signIn().finally(() => {
      pending = null;
    }));
}

function operationsOf(orchestrator: ServiceOrchestrator, signInAsDemo: () => Promise<void>): DashboardOperation[] {
  const notify = [PEOPLE.alice.id, PEOPLE.bob.id];
  return [
    operation(
      'onboardNewUser',
      'Onboard a new user',
      () => orchestrator.onboardNewUser({ email: uniqueEmail(), password: 'Welcome123!', first_name: 'New', last_name: 'Colleague' }),
      (d) => `${d.user.email}, ${d.defaultDocuments.length} templates, ${d.initialWorkflows.length} workflows`,
      // Onboarding signs the new user in; the other buttons act as the demo user, so switch back.
      signInAsDemo,
    ),
    operation(
      'processDocumentWithAI',
      'Process the quarterly report with AI',
      () => orchestrator.processDocumentWithAI(DOCUMENTS.quarterlyReport, DEFINITIONS.aiProcessing, notify),
      (d) => `${d.workflow.name} started, ${d.notifications.length} notified`,
    ),
    operation(
      'searchAndTriggerWorkflows',
      'Search "quarterly report" and trigger',
      () => orchestrator.searchAndTriggerWorkflows('quarterly report', true, notify),
      (d) => `${d.searchResults.total} results, ${d.workflowsTriggered.length} workflows triggered`,
    ),
    operation(
      'setupCollaborativeWorkspace',
      'Set up a workspace on the contract',
      () =>
        orchestrator.setupCollaborativeWorkspace(
          DOCUMENTS.serviceContract,
          [PEOPLE.alice.email, PEOPLE.bob.email],
          DEFINITIONS.collaborationTemplate,
        ),
      (d) => `"${d.conversation.title}" with ${d.participants.length} members`,
    ),
  ];
}

/** Wires the orchestrator to the page; returns what tears it down. */
function start(): () => void {
  const settings = readSettings(window.location.search);
  const orchestrator = createServiceOrchestrator({
    services: settings.services,
    enableLogging: false,
    retryAttempts: 1,
    retryDelay: 200,
    timeout: 5_000,
    health: { checkInterval: settings.checkInterval, timeout: settings.healthTimeout },
  });

  renderTiles(SERVICE_NAMES);
  const signInAsDemo = demoSignIn(orchestrator);
  const operations = operationsOf(orchestrator, signInAsDemo);
  renderOperations(operations, (name) => void operations.find((candidate) => candidate.name === name)?.execute());

  const events = orchestrator.events$.subscribe(logEvent);
  const health = orchestrator.health$.subscribe((check) => showHealth(check, SERVICE_NAMES));
  // Signed out because identity was down when the page loaded: sign in once it is back.
  const recovery = orchestrator.events$
    .pipe(filter((event) => event.type === 'service_health_change' && event.service === 'identity' && event.current !== 'unhealthy'))
    .subscribe(() => {
      if (!orchestrator.getSession()) void signInAsDemo();
    });
  void signInAsDemo();

  return () => {
    recovery.unsubscribe();
    health.unsubscribe();
    events.unsubscribe();
    orchestrator.dispose();
  };
}

try {
  const stop = start();
  window.addEventListener('pagehide', stop, { once: true });
} catch (error) {
  showFatal(error instanceof Error ? error.message : String(error));
}
