// The seed's React hook, typed: each operation resolves to its data, or to null with `error` set.
// The promise adapters never reject, so there is no try/catch; `isLoading` counts calls in flight.
import { useCallback, useState } from 'react';
import {
  serviceOrchestrator,
  type CollaborativeWorkspaceResult,
  type OnboardInput,
  type OnboardResult,
  type OperationResult,
  type ProcessDocumentResult,
  type SearchAndTriggerResult,
  type ServiceOrchestrator,
} from '@reactdjango-hub/orchestrator';

/** What {@link useOrchestrator} gives a component. */
export interface UseOrchestrator {
  /** True while at least one operation started through this hook is running. */
  isLoading: boolean;
  /** The last failure's readable sentence, cleared when the next operation starts. */
  error: string | null;
  /** Registers, verifies and signs in a new user (password of at least 8 characters). */
  onboardUser(input: OnboardInput): Promise<OnboardResult | null>;
  /** Starts an AI workflow on a document and notifies users (document and workflow ids are UUIDs). */
  processDocument(documentId: string, workflowId: string, notifyUsers?: string[]): Promise<ProcessDocumentResult | null>;
  /** Searches, starts the `search_results` workflows and notifies users. */
  searchAndTrigger(query: string, enableWorkflows?: boolean, notifyUsers?: string[]): Promise<SearchAndTriggerResult | null>;
  /** Opens a group conversation about a document with the given people. */
  setupWorkspace(documentId: string, participantEmails: string[], workflowTemplate?: string): Promise<CollaborativeWorkspaceResult | null>;
  /** The orchestrator behind the hook, for `events$`, `health$` and `getMetrics()`. */
  orchestrator: ServiceOrchestrator;
}

/** Runs orchestrator operations from a component, with loading and error state. */
export function useOrchestrator(orchestrator: ServiceOrchestrator = serviceOrchestrator): UseOrchestrator {
  const [inFlight, setInFlight] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const executeOperation = useCallback(async <T>(operation: () => Promise<OperationResult<T>>): Promise<T | null> => {
    setInFlight((count) => count + 1);
    setError(null);
    const result = await operation();
    setInFlight((count) => count - 1);
    if (result.success && result.data !== undefined) return result.data;
    setError(result.error ?? 'Operation failed');
    return null;
  }, []);

  const onboardUser = useCallback(
    (input: OnboardInput) => executeOperation(() => orchestrator.onboardNewUser(input)),
    [executeOperation, orchestrator],
  );

  const processDocument = useCallback(
    (documentId: string, workflowId: string, notifyUsers: string[] = []) =>
      executeOperation(() => orchestrator.processDocumentWithAI(documentId, workflowId, notifyUsers)),
    [executeOperation, orchestrator],
  );

  const searchAndTrigger = useCallback(
    (query: string, enableWorkflows = true, notifyUsers: string[] = []) =>
      executeOperation(() => orchestrator.searchAndTriggerWorkflows(query, enableWorkflows, notifyUsers)),
    [executeOperation, orchestrator],
  );

  const setupWorkspace = useCallback(
    (documentId: string, participantEmails: string[], workflowTemplate?: string) =>
      executeOperation(() => orchestrator.setupCollaborativeWorkspace(documentId, participantEmails, workflowTemplate)),
    [executeOperation, orchestrator],
  );

  return { isLoading: inFlight > 0, error, onboardUser, processDocument, searchAndTrigger, setupWorkspace, orchestrator };
}
