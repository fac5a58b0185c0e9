// What every command of `hub-orchestrator` is made of: its flags, its help, and the parsing of
// numbers and URLs with messages that name the flag the user typed.
import { SERVICE_NAMES } from '../hub';
import { UsageError, type CliIO } from './io';

/** A flag's kind, as `node:util` parseArgs takes it. */
export type FlagKind = 'string' | 'boolean';

/** The parsed flags of a command line. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** One command: its name, its one-line summary, its flags with their help, and what it does. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Flag name → its kind and a help line (`N` or `URL` in `value` names what it takes). */
  readonly flags: Readonly<Record<string, { readonly kind: FlagKind; readonly value?: string; readonly help: string }>>;
  /** Lines after the flags, such as the exit codes. */
  readonly notes?: readonly string[];
  run(values: FlagValues, io: CliIO): Promise<number>;
}

/** `hub-orchestrator <name> --help`. */
export function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(([name, flag]) => [`--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.help] as const);
  const width = Math.max(0, ...flags.map(([left]) => left.length));
  return [
    `Usage: hub-orchestrator ${command.name}${flags.length > 0 ? ' [flags]' : ''}`,
    '',
    command.summary,
    ...(flags.length > 0 ? ['', 'Flags:', ...flags.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`)] : []),
    ...(command.notes && command.notes.length > 0 ? ['', ...command.notes] : []),
  ].join('\n');
}

/**
 * Negative numbers given to a flag that takes a value (`--interval -5`) are joined to it
 * (`--interval=-5`), so that the parser does not read them as flags and the number check can say
 * what is wrong with them.
 */
export function joinNegativeValues(argv: readonly string[], takesValue: (flag: string) => boolean): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] as string;
    const next = argv[index + 1];
    if (argument.startsWith('--') && !argument.includes('=') && takesValue(argument.slice(2)) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argument}=${next}`);
      index += 1;
    } else joined.push(argument);
  }
  return joined;
}

/** How a number flag is bounded. */
export interface NumberRule {
  readonly min: number;
  readonly max?: number;
  /** What the number is, for the message: `a port`, `ms`. */
  readonly what: string;
}

/** A whole number from a flag, or a usage error that names the flag and says what it takes. */
export function wholeNumber(values: FlagValues, flag: string, fallback: number, rule: NumberRule): number {
  const value = values[flag];
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  const max = rule.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(number) || number < rule.min || number > max) {
    const range = rule.max === undefined ? `${rule.min} or more` : `from ${rule.min} to ${rule.max}`;
    throw new UsageError(`--${flag} takes a whole number (${rule.what}) ${range}, not "${String(value)}"`);
  }
  return number;
}

/** An http(s) base URL from a flag, or a usage error that names the flag. */
export function httpUrl(value: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`--${flag} takes an http(s) URL such as http://localhost:8001, not "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** The per-service URL flags, `--identity URL` …, shared by the commands that talk to a Hub. */
export const SERVICE_URL_FLAGS = Object.fromEntries(
  SERVICE_NAMES.map((service) => [service, { kind: 'string' as const, value: 'URL', help: `the ${service} service's base URL` }]),
);

const COLOURS = { green: 32, yellow: 33, red: 31, dim: 2, bold: 1 } as const;

/** Text in a terminal colour where the output is a terminal that wants colour (see `CliIO.color`). */
export function paint(io: CliIO, colour: keyof typeof COLOURS, text: string): string {
  return io.color ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text;
}
