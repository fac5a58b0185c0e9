import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { RouteOverrides } from './hub/routes';
import { issuesOf, OrchestratorError } from './errors';
import { MAX_BULK_NOTIFICATIONS, SERVICE_NAMES, type ServiceName } from './hub';

/** Supplies the bearer token for a call; `null` means "call without one". */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/** Where log lines go; `console` fits. */
export interface Logger {
  /** Step and batch events; optional. */
  debug?(message: string, data?: unknown): void;
  /** Operation starts and completions, and services turning healthy. */
  info(message: string, data?: unknown): void;
  /** Retries, circuit changes, and services turning degraded or unhealthy. */
  warn(message: string, data?: unknown): void;
  /** Failed operations and listeners that threw. */
  error(message: string, data?: unknown): void;
}

/** The environment variables that name each service's base URL, as in the Hub's own deployments. */
export const SERVICE_URL_ENV: Readonly<Record<ServiceName, string>> = {
  identity: 'IDENTITY_SERVICE_URL',
  content: 'CONTENT_SERVICE_URL',
  communication: 'COMMUNICATION_SERVICE_URL',
  workflow: 'WORKFLOW_SERVICE_URL',
};

/** The Hub's local development ports. */
export const DEFAULT_SERVICE_URLS: Readonly<Record<ServiceName, string>> = {
  identity: 'http://localhost:8001',
  content: 'http://localhost:8002',
  communication: 'http://localhost:8003',
  workflow: 'http://localhost:8004',
};

/** The environment variables, where there are any: `process` is absent in browsers. */
function processEnv(): Readonly<Record<string, string | undefined>> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/** The base URL of a service when no option gives it: its env var (when not blank), else the local default. */
export function defaultServiceUrl(service: ServiceName, env: Readonly<Record<string, string | undefined>> = processEnv()): string {
  const value = env[SERVICE_URL_ENV[service]]?.trim();
  return value ? value : DEFAULT_SERVICE_URLS[service];
}

const HTTP_URL = /^https?:\/\/[^/\s]+/i;
const withoutTrailingSlash = (value: string): string => value.replace(/\/+$/, '');

const httpUrl = z
  .string()
  .refine((value) => HTTP_URL.test(value), { message: 'must be an http(s) URL' })
  .transform(withoutTrailingSlash);

const servicesSchema = z
  .object({
    identity: httpUrl.optional(),
    content: httpUrl.optional(),
    communication: httpUrl.optional(),
    workflow: httpUrl.optional(),
  })
  .strict()
  .default({})
  .transform((given, ctx) => {
    const urls = {} as Record<ServiceName, string>;
    for (const service of SERVICE_NAMES) {
      const url = given[service] ?? defaultServiceUrl(service);
      // A URL from the environment is checked like one given as an option.
      if (!HTTP_URL.test(url))
        ctx.addIssue({ code: 'custom', path: [service], message: `from ${SERVICE_URL_ENV[service]} must be an http(s) URL` });
      urls[service] = withoutTrailingSlash(url);
    }
    return urls;
  });

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', { message: `must be ${what}` });

const authSchema = z
  .object({
    /** A fixed bearer token. */
    token: z.string().min(1).optional(),
    /** Supplies the bearer token for each call; wins over `token`. */
    getToken: fn<TokenProvider>('a function returning a token').optional(),
  })
  .strict()
  .prefault({});

const loggerSchema = z.custom<Logger>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function'),
  { message: 'must have info, warn and error methods' },
);

const healthSchema = z
  .object({
    /** ms between checks while `health$` has subscribers. */
    checkInterval: z.number().int().positive().default(60_000),
    /** ms one `GET /health` may take before the service counts as unhealthy. */
    timeout: z.number().int().positive().default(5_000),
    /** ms above which a healthy answer counts as degraded. */
    degradedLatency: z.number().int().positive().default(2_000),
  })
  .strict()
  .prefault({});

const circuitBreakerSchema = z
  .object({
    /** Consecutive transport, timeout or 5xx failures that open a service's circuit. */
    failureThreshold: z.number().int().positive().default(5),
    /** ms an open circuit waits before it lets one probe through. */
    resetTimeout: z.number().int().positive().default(30_000),
  })
  .strict()
  .prefault({});

const retryBudgetSchema = z
  .object({
    /** false: retries are bounded by `retryAttempts` only. */
    enabled: z.boolean().default(true),
    /** Retries a service may get per request over the window: 0.2 adds at most 20 % to its requests. */
    ratio: z.number().min(0).default(0.2),
    /** Retries per second of the window a service may get whatever its traffic, so that a quiet client still retries. */
    minRetriesPerSecond: z.number().min(0).default(1),
    /** The sliding window the budget counts over, in ms. */
    windowMs: z.number().int().positive().default(10_000),
  })
  .strict()
  .prefault({});

/** The options of `createServiceOrchestrator`, with the seed's names and defaults; the single source of every default. */
export const orchestratorConfigSchema = z
  .object({
    services: servicesSchema,
    auth: authSchema,
    /** Retries after the first try of each service call. */
    retryAttempts: z.number().int().min(0).max(20).default(3),
    /** Base delay of the exponential backoff between retries, in ms. */
    retryDelay: z.number().min(0).default(1_000),
    /** The longest backoff between two retries, in ms. */
    maxRetryDelay: z.number().min(0).default(30_000),
    /** ms one attempt of a service call may take. */
    timeout: z.number().int().positive().default(30_000),
    /** Send notifications in bulk batches. */
    enableBatching: z.boolean().default(true),
    /** The most notifications in one bulk request. */
    batchSize: z.number().int().min(1).max(MAX_BULK_NOTIFICATIONS).default(10),
    /** The longest a notification waits for company while other batches are in flight, in ms; with none in flight it goes at once. */
    batchWindow: z.number().int().min(0).default(20),
    enableMetrics: z.boolean().default(true),
    enableLogging: z.boolean().default(true),
    logger: loggerSchema.default(() => console),
    health: healthSchema,
    circuitBreaker: circuitBreakerSchema,
    /** Bounds the retries of each service, shared by every operation, so that retries cannot multiply an ailing service's load. */
    retryBudget: retryBudgetSchema,
    /** Overrides of the route table, for deployments that mount a service elsewhere. */
    routes: z.custom<RouteOverrides>((value) => typeof value === 'object' && value !== null).optional(),
    /** The clock of the circuit breakers and retry budgets, in ms (default `Date.now`): tests move it instead of waiting. */
    clock: fn<() => number>('a function returning the time in ms').default(() => Date.now),
    /** The axios instance to send with. */
    axios: z.custom<AxiosInstance>((value) => typeof value === 'function' || typeof value === 'object').optional(),
  })
  .strict();

/** What `createServiceOrchestrator` accepts: every option is optional. */
export type OrchestratorConfig = z.input<typeof orchestratorConfigSchema>;

/** The options after validation, with every default filled in. */
export type ResolvedConfig = z.output<typeof orchestratorConfigSchema>;

/** Validates the options; a bad one throws an `invalid_config` error that names it. */
export function parseConfig(config: OrchestratorConfig = {}): ResolvedConfig {
  const parsed = orchestratorConfigSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error, '(config)');
  const problems = issues.map((issue) => `"${issue.path}" ${issue.message}`);
  throw new OrchestratorError(`Invalid orchestrator option ${problems.join('; ')}`, 'invalid_config', { issues });
}
