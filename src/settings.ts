// The original ServiceOrchestrator's configuration API (`getConfig()`, `updateConfig(partial)`),
// over the one options schema in config.ts: an update is validated by that schema, like the options
// given to the constructor, so no rule is written twice.
import { parseConfig, type OrchestratorConfig, type ResolvedConfig } from './config';
import { OrchestratorError } from './errors';
import type { ServiceName } from './hub';

/**
 * The options an orchestrator runs with, in the seed's names (`retryAttempts`, `retryDelay`,
 * `timeout`, `enableBatching`, `batchSize`, `enableMetrics`, `enableLogging`) and the library's
 * further ones. Plain data: the credentials (`auth`) and the wiring (`logger`, `axios`, `clock`,
 * `routes`) are left out.
 */
export interface OrchestratorSettings {
  retryAttempts: number;
  retryDelay: number;
  maxRetryDelay: number;
  timeout: number;
  enableBatching: boolean;
  batchSize: number;
  batchWindow: number;
  enableMetrics: boolean;
  enableLogging: boolean;
  logLevel: ResolvedConfig['logLevel'];
  health: ResolvedConfig['health'];
  circuitBreaker: ResolvedConfig['circuitBreaker'];
  services: Record<ServiceName, string>;
}

/** The options `updateConfig` may change: each takes effect for the operations started afterwards. */
export const UPDATABLE_OPTIONS = [
  'retryAttempts',
  'retryDelay',
  'maxRetryDelay',
  'timeout',
  'enableBatching',
  'batchSize',
  'batchWindow',
  'enableMetrics',
  'enableLogging',
  'logLevel',
  'logger',
  'health',
] as const satisfies ReadonlyArray<keyof OrchestratorConfig>;

/** What `updateConfig` accepts: any of {@link UPDATABLE_OPTIONS}; `health` may be given in part. */
export type OrchestratorConfigUpdate = Pick<OrchestratorConfig, (typeof UPDATABLE_OPTIONS)[number]>;

/** The settings of a resolved configuration (see {@link OrchestratorSettings}). */
export function settingsOf(config: ResolvedConfig): OrchestratorSettings {
  return {
    retryAttempts: config.retryAttempts,
    retryDelay: config.retryDelay,
    maxRetryDelay: config.maxRetryDelay,
    timeout: config.timeout,
    enableBatching: config.enableBatching,
    batchSize: config.batchSize,
    batchWindow: config.batchWindow,
    enableMetrics: config.enableMetrics,
    enableLogging: config.enableLogging,
    logLevel: config.logLevel,
    health: { ...config.health },
    circuitBreaker: { ...config.circuitBreaker },
    services: { ...config.services },
  };
}

/**
 * The options given so far with `update` laid over them, validated as the constructor validates:
 * returns the new input and its resolved form, or throws an `invalid_config` error naming the
 * option. An option fixed at creation (the service URLs, `auth`, the wiring, the breakers) is refused.
 */
export function updatedConfig(
  given: OrchestratorConfig,
  update: OrchestratorConfigUpdate,
): { input: OrchestratorConfig; resolved: ResolvedConfig } {
  if (typeof update !== 'object' || update === null) {
    throw new OrchestratorError('Invalid orchestrator option update: must be an object', 'invalid_config', { issues: [] });
  }
  const fixed = Object.keys(update).filter((key) => !(UPDATABLE_OPTIONS as readonly string[]).includes(key));
  if (fixed.length > 0) {
    const issues = fixed.map((path) => ({ path, message: 'is fixed at creation: create a new orchestrator to change it' }));
    throw new OrchestratorError(
      `Invalid orchestrator option ${issues.map((issue) => `"${issue.path}" ${issue.message}`).join('; ')}`,
      'invalid_config',
      { issues },
    );
  }
  const defined = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)) as OrchestratorConfigUpdate;
  const health = update.health && typeof update.health === 'object' ? { ...given.health, ...update.health } : update.health;
  const input: OrchestratorConfig = { ...given, ...defined, ...(health !== undefined ? { health } : {}) };
  return { input, resolved: parseConfig(input) };
}
