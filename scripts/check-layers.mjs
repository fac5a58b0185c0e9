// Checks that imports under src/ flow one way and form no cycle.
//
//   hub/ → errors, issues, redact, relay → config → clients/ → operators/ → resilience/, batching/ → operations/
//   → streams/ → orchestrator (the facade) → defaultOrchestrator, index → react/, cli/
//
// A file may import from its own layer or an earlier one, never a later one. The simulator (Node
// only, its own subpath) may import only the bottom layer: the vocabulary (hub/), issues (the
// English words of a schema's issues) and redact.
// Type-only imports count: a type is a dependency too. The graph is madge's.
import madge from 'madge';

const LAYERS = [
  ['hub/'],
  ['errors.ts', 'issues.ts', 'redact.ts', 'relay.ts', 'tracing.ts'],
  ['config.ts', 'settings.ts'],
  ['clients/'],
  ['operators/'],
  ['resilience/', 'batching/'],
  ['operations/'],
  ['streams/'],
  ['orchestrator.ts', 'wiring.ts'],
  ['defaultOrchestrator.ts', 'index.ts'],
  ['react/', 'cli/'],
];
const SIMULATOR = 'simulator/';
const SIMULATOR_MAY_IMPORT = ['hub/', 'issues.ts', 'redact.ts'];

const matches = (file, prefix) => (prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix);

function layerOf(file) {
  const index = LAYERS.findIndex((prefixes) => prefixes.some((prefix) => matches(file, prefix)));
  if (index === -1) throw new Error(`check-layers: ${file} is in no layer; add its folder to LAYERS`);
  return index;
}

const graph = await madge('src', {
  fileExtensions: ['ts', 'tsx'],
  tsConfig: 'tsconfig.json',
  detectiveOptions: { ts: { skipTypeImports: false } },
});
const problems = [];
for (const [from, imports] of Object.entries(graph.obj())) {
  for (const to of imports) {
    // The CLI reads its version from the package's own package.json, outside src/.
    if (to === '../package.json' && from.startsWith('cli/')) continue;
    if (from.startsWith(SIMULATOR)) {
      if (!to.startsWith(SIMULATOR) && !SIMULATOR_MAY_IMPORT.some((prefix) => matches(to, prefix))) {
        problems.push(`${from} imports ${to}: the simulator imports only ${SIMULATOR_MAY_IMPORT.join(' and ')}`);
      }
      continue;
    }
    if (to.startsWith(SIMULATOR)) {
      if (!matches(from, 'cli/')) problems.push(`${from} imports ${to}: only the CLI may use the simulator`);
      continue;
    }
    if (layerOf(to) > layerOf(from)) problems.push(`${from} imports ${to}, a later layer (${LAYERS[layerOf(to)].join(', ')})`);
  }
}
for (const cycle of graph.circular()) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' → ')}`);

const files = Object.keys(graph.obj()).length;
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s) in ${files} files:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check-layers: ${files} files, imports flow one way, no cycle`);
