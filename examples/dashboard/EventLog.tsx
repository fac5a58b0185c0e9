import type { OrchestratorEvent, OrchestratorEventType } from '@reactdjango-hub/orchestrator';
import { useState } from 'react';
import { clockTime, describeEvent } from './format';
import { useEvents } from '@reactdjango-hub/orchestrator/react';

/** The most events the log keeps; older ones drop off the bottom. */
const LOG_LIMIT = 300;

// Every event type, in the filter's order; the record makes a new type without a place here a type error.
const TYPES = Object.keys({
  operation_start: true,
  operation_step: true,
  operation_complete: true,
  operation_error: true,
  operation_retry: true,
  retry_budget_exhausted: true,
  service_health_change: true,
  circuit_state_change: true,
  batch_flush: true,
} satisfies Record<OrchestratorEventType, true>) as OrchestratorEventType[];

/** A stable key per event object, so that rows keep their identity as new events arrive. */
const keys = new WeakMap<OrchestratorEvent, number>();
let nextKey = 0;
function keyOf(event: OrchestratorEvent): number {
  let key = keys.get(event);
  if (key === undefined) {
    key = nextKey++;
    keys.set(event, key);
  }
  return key;
}

/** The event log, newest first: a type filter, pause (the list holds still, events still count) and clear. */
export function EventLog() {
  const events = useEvents(undefined, { limit: LOG_LIMIT });
  const [type, setType] = useState<OrchestratorEventType | 'all'>('all');
  // Paused: the events as they were; cleared: the last event before the clear (later ones show).
  const [frozen, setFrozen] = useState<readonly OrchestratorEvent[] | null>(null);
  const [clearedAfter, setClearedAfter] = useState<OrchestratorEvent | null>(null);

  const source = frozen ?? events;
  const cut = clearedAfter ? source.lastIndexOf(clearedAfter) : -1;
  const shown = source.slice(cut + 1).filter((event) => type === 'all' || event.type === type);
  const waiting = frozen ? events.length - events.lastIndexOf(frozen.at(-1)!) - 1 : 0;

  return (
    <>
      <div className="log-toolbar">
        <label>
          <span>Type</span>
          <select id="event-filter" value={type} onChange={(event) => setType(event.target.value as OrchestratorEventType | 'all')}>
            <option value="all">all events</option>
            {TYPES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-log="pause" aria-pressed={frozen !== null} onClick={() => setFrozen(frozen ? null : events)}>
          {frozen ? 'Resume' : 'Pause'}
        </button>
        <button type="button" data-log="clear" onClick={() => setClearedAfter(events.at(-1) ?? null)}>
          Clear
        </button>
        <span className="log-count" aria-live="polite">
          {shown.length} shown{frozen ? `, paused (${Math.max(0, waiting)} new)` : ''}
        </span>
      </div>
      <ol id="event-log" data-paused={frozen !== null}>
        {shown.length === 0 && <li className="empty">No events{type === 'all' ? '' : ` of type ${type}`} yet.</li>}
        {shown
          .slice()
          .reverse()
          .map((event) => {
            const { subject, detail } = describeEvent(event);
            return (
              <li
                key={keyOf(event)}
                data-type={event.type}
                data-operation={'operation' in event ? event.operation : undefined}
                data-step={event.type === 'operation_step' ? event.step : undefined}
              >
                <time dateTime={event.timestamp}>{clockTime(event.timestamp)}</time>
                <span className="type">{event.type}</span>
                <span className="subject">{subject}</span>
                <span className="detail">{detail}</span>
              </li>
            );
          })}
      </ol>
    </>
  );
}
