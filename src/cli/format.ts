import { SERVICE_NAMES } from '../hub';
import type { HealthStatus } from '../hub';
import type { SystemHealthCheck } from '../streams/health';
import { paint } from './command';
import type { CliIO } from './io';

/** Lays rows out as a plain-text table with a header rule. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const STATUS_COLOUR = { healthy: 'green', degraded: 'yellow', unhealthy: 'red' } as const satisfies Record<HealthStatus, string>;

/** The health of the four services as a table, with the overall verdict below; statuses coloured on a terminal. */
export function healthTable(health: SystemHealthCheck, io?: CliIO): string {
  const status = (value: HealthStatus): string => (io ? paint(io, STATUS_COLOUR[value], value) : value);
  const rows = SERVICE_NAMES.map((service) => {
    const entry = health[service];
    return [service, entry.status, `${entry.latencyMs} ms`, entry.version, entry.error ?? ''];
  });
  // Coloured after the layout, so that escape codes do not count towards the column widths.
  const lines = table(['service', 'status', 'latency', 'version', 'note'], rows).split('\n');
  const coloured = lines.map((line, index) => {
    const value = rows[index - 2]?.[1] as HealthStatus | undefined;
    return value ? line.replace(new RegExp(`(?<=^\\S+\\s+)${value}`), status(value)) : line;
  });
  return `${coloured.join('\n')}\noverall: ${status(health.overall)}`;
}

/** The process exit code for a verdict: 0 healthy, 1 degraded, 2 unhealthy. */
export function healthExitCode(health: SystemHealthCheck): number {
  return health.overall === 'healthy' ? 0 : health.overall === 'degraded' ? 1 : 2;
}
