import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type {
  CollaborativeWorkspaceResult,
  OnboardInput,
  OnboardResult,
  OperationOptions,
  OperationResult,
  ProcessDocumentResult,
  SearchAndTriggerResult,
  ServiceOrchestrator,
} from '../index';
import { useOrchestratorInstance } from './context';
import { createStore } from './store';

/** What {@link useOrchestrator} gives a component: the seed's hook, typed. */
export interface UseOrchestrator {
  /** True while at least one operation started through this hook runs. */
  isLoading: boolean;
  /** The last failure's readable sentence; cleared when the next operation starts. */
  error: string | null;
  /** Registers, verifies and signs in a new user; their data, or null with `error` set. */
  onboardUser(input: OnboardInput): Promise<OnboardResult | null>;
  /** Starts an AI workflow on a document and notifies users; the data, or null with `error` set. */
  processDocument(documentId: string, workflowId: string, notifyUsers?: string[]): Promise<ProcessDocumentResult | null>;
  /** Searches, starts the `search_results` workflows and notifies users; the data, or null with `error` set. */
  searchAndTrigger(query: string, enableWorkflows?: boolean, notifyUsers?: string[]): Promise<SearchAndTriggerResult | null>;
  /** Opens a group conversation about a document; the data, or null with `error` set. */
  setupWorkspace(documentId: string, participantEmails: string[], workflowTemplate?: string): Promise<CollaborativeWorkspaceResult | null>;
  /** The orchestrator behind the hook, for `events$`, `health$` and `getMetrics()`. */
  orchestrator: ServiceOrchestrator;
}

interface Shared {
  inFlight: number;
  error: string | null;
}

/**
 * The seed's `useOrchestrator()`: the operations as functions resolving to their data or null,
 * with one `isLoading` and one `error` for the calls made through this hook. Unmounting aborts the
 * calls still running. For a state per call, use {@link useOperation}.
 *
 * @example
 * const { onboardUser, isLoading, error } = useOrchestrator();
 * const result = await onboardUser(formData);
 */
export function useOrchestrator(orchestrator?: ServiceOrchestrator): UseOrchestrator {
  const fromContext = useOrchestratorInstance();
  const target = orchestrator ?? fromContext;
  const [store] = useState(() => createStore<Shared>({ inFlight: 0, error: null }));
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  const running = useRef(new Set<AbortController>());

  useEffect(() => {
    const calls = running.current;
    return () => {
      for (const controller of calls) controller.abort();
      calls.clear();
    };
  }, []);

  const execute = useCallback(
    async <T>(operation: (options: OperationOptions) => Promise<OperationResult<T>>): Promise<T | null> => {
      const controller = new AbortController();
      running.current.add(controller);
      store.set({ inFlight: store.get().inFlight + 1, error: null });
      const result = await operation({ signal: controller.signal });
      // A call aborted by the unmount changes nothing: nobody is there to see it.
      if (!running.current.delete(controller)) return null;
      const { inFlight, error } = store.get();
      store.set({ inFlight: inFlight - 1, error: result.success ? error : result.error });
      return result.success ? result.data : null;
    },
    [store],
  );

  const onboardUser = useCallback((input: OnboardInput) => execute((options) => target.onboardNewUser(input, options)), [execute, target]);
  const processDocument = useCallback(
    (documentId: string, workflowId: string, notifyUsers: string[] = []) =>
      execute((options) => target.processDocumentWithAI(documentId, workflowId, notifyUsers, options)),
    [execute, target],
  );
  const searchAndTrigger = useCallback(
    (query: string, enableWorkflows = true, notifyUsers: string[] = []) =>
      execute((options) => target.searchAndTriggerWorkflows(query, enableWorkflows, notifyUsers, options)),
    [execute, target],
  );
  const setupWorkspace = useCallback(
    (documentId: string, participantEmails: string[], workflowTemplate?: string) =>
      execute((options) => target.setupCollaborativeWorkspace(documentId, participantEmails, workflowTemplate, options)),
    [execute, target],
  );

  return {
    isLoading: state.inFlight > 0,
    error: state.error,
    onboardUser,
    processDocument,
    searchAndTrigger,
    setupWorkspace,
    orchestrator: target,
  };
}
