import { ServiceOrchestrator } from './orchestrator';

let defaultInstance: ServiceOrchestrator | null = null;

/** The default orchestrator (options from the environment), built on first use. */
export function getServiceOrchestrator(): ServiceOrchestrator {
  defaultInstance ??= new ServiceOrchestrator();
  return defaultInstance;
}

/**
 * Disposes the default orchestrator and forgets it, so that the next use builds a fresh one
 * (after the environment changed, or between tests). Disposing it directly keeps it disposed.
 */
export function resetServiceOrchestrator(): void {
  defaultInstance?.dispose();
  defaultInstance = null;
}

/**
 * The default orchestrator, built on first use of any member; configured from the environment
 * (`IDENTITY_SERVICE_URL` …).
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
