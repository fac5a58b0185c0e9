// A health monitor: `health$` as one JSON line per check on stdout, or, with --prometheus, in the
// Prometheus text exposition format (for node_exporter's textfile collector, or any scraper that
// reads a file). The services' URLs come from IDENTITY_SERVICE_URL … (default localhost:8001…8004).
//
//   npm run build && npx ts-node --transpile-only -P tsconfig.json examples/monitor.ts [--prometheus] [--once] [--interval MS]
//
// (In your own project, import from '@reactdjango-hub/orchestrator' and run it however you run TypeScript.)
//
// With --once it checks once and exits 0 (healthy), 1 (degraded) or 2 (unhealthy), like
// `hub-orchestrator health`.
import { parseArgs } from 'node:util';
import { createServiceOrchestrator, SERVICE_NAMES, type HealthStatus, type SystemHealthCheck } from '@reactdjango-hub/orchestrator';

const STATUS_CODE: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** A label value in the exposition format: backslash, double quote and newline escaped. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** One gauge: its HELP and TYPE lines, then one sample per entry. */
function gauge(name: string, help: string, samples: ReadonlyArray<[labels: string, value: number]>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples.map(([labels, value]) => `${name}${labels} ${value}`)];
}

/** A check in the Prometheus text format. */
export function toPrometheus(health: SystemHealthCheck): string {
  const perService = (value: (service: (typeof SERVICE_NAMES)[number]) => number): Array<[string, number]> =>
    SERVICE_NAMES.map((service) => [`{service="${service}"}`, value(service)]);
  return [
    ...gauge(
      'hub_service_up',
      'Whether the service answered its health check as healthy or degraded.',
      perService((s) => (health[s].status === 'unhealthy' ? 0 : 1)),
    ),
    ...gauge(
      'hub_service_status',
      'The service health: 0 healthy, 1 degraded, 2 unhealthy.',
      perService((s) => STATUS_CODE[health[s].status]),
    ),
    ...gauge(
      'hub_service_latency_ms',
      'How long the health check took, in ms.',
      perService((s) => health[s].latencyMs),
    ),
    ...gauge(
      'hub_service_info',
      'The version each service reports.',
      SERVICE_NAMES.map((s) => [`{service="${s}",version="${label(health[s].version)}"}`, 1]),
    ),
    ...gauge('hub_overall_status', 'The Hub as a whole: 0 healthy, 1 degraded, 2 unhealthy.', [['', STATUS_CODE[health.overall]]]),
    ...gauge('hub_last_check_timestamp_seconds', 'When the check finished, in Unix seconds.', [['', Date.parse(health.timestamp) / 1000]]),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { prometheus: { type: 'boolean' }, once: { type: 'boolean' }, interval: { type: 'string' } },
    strict: true,
  });
  const interval = values.interval === undefined ? 15_000 : Number(values.interval);
  if (!Number.isInteger(interval) || interval <= 0)
    throw new Error(`--interval must be a positive whole number of ms, not "${values.interval}"`);

  const orchestrator = createServiceOrchestrator({ enableLogging: false, health: { checkInterval: interval } });
  const print = (health: SystemHealthCheck): void => {
    process.stdout.write(values.prometheus ? `${toPrometheus(health)}\n\n` : `${JSON.stringify(health)}\n`);
  };
  try {
    if (values.once) {
      const health = await orchestrator.performHealthCheck();
      print(health);
      return STATUS_CODE[health.overall];
    }
    // `health$` checks at once, then every `interval` ms, for as long as it is subscribed.
    await new Promise<void>((resolve) => {
      const subscription = orchestrator.health$.subscribe(print);
      const stop = (): void => {
        subscription.unsubscribe();
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } finally {
    orchestrator.dispose();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`monitor: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 64;
    },
  );
}
