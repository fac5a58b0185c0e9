// The seed's examples (/work/shared/seed, "ServiceOrchestrator Documentation"), verbatim but for the
// import path. Each example that awaits is wrapped in an async function of its own (they reuse
// names such as `result`); nothing inside is changed. Not formatted or linted: kept as users copy it.
import { createServiceOrchestrator, serviceOrchestrator } from '@reactdjango-hub/orchestrator';

// Use the default instance (recommended)
const orchestrator = serviceOrchestrator;

// Or create a custom instance
const customOrchestrator = createServiceOrchestrator({
  retryAttempts: 5,
  timeout: 60000,
  enableMetrics: true,
});

const config = {
  retryAttempts: 3,        // Number of retry attempts for failed operations
  retryDelay: 1000,        // Delay between retries (ms)
  timeout: 30000,          // Operation timeout (ms)
  enableBatching: true,    // Enable operation batching
  batchSize: 10,           // Maximum batch size
  enableMetrics: true,     // Enable metrics collection
  enableLogging: true,     // Enable operation logging
};
// Not in the seed: the options above are accepted as they are.
createServiceOrchestrator(config);

export async function onboarding(): Promise<void> {
  const result = await orchestrator.onboardNewUser({
    email: 'user@example.com',
    password: 'securePassword123',
    first_name: 'John',
    last_name: 'Doe',
  });

  if (result.success) {
    const { user, welcomeNotification, defaultDocuments, initialWorkflows } = result.data;
    console.log('User onboarded successfully:', user.email);
  } else {
    console.error('Onboarding failed:', result.error);
  }
}

export async function documentAIProcessing(): Promise<void> {
  const result = await orchestrator.processDocumentWithAI(
    'document-id-123',
    'ai-workflow-id-456',
    ['user-1', 'user-2'] // Users to notify
  );

  if (result.success) {
    const { document, workflow, execution, notifications } = result.data;
    console.log('AI processing started:', execution.id);
  }
}

export async function searchAndWorkflowTriggering(): Promise<void> {
  const result = await orchestrator.searchAndTriggerWorkflows(
    'important documents',
    true, // Enable workflow triggering
    ['user-1'] // Users to notify about results
  );

  if (result.success) {
    const { searchResults, workflowsTriggered, notificationsSent } = result.data;
    console.log(`Found ${searchResults.total} results, triggered ${workflowsTriggered.length} workflows`);
  }
}

export async function collaborationSetup(): Promise<void> {
  const result = await orchestrator.setupCollaborativeWorkspace(
    'document-id-123',
    ['user1@example.com', 'user2@example.com'],
    'collaboration-workflow-template' // Optional workflow template
  );

  if (result.success) {
    const { document, conversation, notifications } = result.data;
    console.log('Collaboration workspace created:', conversation.id);
  }
}

export async function systemHealthCheck(): Promise<void> {
  const health = await orchestrator.performHealthCheck();

  console.log('Overall system health:', health.overall);
  console.log('Service statuses:', {
    identity: health.identity.status,
    communication: health.communication.status,
    content: health.content.status,
    workflow: health.workflow.status,
  });
}

export async function metricsMonitoring(): Promise<void> {
  const metrics = orchestrator.getMetrics();

  console.log('Orchestrator metrics:', {
    totalOperations: metrics.totalOperations,
    successRate: (metrics.successfulOperations / metrics.totalOperations) * 100,
    averageTime: metrics.averageOperationTime,
    uptime: metrics.uptime,
    serviceAvailability: metrics.serviceAvailability,
  });
}

export async function listeningToEvents(): Promise<void> {
  orchestrator.addEventListener((event) => {
    switch (event.type) {
      case 'operation_start':
        console.log('Operation started:', event.operationId);
        break;
      case 'operation_complete':
        console.log('Operation completed:', event.operationId);
        break;
      case 'operation_error':
        console.error('Operation failed:', event.error);
        break;
      case 'service_health_change':
        console.log('Service health changed:', event.data);
        break;
    }
  });
}

export function retryLogic(): void {
  const orchestrator = createServiceOrchestrator({
    retryAttempts: 3,    // Retry up to 3 times
    retryDelay: 1000,    // Wait 1 second between retries
    timeout: 30000,      // 30 second timeout per operation
  });
}

export function cleanup(): void {
  // In component cleanup or app shutdown
  orchestrator.dispose();
}
