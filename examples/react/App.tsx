// A front end's entry: the default instance configured before its first use (a browser has no
// environment to read the service URLs from), the provider, and the bindings in components.
import { configureServiceOrchestrator, serviceOrchestrator } from '@reactdjango-hub/orchestrator';
import { OrchestratorProvider, useEvents, useHealth, useMetrics, useOrchestrator } from '@reactdjango-hub/orchestrator/react';
import { UserOnboarding } from './UserOnboarding';

configureServiceOrchestrator({
  services: {
    identity: 'https://identity.example.com',
    content: 'https://content.example.com',
    communication: 'https://communication.example.com',
    workflow: 'https://workflow.example.com',
  },
});

/** The Hub's health, checked while mounted (one round of checks however many components show it). */
function HealthBadge() {
  const health = useHealth();
  return <p>{health ? `The Hub is ${health.overall}` : 'Checking…'}</p>;
}

/** The last failures, and the success rate. */
function Activity() {
  const failures = useEvents('operation_error', { limit: 5 });
  const metrics = useMetrics();
  const rate = metrics.totalOperations > 0 ? Math.round((metrics.successfulOperations / metrics.totalOperations) * 100) : 100;
  return (
    <section>
      <p>
        {rate}% of {metrics.totalOperations} operations succeeded
      </p>
      <ul>
        {failures.map((event) => (
          <li key={event.operationId}>
            {event.operation}: {event.error}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The seed's hook: one isLoading and one error for the calls it makes. */
function QuickSearch() {
  const { searchAndTrigger, isLoading, error } = useOrchestrator();
  return (
    <div>
      <button disabled={isLoading} onClick={() => void searchAndTrigger('quarterly report', false)}>
        Search
      </button>
      {error && <p className="error">{error}</p>}
    </div>
  );
}

/** The app: every hook below uses the default instance configured above. */
export function App() {
  return (
    <OrchestratorProvider orchestrator={serviceOrchestrator}>
      <HealthBadge />
      <UserOnboarding />
      <QuickSearch />
      <Activity />
    </OrchestratorProvider>
  );
}
