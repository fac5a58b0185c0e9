// The seed's examples (/work/shared/seed, "ServiceOrchestrator Documentation"), verbatim but for the
// import path. Each example that awaits is wrapped in an async function of its own (they reuse
// names such as `result`); nothing inside is changed. Not formatted or linted: kept as users copy it.
// hooks/useOrchestrator.ts
import { useState, useCallback } from 'react';
import { serviceOrchestrator } from '@reactdjango-hub/orchestrator';
import type { OperationResult } from '@reactdjango-hub/orchestrator';

export function useOrchestrator() {
  const [isLoading, setIsLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const executeOperation = useCallback(async <T>(
    operation: () => Promise<OperationResult<T>>
  ): Promise<T | null> => {
    setIsLoading(true);
    setError(null);

    try {
      const result = await operation();
      if (result.success) {
        return result.data || null;
      } else {
        setError(result.error || 'Operation failed');
        return null;
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Unknown error');
      return null;
    } finally {
      setIsLoading(false);
    }
  }, []);

  const onboardUser = useCallback((userData: any) => {
    return executeOperation(() => serviceOrchestrator.onboardNewUser(userData));
  }, [executeOperation]);

  const processDocument = useCallback((documentId: string, workflowId: string, notifyUsers: string[]) => {
    return executeOperation(() => serviceOrchestrator.processDocumentWithAI(documentId, workflowId, notifyUsers));
  }, [executeOperation]);

  const searchAndTrigger = useCallback((query: string, enableWorkflows: boolean, notifyUsers: string[]) => {
    return executeOperation(() => serviceOrchestrator.searchAndTriggerWorkflows(query, enableWorkflows, notifyUsers));
  }, [executeOperation]);

  return {
    isLoading,
    error,
    onboardUser,
    processDocument,
    searchAndTrigger,
    orchestrator: serviceOrchestrator,
  };
}
