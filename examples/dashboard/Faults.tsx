import { SERVICE_NAMES, type ServiceName } from '@reactdjango-hub/orchestrator';
import type { ControlAction, HubSnapshot, ServiceSnapshot } from '@reactdjango-hub/orchestrator/simulator';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { readControlState, sendControlAction } from './controlClient';

/** ms between reads of the simulator's state: queued failures count down as requests use them. */
const POLL_INTERVAL = 1_000;

/** The simulator's state, polled while mounted, and a way to act on it. */
function useControl(initial: HubSnapshot) {
  const [state, setState] = useState<HubSnapshot>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setInterval(() => {
      readControlState(controller.signal).then(
        (next) => {
          if (next) setState(next);
        },
        () => undefined,
      );
    }, POLL_INTERVAL);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, []);

  const act = useCallback(async (action: ControlAction) => {
    setBusy(true);
    setError(null);
    try {
      setState(await sendControlAction(action));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }, []);

  return { state, busy, error, act };
}

/** What a service is suffering now, in a few words. */
function describeService(service: ServiceSnapshot): string {
  const parts = [service.running ? 'running' : 'stopped'];
  if (service.latencyMs > 0) parts.push(`+${service.latencyMs} ms`);
  if (service.health !== 'healthy') parts.push(`reports ${service.health}`);
  const queued = service.faults.reduce((sum, fault) => sum + (fault.remaining ?? Infinity), 0);
  if (service.faults.length > 0) parts.push(`${queued === Infinity ? 'endless' : queued} failure(s) queued`);
  return parts.join(' · ');
}

function numberOf(form: FormData, name: string): number {
  return Number(form.get(name));
}

function ServiceFaults({
  name,
  service,
  busy,
  act,
}: {
  name: ServiceName;
  service: ServiceSnapshot;
  busy: boolean;
  act: (action: ControlAction) => void;
}) {
  const fail = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    act({ action: 'fail', service: name, count: numberOf(form, 'count'), status: numberOf(form, 'status') });
  };
  const delay = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    act({ action: 'latency', service: name, ms: numberOf(new FormData(event.currentTarget), 'ms') });
  };
  return (
    <li className="fault-row" data-fault-service={name} data-running={service.running}>
      <div className="fault-head">
        <strong>{name}</strong>
        <span className="fault-state">{describeService(service)}</span>
      </div>
      <div className="fault-actions">
        <button
          type="button"
          data-fault={service.running ? 'stop' : 'start'}
          disabled={busy}
          onClick={() => act({ action: service.running ? 'stop' : 'start', service: name })}
        >
          {service.running ? 'Stop' : 'Start'}
        </button>
        <form onSubmit={fail}>
          <label>
            <span>Fail next</span>
            <input name="count" type="number" min={1} max={1000} defaultValue={5} required />
          </label>
          <label>
            <span>with</span>
            <select name="status" defaultValue="503">
              <option value="500">500</option>
              <option value="502">502</option>
              <option value="503">503</option>
              <option value="504">504</option>
            </select>
          </label>
          <button type="submit" data-fault="fail" disabled={busy}>
            Inject
          </button>
        </form>
        <form onSubmit={delay}>
          <label>
            <span>Latency</span>
            <input name="ms" type="number" min={0} max={30000} step={50} defaultValue={service.latencyMs} required />
          </label>
          <button type="submit" data-fault="latency" disabled={busy}>
            Set
          </button>
        </form>
      </div>
    </li>
  );
}

/** Fault injection through the simulator's control endpoint; without one, says where to get it. */
export function Faults({ initial }: { initial: HubSnapshot | null }) {
  if (!initial) {
    return (
      <p className="hint" data-control="absent">
        No simulator control on this page&apos;s origin. Fault controls come with <code>npm run dashboard</code>, which serves the page and
        the simulator together; against a real Hub, faults are yours to make.
      </p>
    );
  }
  return <FaultControls initial={initial} />;
}

function FaultControls({ initial }: { initial: HubSnapshot }) {
  const { state, busy, error, act } = useControl(initial);
  const run = (action: ControlAction) => void act(action);
  return (
    <div data-control="present">
      <ul className="faults">
        {SERVICE_NAMES.map((name) => (
          <ServiceFaults key={name} name={name} service={state.services[name]} busy={busy} act={run} />
        ))}
      </ul>
      <div className="fault-footer">
        <button type="button" data-fault="clear" disabled={busy} onClick={() => run({ action: 'clear' })}>
          Clear all faults
        </button>
        {error && (
          <p className="fault-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
