import { defaultIfEmpty, from, lastValueFrom, takeUntil, tap } from 'rxjs';
import { defaultServiceUrl } from '../config';
import { perService, SERVICE_NAMES, type ServiceName } from '../hub';
import { createServiceOrchestrator } from '../orchestrator';
import type { ServiceHealth } from '../streams/events';
import type { SystemHealthCheck } from '../streams/health';
import { httpUrl, SERVICE_URL_FLAGS, wholeNumber, type Command, type FlagValues } from './command';
import { healthExitCode, healthTable } from './format';
import type { CliIO } from './io';

export interface HealthOptions {
  services: Record<ServiceName, string>;
  watch: boolean;
  json: boolean;
  interval: number;
  timeout: number;
}

/**
 * Reads `health`'s flags. Each service's URL: `--<service> URL`; else, with `--port N`, the
 * simulator's layout (`--host`, ports N to N+3 in the order identity, content, communication,
 * workflow); else its env var; else the local default.
 */
export function healthOptions(values: FlagValues, env: CliIO['env']): HealthOptions {
  const base = values.port === undefined ? undefined : wholeNumber(values, 'port', 0, { min: 1, max: 65_532, what: 'the first port' });
  const host = typeof values.host === 'string' ? values.host : 'localhost';
  const services = perService((service) => {
    const flag = values[service];
    if (typeof flag === 'string') return httpUrl(flag, service);
    if (base !== undefined) return `http://${host}:${base + SERVICE_NAMES.indexOf(service)}`;
    return defaultServiceUrl(service, env);
  });
  return {
    services,
    watch: values.watch === true,
    json: values.json === true,
    interval: wholeNumber(values, 'interval', 10_000, { min: 1, max: 2_147_483_647, what: 'ms' }),
    timeout: wholeNumber(values, 'timeout', 5_000, { min: 1, max: 2_147_483_647, what: 'ms' }),
  };
}

/** One service in `--json` output: the same fields whatever the outcome. */
interface ServiceLine {
  /** The orchestrator's name for the service. */
  service: ServiceName;
  /** The name the service gives itself in `/health`, or null when it did not answer. */
  reportedName: string | null;
  status: ServiceHealth['status'];
  version: string | null;
  latencyMs: number;
  checkedAt: string;
  error: string | null;
}

/** A check as one JSON line, every service with the same fields. */
export function healthJson(check: SystemHealthCheck): string {
  const line = (service: ServiceName): ServiceLine => {
    const entry = check[service];
    const answered = entry.version !== 'unknown' || entry.service !== service;
    return {
      service,
      reportedName: answered ? entry.service : null,
      status: entry.status,
      version: answered ? entry.version : null,
      latencyMs: entry.latencyMs,
      checkedAt: entry.checkedAt,
      error: entry.error ?? null,
    };
  };
  return JSON.stringify({ overall: check.overall, timestamp: check.timestamp, ...perService(line) });
}

/**
 * Checks the services once (or, with `--watch`, until interrupted) and prints a table or JSON
 * lines; the exit code says healthy (0), degraded (1) or unhealthy (2).
 */
export async function health(options: HealthOptions, io: CliIO): Promise<number> {
  const orchestrator = createServiceOrchestrator({
    services: options.services,
    enableLogging: false,
    enableMetrics: false,
    health: { checkInterval: options.interval, timeout: options.timeout },
  });
  const print = (check: SystemHealthCheck): void => {
    if (options.json) io.out(healthJson(check));
    else io.out(`${options.watch ? `${check.timestamp}\n` : ''}${healthTable(check, io)}\n`);
  };
  try {
    if (!options.watch) {
      const check = await orchestrator.performHealthCheck();
      print(check);
      return healthExitCode(check);
    }
    let last: SystemHealthCheck | undefined;
    await lastValueFrom(
      orchestrator.health$.pipe(
        tap((check) => {
          last = check;
          print(check);
        }),
        takeUntil(from(io.untilInterrupted())),
        defaultIfEmpty(undefined),
      ),
    );
    return last ? healthExitCode(last) : 2;
  } finally {
    orchestrator.dispose();
  }
}

/** `hub-orchestrator health`. */
export const healthCommand: Command = {
  name: 'health',
  summary: "Checks the services' GET /health and prints a table.",
  flags: {
    json: { kind: 'boolean', help: 'one JSON line per check, the same fields whatever the outcome' },
    watch: { kind: 'boolean', help: 'check again every --interval ms until interrupted' },
    interval: { kind: 'string', value: 'MS', help: 'between checks with --watch (default 10000)' },
    timeout: { kind: 'string', value: 'MS', help: 'per check (default 5000)' },
    port: {
      kind: 'string',
      value: 'N',
      help: 'the ports of `simulate --port N`: identity on N, content N+1, communication N+2, workflow N+3',
    },
    host: { kind: 'string', value: 'H', help: 'the host for --port (default localhost)' },
    ...SERVICE_URL_FLAGS,
  },
  notes: [
    'A service without a URL flag takes IDENTITY_SERVICE_URL … (CONTENT_, COMMUNICATION_, WORKFLOW_), else http://localhost:8001 … 8004.',
    'Exit code: 0 healthy, 1 degraded, 2 unhealthy, 64 a usage error.',
  ],
  run: (values, io) => health(healthOptions(values, io.env), io),
};
