import { SERVICE_NAMES } from '../hub';
import type { SystemHealthCheck } from '../streams/health';

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

/** The health of the four services as a table, with the overall verdict below. */
export function healthTable(health: SystemHealthCheck): string {
  const rows = SERVICE_NAMES.map((service) => {
    const entry = health[service];
    return [service, entry.status, `${entry.latencyMs} ms`, entry.version, entry.error ?? ''];
  });
  return `${table(['service', 'status', 'latency', 'version', 'note'], rows)}\noverall: ${health.overall}`;
}

/** The process exit code for a verdict: 0 healthy, 1 degraded, 2 unhealthy. */
export function healthExitCode(health: SystemHealthCheck): number {
  return health.overall === 'healthy' ? 0 : health.overall === 'degraded' ? 1 : 2;
}
