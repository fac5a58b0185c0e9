import { SERVICE_NAMES, type CircuitState, type ServiceName, type SystemHealthCheck } from '@reactdjango-hub/orchestrator';
import { useEffect, useState } from 'react';
import { Sparkline } from './charts';
import { ms } from './format';
import { useEvents } from '@reactdjango-hub/orchestrator/react';

/** How many health checks each tile's sparkline shows. */
const HISTORY = 40;

/** Each service's latest circuit state, from the `circuit_state_change` events since the page opened. */
function useCircuits(): Record<ServiceName, CircuitState> {
  const changes = useEvents('circuit_state_change', { limit: 100 });
  const circuits: Record<ServiceName, CircuitState> = {
    identity: 'closed',
    content: 'closed',
    communication: 'closed',
    workflow: 'closed',
  };
  for (const change of changes) circuits[change.service] = change.current;
  return circuits;
}

const CIRCUIT_TEXT: Record<CircuitState, string> = {
  closed: 'circuit closed',
  open: 'circuit open: calls fail fast',
  half_open: 'circuit half-open: probing',
};

/** One tile per service: `data-service`, `data-status`, `data-circuit` and `data-latency` are what tests read. */
export function Services({ health }: { health: SystemHealthCheck | null }) {
  const circuits = useCircuits();
  const [history, setHistory] = useState<SystemHealthCheck[]>([]);
  useEffect(() => {
    if (health) setHistory((previous) => [...previous, health].slice(-HISTORY));
  }, [health]);

  return (
    <div className="tiles">
      {SERVICE_NAMES.map((service) => {
        const current = health?.[service];
        const status = current?.status ?? 'unknown';
        const latencies = history.map((check) => check[service].latencyMs);
        return (
          <article
            key={service}
            className="tile"
            data-service={service}
            data-status={status}
            data-circuit={circuits[service]}
            data-latency={current?.latencyMs}
          >
            <header>
              <h3>{service}</h3>
              <span className="badge status">{current ? status : 'checking…'}</span>
            </header>
            <p className="latency">
              <span>{ms(current?.latencyMs)}</span>
              <Sparkline values={latencies} label={`${service} health-check latency, last ${latencies.length} checks`} />
            </p>
            <p className="circuit" data-state={circuits[service]}>
              {CIRCUIT_TEXT[circuits[service]]}
            </p>
            <p className="detail">{current ? (current.error ?? `${current.service} ${current.version}`) : ' '}</p>
          </article>
        );
      })}
    </div>
  );
}
