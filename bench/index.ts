// `npm run bench`: runs every benchmark in bench/, each in its own Node process (a fresh heap and JIT),
// prints the figures with their baselines and ratios, and writes bench/results.json.
//
//   npm run bench                      every benchmark, then bench/results.json
//   npm run bench -- batching load     only these (bench/results.json is left alone)
//   npm run bench -- --markdown        also print the tables as Markdown (for the README)
//   npm run bench -- --report          print bench/results.json as Markdown, without running anything
import { fork } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { formatNumber, freeMemoryGb, machine, markdownTable, textTable, type Machine, type Section } from './support';

/** The benchmarks, in the order they run; each file exports `run(): Promise<Section[]>`. */
const BENCHMARKS = ['overhead', 'criticalPath', 'batching', 'load', 'retryBudget', 'endlessBody'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const RESULTS = join(__dirname, 'results.json');

/** What bench/results.json holds. */
interface Results {
  machine: Machine & { loadAverage: number[]; freeMemoryGb: number };
  durationSeconds: number;
  goals: { met: number; missed: number };
  sections: Section[];
}

type ChildMessage = { sections: Section[] } | { error: string };

function isBenchmark(name: string): name is Benchmark {
  return (BENCHMARKS as readonly string[]).includes(name);
}

/** Runs one benchmark in a child process with `--expose-gc`, so that heap figures start clean. */
function runInChild(name: Benchmark): Promise<Section[]> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', name], {
      execArgv: ['--expose-gc', '-r', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: ChildMessage | undefined;
    child.on('message', (message: ChildMessage) => (answer = message));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (answer && 'sections' in answer) resolve(answer.sections);
      else reject(new Error(`bench/${name}.ts failed${answer && 'error' in answer ? `: ${answer.error}` : ` (exit code ${code})`}`));
    });
  });
}

/** In the child: run the benchmark, hand the sections to the parent, and leave. */
async function child(name: Benchmark): Promise<void> {
  const send = (message: ChildMessage): Promise<void> => new Promise((resolve) => process.send?.(message, () => resolve()));
  try {
    const module = (await import(`./${name}`)) as { run: () => Promise<Section[]> };
    await send({ sections: await module.run() });
  } catch (error) {
    await send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  }
  process.disconnect?.();
}

function goals(sections: readonly Section[]): Results['goals'] {
  const withGoal = sections.flatMap((section) => section.figures).filter((f) => f.met !== undefined);
  return { met: withGoal.filter((f) => f.met).length, missed: withGoal.filter((f) => !f.met).length };
}

function describeMachine(m: Results['machine']): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB (${m.freeMemoryGb} GB free), Node ${m.node}, ${m.os}; ` +
    `load average ${m.loadAverage.map((value) => value.toFixed(2)).join(' / ')} at the start; ${m.date}`
  );
}

/** The results as BENCHMARKS.md shows them. */
export function markdown(results: Results): string {
  return [
    `Measured on ${describeMachine(results.machine)}; \`npm run bench\` took ${formatNumber(results.durationSeconds)} s. ` +
      `Goals: ${results.goals.met} met, ${results.goals.missed} missed.`,
    ...results.sections.flatMap((section) => [
      '',
      `#### ${section.title}`,
      '',
      ...section.setup.map((line) => `- ${line}`),
      '',
      markdownTable(section),
    ]),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === '--child' && argv[1] && isBenchmark(argv[1])) return child(argv[1]);
  if (argv.includes('--report')) {
    console.log(markdown(JSON.parse(readFileSync(RESULTS, 'utf8')) as Results));
    return;
  }
  const asked = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = asked.filter((name) => !isBenchmark(name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are ${BENCHMARKS.join(', ')}`);
  const chosen = asked.length > 0 ? asked.filter(isBenchmark) : [...BENCHMARKS];

  const host = { ...machine(), loadAverage: loadavg(), freeMemoryGb: freeMemoryGb() };
  console.log(`Benchmarks on ${describeMachine(host)}\n`);
  const started = performance.now();
  const sections: Section[] = [];
  const failures: string[] = [];
  for (const name of chosen) {
    const benchStarted = performance.now();
    try {
      for (const section of await runInChild(name)) {
        sections.push(section);
        console.log(`${section.title}\n${section.setup.map((line) => `  ${line}`).join('\n')}\n\n${textTable(section)}\n`);
      }
      console.log(`(bench/${name}.ts: ${((performance.now() - benchStarted) / 1000).toFixed(1)} s)\n`);
    } catch (error) {
      failures.push(name);
      console.error(error instanceof Error ? error.message : error);
    }
  }
  const results: Results = { machine: host, durationSeconds: (performance.now() - started) / 1000, goals: goals(sections), sections };
  console.log(`Goals: ${results.goals.met} met, ${results.goals.missed} missed; ${results.durationSeconds.toFixed(0)} s in all.`);
  if (argv.includes('--markdown')) console.log(`\n${markdown(results)}`);
  if (failures.length > 0) {
    process.exitCode = 1;
    console.error(`Failed: ${failures.join(', ')}; bench/results.json is left as it was.`);
  } else if (asked.length === 0) {
    await writeResults(results);
    console.log('Wrote bench/results.json');
  }
}

/** Writes the results formatted as the repository's Prettier would, through a temporary file. */
async function writeResults(results: Results): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(RESULTS)) ?? {};
  const text = await prettier.format(JSON.stringify(results), { ...options, parser: 'json' });
  writeFileSync(`${RESULTS}.tmp`, text);
  renameSync(`${RESULTS}.tmp`, RESULTS);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
