import { SERVICE_NAMES, type ServiceName, type SystemHealthCheck } from '@reactdjango-hub/orchestrator';
import type { HubSnapshot } from '@reactdjango-hub/orchestrator/simulator';
import { useCallback, useEffect, useRef } from 'react';
import { EventLog } from './EventLog';
import { Faults } from './Faults';
import { clockTime } from './format';
import { useHealth, useOperation, useOrchestratorInstance } from '@reactdjango-hub/orchestrator/react';
import { Metrics } from './Metrics';
import { Operations } from './Operations';
import { Services } from './Services';
import { DEMO_USER } from './seed';

/** Signs in as the demo user on load, again once identity is back, and on demand (after onboarding). */
function useDemoSession(health: SystemHealthCheck | null) {
  const orchestrator = useOrchestratorInstance();
  const signIn = useOperation('signIn');
  const run = signIn.run;
  const signInAsDemo = useCallback(() => void run(DEMO_USER.email, DEMO_USER.password), [run]);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    signInAsDemo();
  }, [signInAsDemo]);
  // Identity came back (unhealthy, then not) with nobody signed in: sign in again, once per recovery.
  const identityUp = health === null ? null : health.identity.status !== 'unhealthy';
  const wasUp = useRef<boolean | null>(null);
  useEffect(() => {
    const before = wasUp.current;
    wasUp.current = identityUp;
    if (before === false && identityUp === true && !orchestrator.getSession()) signInAsDemo();
  }, [identityUp, orchestrator, signInAsDemo]);
  return { state: signIn, signInAsDemo };
}

/** Every service unhealthy: the page cannot reach the Hub at all, which deserves more than four red tiles. */
function Unreachable({ health, urls }: { health: SystemHealthCheck; urls: Readonly<Record<ServiceName, string>> }) {
  return (
    <div className="banner" role="alert" data-banner="unreachable">
      <strong>The Hub cannot be reached.</strong> No service answered its health check:
      <ul>
        {SERVICE_NAMES.map((service) => (
          <li key={service}>
            <code>{urls[service]}</code> ({service}): {health[service].error ?? health[service].status}
          </li>
        ))}
      </ul>
      Is the simulator (or the Hub) running? <code>npm run dashboard</code> starts both the simulator and this page, and prints the URL to
      open. The tiles turn green on their own once the services answer.
    </div>
  );
}

/** The console: header, banner, service tiles, operations, faults, metrics and the event log. */
export function App({ urls, control }: { urls: Readonly<Record<ServiceName, string>>; control: HubSnapshot | null }) {
  const health = useHealth();
  const session = useDemoSession(health);
  const unreachable = health !== null && SERVICE_NAMES.every((service) => health[service].status === 'unhealthy');
  const sessionState = session.state.status === 'success' ? 'signed-in' : session.state.status === 'error' ? 'failed' : 'signing-in';

  return (
    <>
      <header className="top">
        <h1>ReactDjango Hub</h1>
        <p id="overall" data-status={health?.overall ?? 'unknown'}>
          {health ? `Hub ${health.overall}` : 'Checking the services…'}
          {health && <small> · checked {clockTime(health.timestamp)}</small>}
        </p>
        <p id="session" data-state={sessionState}>
          {sessionState === 'signed-in' && `Signed in as ${DEMO_USER.email}`}
          {sessionState === 'signing-in' && `Signing in as ${DEMO_USER.email}…`}
          {session.state.status === 'error' && `Sign-in failed: ${session.state.error}`}
        </p>
      </header>
      {unreachable && <Unreachable health={health} urls={urls} />}
      <main>
        <section className="panel services" aria-labelledby="services-title">
          <h2 id="services-title">Services</h2>
          <Services health={health} />
        </section>
        <section className="panel operations-panel" aria-labelledby="operations-title">
          <h2 id="operations-title">Operations</h2>
          <Operations afterOnboarding={session.signInAsDemo} />
        </section>
        <section className="panel faults-panel" aria-labelledby="faults-title">
          <h2 id="faults-title">Faults</h2>
          <Faults initial={control} />
        </section>
        <section className="panel metrics" aria-labelledby="metrics-title">
          <h2 id="metrics-title">Metrics</h2>
          <Metrics />
        </section>
        <section className="panel events" aria-labelledby="events-title">
          <h2 id="events-title">
            Events <small>newest first</small>
          </h2>
          <EventLog />
        </section>
      </main>
    </>
  );
}
