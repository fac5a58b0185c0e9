#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { errorMessage, isOrchestratorError } from '../errors';
import { doctor, doctorOptions } from './doctor';
import { health, healthOptions } from './health';
import { processIO, UsageError, type CliIO } from './io';
import { hubMode, simulate, simulateOptions } from './simulate';

const USAGE = `Usage: hub-orchestrator <command> [flags]

Commands:
  simulate   Serve the simulated ReactDjango Hub until interrupted
               --port N            first port (default 8001; the others follow; 0 picks free ports)
               --identity-port N, --content-port N, --communication-port N, --workflow-port N
               --host H            interface (default 127.0.0.1)
               --mode M            extended (default), upstream or deployed
               --latency MS        delay added to every request (default 0)
  health     Check the services' GET /health and print a table
               --json              one JSON line per check, for a monitoring pipe
               --watch             check again every --interval ms until interrupted
               --interval MS       default 10000
               --timeout MS        per check, default 5000
               --identity URL, --content URL, --communication URL, --workflow URL
                                   default: IDENTITY_SERVICE_URL … or http://localhost:8001…8004
             Exit code: 0 healthy, 1 degraded, 2 unhealthy.
  doctor     Probe a live Hub without writing to it: which operations can run fully, partly or not at all,
             and what each endpoint answers (served, stub, missing, refused by auth…)
               --json              the report as one JSON object
               --timeout MS        per probe, default 5000
               --identity URL, --content URL, --communication URL, --workflow URL   as for health
               --token T           probe the authenticated routes with this bearer token, or
               --email E --password P   sign in first (a login writes nothing); the password may
                                   come from HUB_PASSWORD instead
             Exit code: 0 when the four operations can all run fully, 1 otherwise.
  demo       Run the four operations against a simulator on free ports, with faults, events, health and metrics
               --mode M            extended (default), upstream or deployed: the Hub the demo plays
  help       Show this text`;

const FLAGS = {
  port: { type: 'string' },
  'identity-port': { type: 'string' },
  'content-port': { type: 'string' },
  'communication-port': { type: 'string' },
  'workflow-port': { type: 'string' },
  host: { type: 'string' },
  mode: { type: 'string' },
  latency: { type: 'string' },
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  token: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  identity: { type: 'string' },
  content: { type: 'string' },
  communication: { type: 'string' },
  workflow: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The flags each command reads; any other is a usage error. */
const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  simulate: ['port', 'identity-port', 'content-port', 'communication-port', 'workflow-port', 'host', 'mode', 'latency'],
  health: ['json', 'watch', 'interval', 'timeout', 'identity', 'content', 'communication', 'workflow'],
  doctor: ['json', 'timeout', 'identity', 'content', 'communication', 'workflow', 'token', 'email', 'password'],
  demo: ['mode'],
};

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
    const [command, ...extra] = positionals;
    if (values.help || command === undefined || command === 'help') {
      io.out(USAGE);
      return command === undefined && !values.help ? 64 : 0;
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const foreign = Object.keys(values).find((flag) => flag !== 'help' && !COMMAND_FLAGS[command]?.includes(flag));
    if (foreign !== undefined && command in COMMAND_FLAGS) throw new UsageError(`"${command}" takes no --${foreign}`);
    switch (command) {
      case 'simulate':
        return await simulate(simulateOptions(values), io);
      case 'health':
        return await health(healthOptions(values, io.env), io);
      case 'doctor':
        return await doctor(doctorOptions(values, io.env), io);
      case 'demo': {
        const { runDemo } = await import('./demo');
        return await runDemo(io, hubMode(values.mode));
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error) || (isOrchestratorError(error) && error.code === 'invalid_config')) {
      io.err(`hub-orchestrator: ${(error as Error).message}\n\n${USAGE}`);
      return 64;
    }
    io.err(`hub-orchestrator: ${errorMessage(error)}`);
    return 70;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
