import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { OrchestratorEvent, OrchestratorEventType, OrchestratorMetrics, ServiceOrchestrator, SystemHealthCheck } from '../index';
import { useOrchestratorInstance } from './context';
import { createStore } from './store';

/** The latest check and metrics per orchestrator: stable snapshots between changes, shared by every hook. */
const latestHealth = new WeakMap<ServiceOrchestrator, SystemHealthCheck>();
const latestMetrics = new WeakMap<ServiceOrchestrator, OrchestratorMetrics>();

/** Nothing is checked during server rendering. */
const noHealth = (): null => null;

/**
 * The latest {@link SystemHealthCheck} of the Hub, or null until the first check answers. Mounted
 * components share `health$`: one round of checks however many there are, every
 * `health.checkInterval` ms, and the timer stops when the last one unmounts.
 *
 * @example
 * function HubStatus() {
 *   const health = useHealth();
 *   return <p>{health ? `The Hub is ${health.overall}` : 'Checking…'}</p>;
 * }
 */
export function useHealth(orchestrator?: ServiceOrchestrator): SystemHealthCheck | null {
  const fromContext = useOrchestratorInstance();
  const target = orchestrator ?? fromContext;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = target.health$.subscribe((health) => {
        latestHealth.set(target, health);
        onChange();
      });
      return () => subscription.unsubscribe();
    },
    [target],
  );
  const getSnapshot = useCallback(() => latestHealth.get(target) ?? null, [target]);
  return useSyncExternalStore(subscribe, getSnapshot, noHealth);
}

/**
 * The orchestrator's metrics, as of the last operation or health check: a new snapshot after each.
 *
 * @example
 * const { totalOperations, successfulOperations } = useMetrics();
 */
export function useMetrics(orchestrator?: ServiceOrchestrator): OrchestratorMetrics {
  const fromContext = useOrchestratorInstance();
  const target = orchestrator ?? fromContext;
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = target.metrics$.subscribe((metrics) => {
        latestMetrics.set(target, metrics);
        onChange();
      });
      return () => subscription.unsubscribe();
    },
    [target],
  );
  const getSnapshot = useCallback(() => {
    let metrics = latestMetrics.get(target);
    if (!metrics) {
      metrics = target.getMetrics();
      latestMetrics.set(target, metrics);
    }
    return metrics;
  }, [target]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** Which events {@link useEvents} keeps: one type, several, or a test. */
export type EventFilter = OrchestratorEventType | readonly OrchestratorEventType[] | ((event: OrchestratorEvent) => boolean);

/** Options of {@link useEvents}. */
export interface UseEventsOptions {
  /** How many of the latest events are kept; default 50. */
  limit?: number;
}

function matches(filter: EventFilter | undefined, event: OrchestratorEvent): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(event);
  return typeof filter === 'string' ? event.type === filter : filter.includes(event.type);
}

const noEvents: never[] = [];

/**
 * The latest events since mount that pass `filter`, oldest first (at most `limit`). The filter may
 * be a new function on each render: the latest one is used, and nothing resubscribes.
 *
 * @example
 * const failures = useEvents('operation_error');
 * const progress = useEvents((event) => event.type === 'operation_step' && event.operationId === id, { limit: 10 });
 */
export function useEvents<const T extends OrchestratorEventType>(
  filter: T | readonly T[],
  options?: UseEventsOptions,
  orchestrator?: ServiceOrchestrator,
): ReadonlyArray<Extract<OrchestratorEvent, { type: T }>>;
/** Every event, or those a test passes. */
export function useEvents(
  filter?: (event: OrchestratorEvent) => boolean,
  options?: UseEventsOptions,
  orchestrator?: ServiceOrchestrator,
): ReadonlyArray<OrchestratorEvent>;
export function useEvents(
  filter?: EventFilter,
  options: UseEventsOptions = {},
  orchestrator?: ServiceOrchestrator,
): ReadonlyArray<OrchestratorEvent> {
  const fromContext = useOrchestratorInstance();
  const target = orchestrator ?? fromContext;
  const limit = options.limit ?? 50;
  const [store] = useState(() => createStore<OrchestratorEvent[]>(noEvents));
  const filterRef = useRef(filter);
  useEffect(() => {
    filterRef.current = filter;
  });
  const subscribe = useCallback(
    (onChange: () => void) => {
      const stop = store.subscribe(onChange);
      const subscription = target.events$.subscribe((event) => {
        if (matches(filterRef.current, event)) store.set([...store.get(), event].slice(-limit));
      });
      return () => {
        subscription.unsubscribe();
        stop();
      };
    },
    [target, store, limit],
  );
  return useSyncExternalStore(subscribe, store.get, () => noEvents);
}
