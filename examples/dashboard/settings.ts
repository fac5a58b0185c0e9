import { SERVICE_NAMES, type ServiceName } from '@reactdjango-hub/orchestrator';

/** What the page's query string may set. */
export interface DashboardSettings {
  /** Base URL per service, e.g. `?identity=http://127.0.0.1:8001`; null unless all four are given (the page then explains rather than guesses). */
  urls: Readonly<Record<ServiceName, string>> | null;
  /** ms between health checks (`?interval=`); short, so that a status change shows at once. */
  checkInterval: number;
  /** ms one `GET /health` may take (`?healthTimeout=`). */
  healthTimeout: number;
  /** Consecutive outages that open a service's circuit (`?threshold=`). */
  failureThreshold: number;
  /** ms an open circuit waits before one probe (`?resetTimeout=`). */
  resetTimeout: number;
}

const DEFAULT_CHECK_INTERVAL = 1_000;
const DEFAULT_HEALTH_TIMEOUT = 1_000;
// Lower than the library's 5 and 30 s, so that an operator sees a circuit open and close within seconds.
const DEFAULT_FAILURE_THRESHOLD = 3;
const DEFAULT_RESET_TIMEOUT = 5_000;

function positiveInt(value: string | null, fallback: number): number {
  const parsed = value === null ? NaN : Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

function isComplete(services: Partial<Record<ServiceName, string>>): services is Record<ServiceName, string> {
  return SERVICE_NAMES.every((service) => services[service] !== undefined);
}

/**
 * Reads the settings from a query string, so that a test (or a person) can point the page at any
 * Hub: `?identity=…&content=…&communication=…&workflow=…&interval=500`.
 */
export function readSettings(search: string): DashboardSettings {
  const query = new URLSearchParams(search);
  const services: Partial<Record<ServiceName, string>> = {};
  for (const service of SERVICE_NAMES) {
    const url = query.get(service);
    if (url) services[service] = url;
  }
  return {
    urls: isComplete(services) ? services : null,
    checkInterval: positiveInt(query.get('interval'), DEFAULT_CHECK_INTERVAL),
    healthTimeout: positiveInt(query.get('healthTimeout'), DEFAULT_HEALTH_TIMEOUT),
    failureThreshold: positiveInt(query.get('threshold'), DEFAULT_FAILURE_THRESHOLD),
    resetTimeout: positiveInt(query.get('resetTimeout'), DEFAULT_RESET_TIMEOUT),
  };
}

/** The query string that points the page at these service URLs, keeping the other settings of `search`. */
export function queryFor(urls: Readonly<Record<ServiceName, string>>, search = ''): string {
  const query = new URLSearchParams(search);
  for (const service of SERVICE_NAMES) query.set(service, urls[service]);
  // Not percent-encoded, so that the URL stays readable; `:` and `/` are fine in a query string.
  return `?${decodeURIComponent(query.toString())}`;
}
