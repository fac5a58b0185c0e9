import { SERVICE_NAMES, type ServiceName } from '@reactdjango-hub/orchestrator';

/** What the page's query string may set. */
export interface DashboardSettings {
  /** Base URL per service, e.g. `?identity=http://127.0.0.1:8001`; a missing one falls back to the library's default. */
  services: Partial<Record<ServiceName, string>>;
  /** ms between health checks (`?interval=`); short, so that a status change shows at once. */
  checkInterval: number;
  /** ms one `GET /health` may take (`?healthTimeout=`). */
  healthTimeout: number;
}

const DEFAULT_CHECK_INTERVAL = 500;
const DEFAULT_HEALTH_TIMEOUT = 1_000;

function positiveInt(value: string | null, fallback: number): number {
  const parsed = value === null ? NaN : Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/**
 * Reads the settings from a query string, so that a test (or a person) can point the page at any
 * simulator: `?identity=…&content=…&communication=…&workflow=…&interval=500`.
 */
export function readSettings(search: string): DashboardSettings {
  const query = new URLSearchParams(search);
  const services: Partial<Record<ServiceName, string>> = {};
  for (const service of SERVICE_NAMES) {
    const url = query.get(service);
    if (url) services[service] = url;
  }
  return {
    services,
    checkInterval: positiveInt(query.get('interval'), DEFAULT_CHECK_INTERVAL),
    healthTimeout: positiveInt(query.get('healthTimeout'), DEFAULT_HEALTH_TIMEOUT),
  };
}
