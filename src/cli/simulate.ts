import { SERVICE_URL_ENV } from '../config';
import { perService, SERVICE_NAMES, type ServiceName } from '../hub';
import { HUB_MODES, startHub, type HubMode } from '../simulator';
import { wholeNumber, type Command, type FlagValues } from './command';
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

const PORT = { min: 0, max: 65_535, what: 'a port' };

/** Reads `simulate`'s flags; `--port N` sets the first port, the others follow. */
export function simulateOptions(values: FlagValues): SimulateOptions {
  const base = wholeNumber(values, 'port', DEFAULT_BASE_PORT, { ...PORT, max: 65_532 });
  const ports = perService((service) => {
    const next = base === 0 ? 0 : base + SERVICE_NAMES.indexOf(service);
    return wholeNumber(values, `${service}-port`, next, PORT);
  });
  const mode = hubMode(values.mode);
  const latency = wholeNumber(values, 'latency', 0, { min: 0, max: 60_000, what: 'ms' });
  const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
  return { host, ports, mode, latency };
}

/** `--mode`, default `extended`; shared by `simulate` and `demo`. */
export function hubMode(value: string | boolean | undefined): HubMode {
  if (value === undefined) return 'extended';
  const mode = HUB_MODES.find((candidate) => candidate === value);
  if (mode === undefined) throw new UsageError(`--mode takes ${HUB_MODES.map((known) => `"${known}"`).join(', ')}, not "${String(value)}"`);
  return mode;
}

/** The help line of `--mode`. */
export const MODE_HELP = `the Hub it plays: ${HUB_MODES.join(' (default), ')}`;

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

/** `hub-orchestrator simulate`. */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Serves the simulated ReactDjango Hub until interrupted.',
  flags: {
    port: { kind: 'string', value: 'N', help: 'the first port (default 8001; the others follow; 0 picks free ports)' },
    ...Object.fromEntries(
      SERVICE_NAMES.map((service) => [`${service}-port`, { kind: 'string' as const, value: 'N', help: `the ${service} port alone` }]),
    ),
    host: { kind: 'string', value: 'H', help: 'the interface (default 127.0.0.1)' },
    mode: { kind: 'string', value: 'M', help: MODE_HELP },
    latency: { kind: 'string', value: 'MS', help: 'delay added to every request (default 0)' },
  },
  run: (values, io) => simulate(simulateOptions(values), io),
};
