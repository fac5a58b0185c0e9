import type { AxiosInstance } from 'axios';
import * as z from 'zod/mini';
import { defaultRoutes, type RouteOverrides } from './hub/routes';
import { isTracingApi, type TracingApi } from './tracing';
import { issuesOf, OrchestratorError } from './errors';
import { inEnglish } from './issues';
import { DEFAULT_MAX_RESPONSE_BYTES, INPUT_LIMITS, MAX_BULK_NOTIFICATIONS, MAX_TIMER_MS, SERVICE_NAMES, type ServiceName } from './hub';

/** Supplies the bearer token for a call; `null` means "call without one". */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/** Where log lines go; `console` fits. */
export interface Logger {
  /** The lifecycle: starts, steps, completions, retries, batches; optional. */
  debug?(message: string, data?: unknown): void;
  /** Unused by the events; kept for loggers such as `console`. */
  info(message: string, data?: unknown): void;
  /** Failures: failed operations, circuit changes, services turning degraded or unhealthy. */
  warn(message: string, data?: unknown): void;
  /** Event listeners that threw. */
  error(message: string, data?: unknown): void;
}

/** The log levels, quietest last; `logLevel` is the lowest one written. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A level of {@link Logger}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

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

/**
 * An object schema that refuses unknown keys and names the valid ones, so that a typo such as
 * `retryAttemps` or `routes.content.getDocumnet` is caught rather than ignored.
 */
