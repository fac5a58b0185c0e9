// The Hub's health in a component: subscribes to `health$` while mounted, through React's
// useSyncExternalStore. `health$` is shared, so any number of components cause one round of checks,
// and its timer stops when the last one unmounts.
import { useCallback, useSyncExternalStore } from 'react';
import type { ServiceOrchestrator, SystemHealthCheck } from '@reactdjango-hub/orchestrator';

/** The latest check per orchestrator: a stable snapshot between checks, as useSyncExternalStore needs. */
const latest = new WeakMap<ServiceOrchestrator, SystemHealthCheck>();

/** Nothing is checked during server rendering. */
const serverSnapshot = (): null => null;

/**
 * The latest {@link SystemHealthCheck} of the Hub, or null until the first check answers.
 *
 * @example
 * const health = useHealth(orchestrator);
 * return <p>{health ? `The Hub is ${health.overall}` : 'Checking…'}</p>;
 */
export function useHealth(orchestrator: ServiceOrchestrator): SystemHealthCheck | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const subscription = orchestrator.health$.subscribe((health) => {
        latest.set(orchestrator, health);
        onChange();
      });
      return () => subscription.unsubscribe();
    },
    [orchestrator],
  );
  const getSnapshot = useCallback(() => latest.get(orchestrator) ?? null, [orchestrator]);
  return useSyncExternalStore(subscribe, getSnapshot, serverSnapshot);
}
