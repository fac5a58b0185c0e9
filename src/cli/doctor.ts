import { defaultServiceUrl } from '../config';
import { OPERATION_NAMES, perService, type OperationName, type ServiceName } from '../hub';
import { OPERATION_NEEDS, type CapabilityOptions, type CapabilityReport, type EndpointReport } from '../operations/capabilities';
import { createServiceOrchestrator } from '../orchestrator';
import { httpUrl, SERVICE_URL_FLAGS, wholeNumber, type Command, type FlagValues } from './command';
import { table } from './format';
import { UsageError, type CliIO } from './io';

/** The environment variable `--password` may come from, so that it stays out of the shell history. */
export const PASSWORD_ENV = 'HUB_PASSWORD';

/** What `doctor` was asked. */
export interface DoctorOptions {
  services: Record<ServiceName, string>;
  json: boolean;
  timeout: number;
  /** A bearer token, or credentials to sign in with first; neither for unauthenticated probes only. */
  auth: Pick<CapabilityOptions, 'token' | 'credentials'>;
}

/** The operations whose verdicts decide the exit code: the four that span services (signIn is identity's alone). */
const DECIDING: readonly OperationName[] = OPERATION_NAMES.filter((name) => name !== 'signIn');

/**
 * Reads `doctor`'s flags: the URLs as `health` reads them (`--<service> URL`, its env var, the local
 * default), `--timeout`, `--json`, and `--token` or `--email` with `--password` (or `HUB_PASSWORD`).
 */
export function doctorOptions(values: FlagValues, env: CliIO['env']): DoctorOptions {
  const services = perService((service) => {
    const flag = values[service];
    return typeof flag === 'string' ? httpUrl(flag, service) : defaultServiceUrl(service, env);
  });
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} needs a value`);
    return value;
  };
  const token = text('token');
  const email = text('email');
  const password = text('password') ?? (email !== undefined ? env[PASSWORD_ENV] : undefined);
  if (token !== undefined && (email !== undefined || values.password !== undefined)) {
    throw new UsageError('give either --token or --email and --password, not both');
  }
  if (email === undefined && values.password !== undefined) throw new UsageError('--password needs --email');
  if (email !== undefined && !password) throw new UsageError(`--email needs --password (or ${PASSWORD_ENV} in the environment)`);
  const auth = token !== undefined ? { token } : email !== undefined && password ? { credentials: { email, password } } : {};
  const timeout = wholeNumber(values, 'timeout', 5_000, { min: 1, max: 2_147_483_647, what: 'ms' });
  return { services, json: values.json === true, timeout, auth };
}

/** 0 when the four operations can all run fully, 1 otherwise. */
export function doctorExitCode(report: CapabilityReport): number {
  return DECIDING.every((name) => report.operations[name] === 'full') ? 0 : 1;
}

function endpointOf(report: CapabilityReport, service: ServiceName, route: string): EndpointReport | undefined {
  return report.endpoints.find((endpoint) => endpoint.service === service && endpoint.route === route);
}

/** What stands in an operation's way: its endpoints that are not served, critical ones marked `!`. */
function obstacles(report: CapabilityReport, operation: OperationName): string {
  return OPERATION_NEEDS[operation]
    .map((need) => ({ need, endpoint: endpointOf(report, need.service, need.route) }))
    .filter(({ endpoint }) => endpoint !== undefined && endpoint.state !== 'served')
    .sort((a, b) => Number(b.need.critical) - Number(a.need.critical))
    .map(({ need, endpoint }) => `${need.critical ? '!' : ''}${need.service}.${need.route} ${endpoint?.state}`)
    .join(', ');
}

function tokenLine(report: CapabilityReport): string {
  const { tokens } = report;
  const services = Object.entries(tokens.accepted) as [ServiceName, boolean | null][];
  if (services.every(([, accepted]) => accepted === null)) {
    const why = tokens.note ?? 'no token: pass --token, or --email and --password, for the authenticated probes';
    return `identity's tokens: not probed (${why})`;
  }
  const from = tokens.source === 'login' ? 'a login' : 'the given token';
  const verdicts = services.map(
    ([service, accepted]) => `${service} ${accepted === null ? 'not probed' : accepted ? 'accepts' : 'REFUSES'}`,
  );
  return `identity's tokens (from ${from}): ${verdicts.join(', ')}`;
}

/** What a probe that writes nothing cannot know, said under every table. */
const POST_CAVEAT =
  'A POST shown served answered the validation of an empty body (422); whether a valid body succeeds cannot be known without writing.';

/** The report for people: operations, then endpoints, then the tokens. */
export function doctorTable(report: CapabilityReport): string {
  const operations = table(
    ['operation', 'can run', 'in the way (! = critical)'],
    OPERATION_NAMES.map((name) => [name, report.operations[name], obstacles(report, name)]),
  );
  const endpoints = table(
    ['service', 'endpoint', 'state', 'status', 'note'],
    report.endpoints.map((e) => [e.service, e.endpoint, e.state, e.status === null ? '-' : String(e.status), e.note]),
  );
  return `${operations}\n\n${endpoints}\n\n${tokenLine(report)}\n${POST_CAVEAT}`;
}

/**
 * Probes the Hub without writing to it (see `orchestrator.capabilities()`), prints the table or the
 * JSON report, and exits 0 when the four operations can run fully, 1 otherwise.
 */
export async function doctor(options: DoctorOptions, io: CliIO): Promise<number> {
  const orchestrator = createServiceOrchestrator({ services: options.services, enableLogging: false, enableMetrics: false });
  try {
    const report = await orchestrator.capabilities({ ...options.auth, timeout: options.timeout });
    io.out(options.json ? JSON.stringify(report) : doctorTable(report));
    return doctorExitCode(report);
  } finally {
    orchestrator.dispose();
  }
}

/** `hub-orchestrator doctor`. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Probes a live Hub without writing to it: which operations can run fully, partly or not at all, and what each endpoint answers.',
  flags: {
    json: { kind: 'boolean', help: 'the report as one JSON object' },
    timeout: { kind: 'string', value: 'MS', help: 'per probe (default 5000)' },
    token: { kind: 'string', value: 'T', help: 'probe the authenticated routes with this bearer token, or' },
    email: { kind: 'string', value: 'E', help: 'sign in first (a login writes nothing), with' },
    password: { kind: 'string', value: 'P', help: `the password (or ${PASSWORD_ENV} in the environment)` },
    ...SERVICE_URL_FLAGS,
  },
  notes: [
    'URLs as for health.',
    'Exit code: 0 when the four operations can all run fully, 1 otherwise, 64 a usage error, 70 an unexpected failure.',
  ],
  run: (values, io) => doctor(doctorOptions(values, io.env), io),
};