function strictObject<T extends z.core.$ZodLooseShape>(shape: T): z.ZodMiniObject<T, z.core.$strict> {
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (valid: ${valid})`
        : undefined,
  });
}

const withoutTrailingSlash = (value: string): string => value.replace(/\/+$/, '');

/**
 * Why a base URL cannot be used, or null: it must parse as a URL (WHATWG rules), be http(s), and
 * carry no credentials, query or fragment (a path prefix is fine).
 */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (use auth.token)';
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) return 'must not have a query or fragment';
  return null;
}

const httpUrl = z.pipe(
  z.string().check(
    z.maxLength(2_048),
    z.superRefine((value, ctx) => {
      const problem = baseUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ),
  z.transform(withoutTrailingSlash),
);

const servicesSchema = z.pipe(
  z._default(
    strictObject({
      identity: z.optional(httpUrl),
      content: z.optional(httpUrl),
      communication: z.optional(httpUrl),
      workflow: z.optional(httpUrl),
    }),
    {},
  ),
  z.transform((given: Partial<Record<ServiceName, string>>, ctx) => {
    const urls = {} as Record<ServiceName, string>;
    for (const service of SERVICE_NAMES) {
      const url = given[service] ?? defaultServiceUrl(service);
      // A URL from the environment is checked like one given as an option.
      const problem = baseUrlProblem(url);
      if (problem) {
        ctx.issues.push({ code: 'custom', path: [service], input: given, message: `from ${SERVICE_URL_ENV[service]} ${problem}` });
      }
      urls[service] = withoutTrailingSlash(url);
    }
    return urls;
  }),
);

/** A `fetch` function, as the platform's: what the `fetch` option takes, and what axios's `fetch` adapter calls. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const fn = <T>(what: string) => z.custom<T>((value: unknown) => typeof value === 'function', { message: `must be ${what}` });

/** Visible ASCII only: a CR, LF or any control character in a header would split or corrupt the request. */
const HEADER_SAFE_TOKEN = /^[\x21-\x7E]+$/;

/**
 * Why a bearer token cannot be sent, or null. Checked on `auth.token` at once and on every value a
 * token provider gives, before the call; the message never repeats the token.
 */
export function tokenProblem(token: string): string | null {
  if (token.length > INPUT_LIMITS.token) return `must be at most ${INPUT_LIMITS.token} characters`;
  if (!HEADER_SAFE_TOKEN.test(token)) return 'must be visible ASCII without spaces or line breaks (it goes in a header)';
  return null;
}

const authSchema = z.prefault(
  strictObject({
    /** A fixed bearer token. */
    token: z.optional(
      z.string().check(
        z.minLength(1),
        z.superRefine((value, ctx) => {
          const problem = tokenProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      ),
    ),
    /** Supplies the bearer token for each call; wins over `token`. */
    getToken: z.optional(fn<TokenProvider>('a function returning a token')),
  }),
  {},
);

const loggerSchema = z.custom<Logger>(
  (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    ['info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function'),
  { message: 'must have info, warn and error methods' },
);

/** A delay Node's timers can keep: a whole number of ms up to {@link MAX_TIMER_MS}. */
const timerMs = (min: number) =>
  z
    .int()
    .check(z.minimum(min), z.maximum(MAX_TIMER_MS, { message: `must be at most ${MAX_TIMER_MS} ms (2^31 - 1, Node's longest timer)` }));

/** A timer that `Infinity` turns off. */
const timerOrOff = (min: number) => z.union([timerMs(min), z.literal(Infinity)]);

const healthSchema = z.prefault(
  strictObject({
    /** ms between checks while `health$` has subscribers; `Infinity`: one check per subscription, no repeat. */
    checkInterval: z._default(timerOrOff(1), 60_000),
    /** ms one `GET /health` may take before the service counts as unhealthy; `Infinity`: no limit. */
    timeout: z._default(timerOrOff(1), 5_000),
    /** ms above which a healthy answer counts as degraded; `Infinity`: never. */
    degradedLatency: z._default(timerOrOff(1), 2_000),
  }),
  {},
);

const circuitBreakerSchema = z.prefault(
  strictObject({
    /** Consecutive transport, timeout or 5xx failures that open a service's circuit. */
    failureThreshold: z._default(z.int().check(z.positive(), z.maximum(1_000_000)), 5),
    /** ms an open circuit waits before it lets one probe through. */
    resetTimeout: z._default(timerMs(1), 30_000),
  }),
  {},
);

/** One route override: a new path, or a partial route whose keys are checked. */
const routePath = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(2_048),
    z.regex(/^\/[^\s?#]*$/, { message: 'must be a path starting with "/", without spaces, query or fragment' }),
  );

const routeObject = z.partial(
  strictObject({
    method: z.enum(['GET', 'POST', 'DELETE']),
    path: routePath,
    idempotent: z.boolean(),
    extension: z.boolean(),
    auth: z.boolean(),
  }),
);

/** A path, or a partial route: told apart by type, so that an issue names the field at fault (`method`). */
const routeOverride = z.unknown().check(
  z.superRefine((value, ctx) => {
    if (typeof value !== 'string' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      ctx.addIssue({ code: 'custom', message: 'must be a path or a partial route { method, path, idempotent, extension, auth }' });
      return;
    }
    const parsed = typeof value === 'string' ? routePath.safeParse(value, inEnglish) : routeObject.safeParse(value, inEnglish);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }),
);

/** `routes`: only the services and route names of the default table, each a path or a partial route. */
const routesSchema = z.pipe(
  strictObject(
    Object.fromEntries(
      SERVICE_NAMES.map((service) => [
        service,
        z.optional(
          strictObject(Object.fromEntries(Object.keys(defaultRoutes[service]).map((route) => [route, z.optional(routeOverride)]))),
        ),
      ]),
    ),
  ),
  z.transform((routes) => routes as RouteOverrides),
);

/**
 * An axios instance (or a stand-in with its `request` method), recognised by what the HTTP layer
 * uses of it: a plain object such as `{}` is not one.
 */
const axiosSchema = z.custom<AxiosInstance>(
  (value: unknown) =>
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    typeof (value as { request?: unknown }).request === 'function',
  { message: 'must be an axios instance (from axios.create())' },
);

const retryBudgetSchema = z.prefault(
  strictObject({
    /** false: retries are bounded by `retryAttempts` only. */
    enabled: z._default(z.boolean(), true),
    /** Retries a service may get per request over the window: 0.2 adds at most 20 % to its requests. */
    ratio: z._default(z.number().check(z.minimum(0), z.maximum(100)), 0.2),
    /** Retries per second of the window a service may get whatever its traffic, so that a quiet client still retries. */
    minRetriesPerSecond: z._default(z.number().check(z.minimum(0), z.maximum(1_000_000)), 1),
    /** The sliding window the budget counts over, in ms. */
    windowMs: z._default(timerMs(1), 10_000),
  }),
  {},
);

/** The options of `createServiceOrchestrator`, with the seed's names and defaults; the single source of every default. */
export const orchestratorConfigSchema = strictObject({
  services: servicesSchema,
  auth: authSchema,
  /** Retries after the first try of each service call. */
  retryAttempts: z._default(z.int().check(z.minimum(0), z.maximum(20)), 3),
  /** Base delay of the exponential backoff between retries, in ms. */
  retryDelay: z._default(timerMs(0), 1_000),
  /** The longest backoff between two retries, in ms. */
  maxRetryDelay: z._default(timerMs(0), 30_000),
  /** ms one attempt of a service call may take; `Infinity`: no limit. */
  timeout: z._default(timerOrOff(1), 30_000),
  /**
   * The most bytes a response body may have, counted as it arrives and after decompression;
   * a larger one is cut off (its connection closed) and fails with `validation`.
   */
  maxResponseBytes: z._default(z.int().check(z.minimum(1_024), z.maximum(2 ** 30)), DEFAULT_MAX_RESPONSE_BYTES),
  /** Send notifications in bulk batches. */
  enableBatching: z._default(z.boolean(), true),
  /** The most notifications in one bulk request. */
  batchSize: z._default(z.int().check(z.minimum(1), z.maximum(MAX_BULK_NOTIFICATIONS)), 10),
  /**
   * The longest a notification waits for company while other batches are in flight, in ms; with none
   * in flight it goes at once. `Infinity`: while batches are in flight, only a full batch is sent.
   */
  batchWindow: z._default(timerOrOff(0), 20),
  enableMetrics: z._default(z.boolean(), true),
  enableLogging: z._default(z.boolean(), true),
  /** The lowest level written: `warn` writes failures only, `debug` the whole lifecycle. */
  logLevel: z._default(z.enum(LOG_LEVELS), 'warn'),
  logger: z._default(loggerSchema, () => console),
  health: healthSchema,
  circuitBreaker: circuitBreakerSchema,
  /** Bounds the retries of each service, shared by every operation, so that retries cannot multiply an ailing service's load. */
  retryBudget: retryBudgetSchema,
  /** Overrides of the route table, for deployments that mount a service elsewhere. */
  routes: z.optional(routesSchema),
  /** The clock of the circuit breakers and retry budgets, in ms (default `Date.now`): tests move it instead of waiting. */
  clock: z._default(fn<() => number>('a function returning the time in ms'), () => Date.now),
  /**
   * Turns tracing on: the `@opentelemetry/api` module (`import * as api from '@opentelemetry/api'`).
   * Spans go to the tracer provider and propagator the app registered globally.
   */
  tracing: z.optional(
    z.custom<TracingApi>(isTracingApi, { message: "must be the @opentelemetry/api module (import * as api from '@opentelemetry/api')" }),
  ),
  /**
   * The axios instance to send with. Without it (and without `fetch`): in Node a new axios instance
   * that follows no redirects; in a browser build the page's `fetch`, so that axios is not bundled.
   */
  axios: z.optional(axiosSchema),
  /** Send with this `fetch` (such as `globalThis.fetch`) instead of axios; ignored when `axios` is given. */
  fetch: z.optional(fn<FetchFunction>('a fetch function')),
});

/** What `createServiceOrchestrator` accepts: every option is optional. */
export type OrchestratorConfig = z.input<typeof orchestratorConfigSchema>;

/** The options after validation, with every default filled in. */
export type ResolvedConfig = z.output<typeof orchestratorConfigSchema>;

/** Validates the options; a bad one throws an `invalid_config` error that names it. */
export function parseConfig(config: OrchestratorConfig = {}): ResolvedConfig {
  const parsed = orchestratorConfigSchema.safeParse(config, inEnglish);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error, '(config)');
  const problems = issues.map((issue) => `"${issue.path}" ${issue.message}`);
  throw new OrchestratorError(`Invalid orchestrator option ${problems.join('; ')}`, 'invalid_config', { issues });
}
