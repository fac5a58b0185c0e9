import { createContext, createElement, useContext, type ReactNode } from 'react';
// The bindings use the package's public entry only, so that the CommonJS build shares its one
// default instance (and its classes) rather than bundling a copy.
import { getServiceOrchestrator, type ServiceOrchestrator } from '../index';

const OrchestratorContext = createContext<ServiceOrchestrator | null>(null);

/** The props of {@link OrchestratorProvider}. */
export interface OrchestratorProviderProps {
  /** The orchestrator the hooks below use; the app creates it (once, outside render) and disposes it. */
  orchestrator: ServiceOrchestrator;
  children?: ReactNode;
}

/**
 * Gives the hooks below it an orchestrator; without a provider they use the default instance
 * (configured with `configureServiceOrchestrator`).
 *
 * @example
 * const orchestrator = createServiceOrchestrator({ services: { identity: 'https://id.example.com' } });
 * root.render(<OrchestratorProvider orchestrator={orchestrator}><App /></OrchestratorProvider>);
 */
export function OrchestratorProvider({ orchestrator, children }: OrchestratorProviderProps): ReactNode {
  return createElement(OrchestratorContext.Provider, { value: orchestrator }, children);
}

/** The orchestrator of the nearest {@link OrchestratorProvider}, else the default instance. */
export function useOrchestratorInstance(): ServiceOrchestrator {
  return useContext(OrchestratorContext) ?? getServiceOrchestrator();
}
