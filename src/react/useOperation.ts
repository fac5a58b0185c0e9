import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  OPERATIONS,
  type OperationArgs,
  type OperationData,
  type OperationFailure,
  type OperationName,
  type OperationOptions,
  type OperationResult,
  type OperationSuccess,
  type ServiceOrchestrator,
} from '../index';
import { useOrchestratorInstance } from './context';
import { createStore } from './store';

/** Where one hook's operation stands, told apart by `status`. */
export type OperationState<T> =
  | { status: 'idle'; data: undefined; error: null; result: null }
  | { status: 'pending'; data: undefined; error: null; result: null }
  | { status: 'success'; data: T; error: null; result: OperationSuccess<T> }
  | { status: 'error'; data: undefined; error: string; result: OperationFailure };

/** What {@link useOperation} gives a component: the state of its latest call, and how to make one. */
export type UseOperation<N extends OperationName> = OperationState<OperationData<N>> & {
  /** True while the latest call runs. */
  isPending: boolean;
  /**
   * Runs the operation with its positional arguments; resolves to its result, never rejects. A call
   * made while another runs aborts the earlier one (the latest call wins).
   */
  run(...args: OperationArgs<N>): Promise<OperationResult<OperationData<N>>>;
  /** Back to `idle`; a call still running is aborted. */
  reset(): void;
};

const IDLE = { status: 'idle', data: undefined, error: null, result: null } as const;
const PENDING = { status: 'pending', data: undefined, error: null, result: null } as const;

/**
 * One operation, with the state of its own calls (not shared with any other hook): `idle`,
 * `pending`, `success` (with `data`) or `error` (with `error`). Unmounting aborts a call still
 * running, and its HTTP requests with it.
 *
 * @example
 * function Search({ query }: { query: string }) {
 *   const search = useOperation('searchAndTriggerWorkflows');
 *   return (
 *     <>
 *       <button onClick={() => search.run(query, false)} disabled={search.isPending}>Search</button>
 *       {search.status === 'success' && <p>{search.data.searchResults.total} results</p>}
 *     </>
 *   );
 * }
 */
export function useOperation<N extends OperationName>(name: N, orchestrator?: ServiceOrchestrator): UseOperation<N> {
  type T = OperationData<N>;
  const fromContext = useOrchestratorInstance();
  const target = orchestrator ?? fromContext;
  const [store] = useState(() => createStore<OperationState<T>>(IDLE));
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  const running = useRef<AbortController | null>(null);

  // Unmounting (StrictMode's rehearsal too) aborts the call still running: its result is ignored.
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
      // The options follow the operation's positional arguments, the optional ones left out included.
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
