// What every benchmark shares: samples and percentiles, CPU time, the machine, figures and tables.
import { readFileSync } from 'node:fs';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import axios, { type AxiosInstance, type CreateAxiosDefaults } from 'axios';
import { createServiceOrchestrator, type OrchestratorConfig, type ServiceOrchestrator } from '../src';
import { SEED, type Hub } from '../src/simulator';
import { percentile } from '../src/streams/metrics';

/** The machine a run was measured on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  date: string;
}

/** One measured figure, always next to the baseline it is judged against. */
export interface Figure {
  /** What was measured, such as `library: p50 latency`. */
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, such as `bare axios`. */
  baseline: string;
  baselineValue: number;
  /** `value / baselineValue`. */
  ratio: number;
  /** The goal in words, when the issue sets one for this figure. */
  goal?: string;
  /** Whether the goal is met; absent when there is no goal. */
  met?: boolean;
}

/** The figures of one benchmark and how they were obtained. */
export interface Section {
  id: string;
  title: string;
  /** How it was measured: sizes, settings, what the baseline is. */
  setup: string[];
  figures: Figure[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

/** Free memory now, in GB, to tell a starved machine from a slow library. */
export function freeMemoryGb(): number {
  return Math.round((freemem() / 1024 ** 3) * 10) / 10;
}

/** A figure with its ratio; `goal` turns `pass(ratio, value)` into `met`. */
export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
  goal?: { text: string; pass: (ratio: number, value: number) => boolean },
): Figure {
  const ratio = baselineValue === 0 ? (value === 0 ? 1 : Infinity) : value / baselineValue;
  return {
    name,
    value,
    unit,
    baseline,
    baselineValue,
    ratio,
    ...(goal ? { goal: goal.text, met: goal.pass(ratio, value) } : {}),
  };
}

/** p50, p99 and mean of a list of samples (in whatever unit they were taken). */
export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const total = samples.reduce((sum, value) => sum + value, 0);
  return {
    count: samples.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: samples.length === 0 ? 0 : total / samples.length,
  };
}

/** The median of a few samples, such as per-round figures. */
export function median(samples: readonly number[]): number {
  return percentile(Float64Array.from(samples).sort(), 0.5);
}

/** CPU time (user + system) of the whole process in µs since `start`. */
export function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** A full garbage collection; the benchmark runner starts Node with `--expose-gc`. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets pending I/O callbacks and closes run, so that sockets closed a moment ago are gone. */
export async function settle(turns = 5): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The kinds of handles and requests keeping the event loop busy, counted, such as `{ Timeout: 1 }`. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * Connections the kernel refused so far because a listen queue was full (Linux's ListenOverflows),
 * or undefined where /proc/net/netstat is not there. Each such SYN is retried a second later, so a
 * benchmark that causes any measures the retransmission timer rather than the code.
 */
export function listenOverflows(): number | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/net/netstat', 'utf8');
  } catch {
    return undefined;
  }
  const [names, values] = text.split('\n').filter((line) => line.startsWith('TcpExt:'));
  const index = names?.split(' ').indexOf('ListenOverflows') ?? -1;
  const value = index > 0 ? Number(values?.split(' ')[index]) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/** A number as a table shows it: 3 significant digits, no exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/** Two decimals, or three where two would round a missed goal onto its limit (1.104 shown as 1.10 next to "missed"). */
export function formatRatio(ratio: number, precise = false): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(precise ? 3 : 2)}×` : '—';
}

function verdict(met: boolean | undefined): string {
  if (met === undefined) return '';
  return met ? 'met' : 'MISSED';
}

const COLUMNS = ['figure', 'value', 'baseline', 'baseline value', 'ratio', 'goal', ''] as const;

function rows(section: Section): string[][] {
  return section.figures.map((f) => [
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.baseline,
    `${formatNumber(f.baselineValue)} ${f.unit}`,
    formatRatio(f.ratio, f.goal !== undefined),
    f.goal ?? '',
    verdict(f.met),
  ]);
}

/** A plain-text table of one section, for the terminal. */
export function textTable(section: Section): string {
  const body = rows(section);
  const widths = COLUMNS.map((column, index) => Math.max(column.length, ...body.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) =>
        index === 1 || index === 3 || index === 4 ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(COLUMNS), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}

/** The same table in Markdown, for BENCHMARKS.md. */
export function markdownTable(section: Section): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const header = ['figure', 'value', 'baseline', 'baseline value', 'ratio', 'goal', 'met?'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, index) => (index === 1 || index === 3 || index === 4 ? '---:' : '---')).join('|')}|`,
    ...rows(section).map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

/** An orchestrator against the hub (logging off), signed in as the seeded demo user. */
/**
 * Bare axios as the library's default instance is set: no redirects followed, so in Node axios sends
 * with `http` itself rather than through follow-redirects. Baselines that compare like for like use it.
 */
export function axiosWithoutRedirects(config: CreateAxiosDefaults = {}): AxiosInstance {
  return axios.create({ maxRedirects: 0, ...config });
}

/** The demo user's bearer header, for the hand-written baselines. */
export function demoAuthorization(hub: Hub): { Authorization: string } {
  return { Authorization: `Bearer ${hub.tokenFor(SEED.users.demo.email)}` };
}

export async function signedIn(hub: Hub, config: OrchestratorConfig = {}): Promise<ServiceOrchestrator> {
  const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false, ...config });
  const session = await orchestrator.signIn(SEED.users.demo.email, SEED.users.demo.password);
  if (!session.success) throw new Error(`sign-in failed: ${session.error}`);
  return orchestrator;
}
