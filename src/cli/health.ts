import { takeUntil, from, lastValueFrom, tap, defaultIfEmpty } from 'rxjs';
import { defaultServiceUrl } from '../config';
import { perService, type ServiceName } from '../hub';
import { createServiceOrchestrator } from '../orchestrator';
import type { SystemHealthCheck } from '../streams/health';
import { healthExitCode, healthTable } from './format';
import { UsageError, type CliIO } from './io';

export interface HealthOptions {
  services: Record<ServiceName, string>;
  watch: boolean;
  json: boolean;
  interval: number;
  timeout: number;
}

/** Reads `health`'s flags; each service's URL comes from `--<service> URL`, else its env var, else the local default. */
export function healthOptions(values: Record<string, string | boolean | undefined>, env: CliIO['env']): HealthOptions {
  const services = perService((service) => {
    const flag = values[service];
    return typeof flag === 'string' ? flag : defaultServiceUrl(service, env);
  });
  return {
    services,
    watch: values.watch === true,
    json: values.json === true,
    interval: milliseconds(values.interval, '--interval', 10_000),
    timeout: milliseconds(values.timeout, '--timeout', 5_000),
  };
}

function milliseconds(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number <= 0) {
    throw new UsageError(`${flag} must be a positive whole number of ms, not "${String(value)}"`);
  }
  return number;
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
    if (options.json) io.out(JSON.stringify(check));
    else io.out(`${options.watch ? `${check.timestamp}\n` : ''}${healthTable(check)}\n`);
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
