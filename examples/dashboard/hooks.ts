// STAND-INS for the React bindings `@reactdjango-hub/orchestrator/react` (issue 13, branch issue-13).
// That branch is not merged with main yet (merging it here conflicts in the library's core: its
// wiring.ts refactor against main's tracing and secrets), so the dashboard uses these few hooks,
// written to the bindings' API as of d2df7cc: same names, same arguments, same state shapes. The
// switch is one import in each component (`./hooks` → `@reactdjango-hub/orchestrator/react`), an
// alias in vite.config.ts and a path in tsconfig.json; then this file goes.
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import {
  OPERATIONS,
  type OperationArgs,
  type OperationData,
  type OperationFailure,
  type OperationName,
  type OperationOptions,
  type OperationResult,
  type OperationSuccess,
  type OrchestratorEvent,
  type OrchestratorEventType,
  type OrchestratorMetrics,
  type ServiceOrchestrator,
  type SystemHealthCheck,
} from '@reactdjango-hub/orchestrator';

/** A value that changes, in the shape `useSyncExternalStore` reads: a stable snapshot between changes. */
interface Store<T> {
  get(): T;
  set(value: T): void;
  subscribe(onChange: () => void): () => void;
}

function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
  };
}

const OrchestratorContext = createContext<ServiceOrchestrator | null>(null);

/** Gives the hooks below it their orchestrator (as the bindings' provider does). */
export function OrchestratorProvider({ orchestrator, children }: { orchestrator: ServiceOrchestrator; children?: ReactNode }): ReactNode {
  return createElement(OrchestratorContext.Provider, { value: orchestrator }, children);
}

/** The orchestrator of the nearest {@link OrchestratorProvider}; the dashboard always has one. */
export function useOrchestratorInstance(): ServiceOrchestrator {
  const orchestrator = useContext(OrchestratorContext);
  if (!orchestrator) throw new Error('The dashboard renders inside an OrchestratorProvider');
  return orchestrator;
}

/** Where one hook's operation stands, told apart by `status`. */
export type OperationState<T> =
  | { status: 'idle'; data: undefined; error: null; result: null }
  | { status: 'pending'; data: undefined; error: null; result: null }
  | { status: 'success'; data: T; error: null; result: OperationSuccess<T> }
  | { status: 'error'; data: undefined; error: string; result: OperationFailure };

/** The state of a hook's latest call, and how to make one. */
export type UseOperation<N extends OperationName> = OperationState<OperationData<N>> & {
  isPending: boolean;
  run(...args: OperationArgs<N>): Promise<OperationResult<OperationData<N>>>;
  reset(): void;
};

const IDLE = { status: 'idle', data: undefined, error: null, result: null } as const;
const PENDING = { status: 'pending', data: undefined, error: null, result: null } as const;

/** One operation with a state per hook; the latest call wins, and unmounting aborts a call still running. */
export function useOperation<N extends OperationName>(name: N): UseOperation<N> {
  type T = OperationData<N>;
  const target = useOrchestratorInstance();
  const [store] = useState(() => createStore<OperationState<T>>(IDLE));
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  const running = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      running.current?.abort();
      running.current = null;
    },
    [],
  );
  const run = useCallback(
    async (...args: OperationArgs<N>): Promise<OperationResult<T>> => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      store.set(PENDING);
      // The options follow the positional arguments, the optional ones left out included.
      const positional: unknown[] = Array.from({ length: OPERATIONS[name].args.length }, (_, index) => args[index]);
      const method = target[name] as unknown as (...all: unknown[]) => Promise<OperationResult<T>>;
      const result = await method.call(target, ...positional, { signal: controller.signal } satisfies OperationOptions);
      if (running.current === controller) {
        running.current = null;
        store.set(
          result.success
            ? { status: 'success', data: result.data, error: null, result }
            : { status: 'error', data: undefined, error: result.error, result },
        );
      }
      return result;
    },
    [name, target, store],
  );
  const reset = useCallback(() => {
    running.current?.abort();
    running.current = null;
    store.set(IDLE);
  }, [store]);
  return { ...state, isPending: state.status === 'pending', run, reset };
}

const latestHealth = new WeakMap<ServiceOrchestrator, SystemHealthCheck>();
const latestMetrics = new WeakMap<ServiceOrchestrator, OrchestratorMetrics>();

/** The latest health check, or null until the first answers; `health$` runs while a component listens. */
export function useHealth(): SystemHealthCheck | null {
  const target = useOrchestratorInstance();
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
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}

/** The metrics, a new snapshot after each operation or health check. */
export function useMetrics(): OrchestratorMetrics {
  const target = useOrchestratorInstance();
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

function matches(filter: EventFilter | undefined, event: OrchestratorEvent): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(event);
  return typeof filter === 'string' ? event.type === filter : filter.includes(event.type);
}

const noEvents: never[] = [];

/** The latest events since mount of these types, oldest first (at most `limit`, default 50). */
export function useEvents<const T extends OrchestratorEventType>(
  filter: T | readonly T[],
  options?: { limit?: number },
): ReadonlyArray<Extract<OrchestratorEvent, { type: T }>>;
/** Every event since mount, or those a test passes. */
export function useEvents(filter?: (event: OrchestratorEvent) => boolean, options?: { limit?: number }): ReadonlyArray<OrchestratorEvent>;
export function useEvents(filter?: EventFilter, options: { limit?: number } = {}): ReadonlyArray<OrchestratorEvent> {
  const target = useOrchestratorInstance();
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
  return useSyncExternalStore(subscribe, store.get, store.get);
}
