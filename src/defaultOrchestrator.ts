import { parseConfig, type OrchestratorConfig } from './config';
import { OrchestratorError } from './errors';
import { ServiceOrchestrator } from './orchestrator';

let defaultInstance: ServiceOrchestrator | null = null;
let defaultOptions: OrchestratorConfig = {};

/**
 * Sets the options of the default orchestrator, before its first use: in a browser there is no
 * environment to read the service URLs from. Validated at once (a bad option throws, naming it);
 * after the first use it throws, as operations may already run with the old options (use
 * `serviceOrchestrator.updateConfig` then, or `resetServiceOrchestrator` first).
 *
 * @example
 * configureServiceOrchestrator({ services: { identity: 'https://id.example.com' }, retryAttempts: 2 });
 */
export function configureServiceOrchestrator(options: OrchestratorConfig): void {
  if (defaultInstance) {
    throw new OrchestratorError(
      'The default orchestrator is already in use: configure it before its first use, or call resetServiceOrchestrator() first',
      'invalid_config',
      { issues: [] },
    );
  }
  parseConfig(options);
  defaultOptions = options;
}

/** The default orchestrator, built on first use from `configureServiceOrchestrator`'s options (else the environment). */
export function getServiceOrchestrator(): ServiceOrchestrator {
  defaultInstance ??= new ServiceOrchestrator(defaultOptions);
  return defaultInstance;
}

/**
 * Disposes the default orchestrator and forgets it and its configured options, so that the next use
 * builds a fresh one (after the environment changed, or between tests). Disposing it directly keeps
 * it disposed.
 */
export function resetServiceOrchestrator(): void {
  defaultInstance?.dispose();
  defaultInstance = null;
  defaultOptions = {};
}

/**
 * The default orchestrator, built on first use of any member; configured by
 * `configureServiceOrchestrator`, else from the environment (`IDENTITY_SERVICE_URL` …).
 *
 * @example
 * const result = await serviceOrchestrator.searchAndTriggerWorkflows('contract');
 */
export const serviceOrchestrator: ServiceOrchestrator = new Proxy(Object.create(ServiceOrchestrator.prototype) as ServiceOrchestrator, {
  get(_target, property) {
    const instance = getServiceOrchestrator();
    const value: unknown = Reflect.get(instance, property, instance);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(instance) : value;
  },
  has: (_target, property) => Reflect.has(getServiceOrchestrator(), property),
});
