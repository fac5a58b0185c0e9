import { SERVICE_URL_ENV } from '../config';
import { SERVICE_NAMES, type ServiceName } from '../hub';
import { HUB_MODES, startHub, type HubMode } from '../simulator';
import { table } from './format';
import { UsageError, type CliIO } from './io';

/** The simulator's default ports: the Hub's own. */
const DEFAULT_BASE_PORT = 8001;

export interface SimulateOptions {
  host: string;
  ports: Record<ServiceName, number>;
  mode: HubMode;
  latency: number;
}

/** Reads `simulate`'s flags; `--port N` sets the first port, the others follow. */
export function simulateOptions(values: Record<string, string | boolean | undefined>): SimulateOptions {
  const base = values.port === undefined ? DEFAULT_BASE_PORT : port(values.port, '--port');
  const ports = Object.fromEntries(
    SERVICE_NAMES.map((service, index) => {
      const flag = values[`${service}-port`];
      return [service, flag === undefined ? (base === 0 ? 0 : base + index) : port(flag, `--${service}-port`)];
    }),
  ) as Record<ServiceName, number>;
  const mode = hubMode(values.mode);
  const latency = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isInteger(latency) || latency < 0)
    throw new UsageError(`--latency must be a whole number of ms, not "${String(values.latency)}"`);
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  return { host, ports, mode, latency };
}

/** `--mode`, default `extended`; shared by `simulate` and `demo`. */
export function hubMode(value: string | boolean | undefined): HubMode {
  if (value === undefined) return 'extended';
  const mode = HUB_MODES.find((candidate) => candidate === value);
  if (mode === undefined)
    throw new UsageError(`--mode must be one of ${HUB_MODES.map((m) => `"${m}"`).join(', ')}, not "${String(value)}"`);
  return mode;
}

function port(value: string | boolean, flag: string): number {
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < 0 || number > 65_535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, not "${String(value)}"`);
  }
  return number;
}

/** Serves the simulated Hub until SIGINT or SIGTERM. */
export async function simulate(options: SimulateOptions, io: CliIO): Promise<number> {
  const hub = await startHub({ host: options.host, ports: options.ports, mode: options.mode, latencyMs: options.latency });
  io.out(`ReactDjango Hub simulator (${options.mode} mode) on ${options.host}`);
  io.out(
    table(
      ['service', 'url', 'env var to point a client at it'],
      SERVICE_NAMES.map((s) => [s, hub.urls[s], `${SERVICE_URL_ENV[s]}=${hub.urls[s]}`]),
    ),
  );
  io.out('Sign in as demo@hub.local / DemoPass123! (see SEED). Ctrl-C stops it.');
  await io.untilInterrupted();
  await hub.close();
  io.out('simulator stopped');
  return 0;
}
