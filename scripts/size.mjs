// The size budget: what the built package (dist/esm, as a user's bundler sees it through the
// `exports` map) costs in a production browser build: esbuild, minified, browser conditions,
// NODE_ENV=production, then gzip -9. Also what each dependency costs in the whole orchestrator's
// bundle: its gzipped size with that dependency left out, subtracted from the full one.
// `node scripts/size.mjs` checks the budgets (exit 1 when one is over); `--json` prints the figures.
// Needs `npm run build` first.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = '@reactdjango-hub/orchestrator';
const KB = 1024;

/**
 * What an app imports, and the most it may cost gzipped (`budget`, enforced: a change that grows it
 * past fails). A browser build resolves the package's `browser` export condition, whose default
 * transport is `fetch`: axios is in the bundle only when the app brings it (the last row says what
 * that costs).
 */
const bundles = [
  { label: 'whole orchestrator (every export of the main entry)', code: `export * from '${name}';`, budget: 50 * KB },
  {
    label: 'the three operators alone',
    code: `export { retryWithDelay, timeoutAfter, batchBuffer } from '${name}';`,
    budget: 12 * KB,
  },
  {
    label: 'createServiceOrchestrator alone',
    code: `export { createServiceOrchestrator } from '${name}';`,
  },
  {
    label: "createServiceOrchestrator with the app's own axios (the `axios` option)",
    code: `import axios from 'axios';\nimport { createServiceOrchestrator } from '${name}';\nexport const make = () => createServiceOrchestrator({ axios: axios.create() });`,
  },
];
if (existsSync(join(repo, 'dist/esm/react/index.js'))) {
  bundles.push({
    label: 'the React bindings (every export of /react; react itself not counted)',
    code: `export * from '${name}/react';`,
    external: ['react'],
  });
}

const dependencies = ['axios', 'rxjs', 'zod', 'rxjs-for-await'];

async function measure(code, external = []) {
  const result = await build({
    stdin: { contents: code, resolveDir: repo, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0].contents;
  return { minified: output.length, gzipped: gzipSync(output, { level: 9 }).length, metafile: result.metafile };
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
const figures = [];
let over = 0;
for (const bundle of bundles) {
  const { minified, gzipped } = await measure(bundle.code, bundle.external);
  const ok = bundle.budget === undefined || gzipped <= bundle.budget;
  if (!ok) over++;
  figures.push({ label: bundle.label, minified, gzipped, budget: bundle.budget, ok });
}

// Each dependency's cost in the whole orchestrator: the difference its absence makes, gzipped.
const whole = await measure(bundles[0].code);
const costs = [];
for (const dependency of dependencies) {
  const without = await measure(bundles[0].code, [dependency, `${dependency}/*`]);
  const minified = Object.entries(whole.metafile.outputs)
    .flatMap(([, output]) => Object.entries(output.inputs))
    .filter(([path]) => path.includes(`node_modules/${dependency}/`))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  costs.push({ dependency, minified, gzipped: whole.gzipped - without.gzipped });
}
// The library's own code: the whole orchestrator with every dependency left out.
const own = await measure(
  bundles[0].code,
  dependencies.flatMap((dependency) => [dependency, `${dependency}/*`]),
);

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ bundles: figures, dependencies: costs, own: { minified: own.minified, gzipped: own.gzipped } }, null, 2));
} else {
  for (const figure of figures) {
    console.log(
      `${figure.budget === undefined ? '    ' : figure.ok ? 'ok  ' : 'OVER'} ${figure.label}: ${kb(figure.gzipped)} gzipped (${kb(figure.minified)} minified), ${figure.budget === undefined ? 'no budget' : `budget ${kb(figure.budget)}`}`,
    );
  }
  console.log('In the whole orchestrator (gzipped: what leaving it out saves):');
  for (const cost of costs) console.log(`     ${cost.dependency}: ${kb(cost.gzipped)} gzipped, ${kb(cost.minified)} minified`);
  console.log(`     the library's own code: ${kb(own.gzipped)} gzipped, ${kb(own.minified)} minified`);
}
if (over > 0) {
  console.error(`${over} bundle(s) over budget`);
  process.exitCode = 1;
}
