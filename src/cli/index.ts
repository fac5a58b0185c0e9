#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { errorMessage, isOrchestratorError } from '../errors';
import { commandHelp, joinNegativeValues, type Command } from './command';
import { doctorCommand } from './doctor';
import { healthCommand } from './health';
import { processIO, UsageError, type CliIO } from './io';
import { hubMode, MODE_HELP, simulateCommand } from './simulate';

const demoCommand: Command = {
  name: 'demo',
  summary: 'Runs the four operations against a simulator on free ports, with faults, events, health and metrics.',
  flags: { mode: { kind: 'string', value: 'M', help: MODE_HELP } },
  run: async (values, io) => (await import('./demo')).runDemo(io, hubMode(values.mode)),
};

/** Every command, in the order `--help` lists them. */
const COMMANDS: readonly Command[] = [simulateCommand, healthCommand, doctorCommand, demoCommand];

const USAGE = [
  'Usage: hub-orchestrator <command> [flags]',
  '',
  'Commands:',
  ...COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`),
  `  ${'help'.padEnd(10)} This text; \`hub-orchestrator <command> --help\` tells a command's flags.`,
  '',
  'Flags: --help, -h    --version, -v',
].join('\n');

/** Flags every command takes. */
const COMMON = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } as const;

/** Runs one command line; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const named = argv.find((argument) => !argument.startsWith('-'));
  const command = COMMANDS.find((known) => known.name === named);
  try {
    const flags = {
      ...COMMON,
      ...Object.fromEntries(Object.entries(command?.flags ?? {}).map(([name, flag]) => [name, { type: flag.kind }])),
    };
    const args = joinNegativeValues(argv, (flag) => command?.flags[flag]?.kind === 'string');
    const { values, positionals } = parseArgs({ args, options: flags, allowPositionals: true, strict: true });
    const [, ...extra] = positionals;
    if (values.version) {
      io.out(version);
      return 0;
    }
    if (named === 'help') {
      const about = COMMANDS.find((known) => known.name === extra[0]);
      io.out(about ? commandHelp(about) : USAGE);
      return about || extra.length === 0 ? 0 : 64;
    }
    if (values.help) {
      io.out(command ? commandHelp(command) : USAGE);
      return 0;
    }
    if (named === undefined) {
      io.err(USAGE);
      return 64;
    }
    if (!command) throw new UsageError(`unknown command "${named}" (commands: ${COMMANDS.map((known) => known.name).join(', ')})`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    return await command.run(values, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error) || (isOrchestratorError(error) && error.code === 'invalid_config')) {
      const help = command ? `hub-orchestrator ${command.name} --help` : 'hub-orchestrator --help';
      io.err(`hub-orchestrator${command ? ` ${command.name}` : ''}: ${usageMessage(error as Error, command)}\nRun \`${help}\` for usage.`);
      return 64;
    }
    io.err(`hub-orchestrator: ${errorMessage(error)}`);
    return 70;
  }
}

/** The parser's own words where they are clear, rewritten where they name a flag the command lacks. */
function usageMessage(error: Error, command: Command | undefined): string {
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(error.message);
  if (unknown && isParseArgsError(error)) {
    const flags = Object.keys(command?.flags ?? {});
    const known = flags.length > 0 ? `; it takes ${flags.map((flag) => `--${flag}`).join(', ')}` : '; it takes no flags';
    return `unknown flag ${unknown[1]}${command ? `${known}` : ''}`;
  }
  const missing = /Option '(-{1,2}[^'\s]+)[^']*' argument missing/.exec(error.message);
  if (missing) return `${missing[1]} needs a value`;
  return error.message;
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
