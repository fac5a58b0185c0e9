// Builds the dual package: dist/cjs (CommonJS) and dist/esm (ES modules), each with type declarations.
// The two trees get their own package.json "type", so `.js` means the right thing in each.
//
// dist/cjs is one flat file per entry (Node programs load it whole). dist/esm keeps one file per
// source module, so that a front end's bundler drops every module the app does not import
// (package.json says `"sideEffects": false`): `import { retryWithDelay }` then costs the operator,
// not the orchestrator. Its declarations are bundled per entry, as types cost nothing at run time.
// dist/browser is dist/esm as a browser gets it (package.json's `browser` export condition): the
// same modules, but the default transport is `defaultTransport.browser` (fetch), so no axios in it.
import { build as esbuild } from 'esbuild';
import { build } from 'tsup';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const entry = { index: 'src/index.ts', 'react/index': 'src/react/index.ts', 'simulator/index': 'src/simulator/index.ts' };
// The command-line tool is a CommonJS program (it is run, not imported), so only that build has it.
const formats = [
  { format: 'cjs', dir: 'dist/cjs', type: 'commonjs', entry: { ...entry, cli: 'src/cli/index.ts' }, dtsOnly: false },
  { format: 'esm', dir: 'dist/esm', type: 'module', entry, dtsOnly: true },
];

await rm('dist', { recursive: true, force: true });
for (const { format, dir, type, entry, dtsOnly } of formats) {
  await build({
    entry,
    format: [format],
    outDir: dir,
    outExtension: () => ({ js: '.js', dts: '.d.ts' }),
    dts: dtsOnly ? { only: true } : true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    clean: false,
    silent: true,
    tsconfig: 'tsconfig.build.json',
    // Dependencies stay imports: the user's bundler dedupes rxjs, axios and zod. The React bindings
    // import the main entry (`../index`), which stays an import too: one copy of the library.
    external: [/^[^./]/, /^\.\.\/index$/],
  });
  await mkdir(dir, { recursive: true });
  // The nearest package.json is the one a bundler reads `sideEffects` from: without it, nothing is dropped.
  await writeFile(`${dir}/package.json`, JSON.stringify({ type, sideEffects: false }, null, 2) + '\n');
}

/** Every module the ES entries reach: all of src/ but the CommonJS-only command-line tool and what `leave` names. */
async function modules(dir, leave = []) {
  const found = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (path === join('src', 'cli') || leave.includes(path)) continue;
    if (item.isDirectory()) found.push(...(await modules(path, leave)));
    else if (/\.tsx?$/.test(item.name) && !item.name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** In the browser tree, the module put in place of another (imports of it are rewritten to its replacement). */
const browserReplacements = { [resolve('src/clients/defaultTransport.ts')]: resolve('src/clients/defaultTransport.browser.ts') };

/** The source file a relative import names (`./x` → `./x.ts`, `./dir` → `./dir/index.ts`). */
function sourceOf(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

// One ES module per source module: each import stays an import, a relative one rewritten to the
// `.js` file it becomes (Node's ESM loader and every bundler need the extension).
const perModule = (replacements = {}) => ({
  name: 'per-module',
  setup(builder) {
    builder.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const source = sourceOf(args.importer, args.path);
      const target = replacements[source] ?? source;
      let path = relative(dirname(args.importer), target).replace(/\.tsx?$/, '.js');
      if (!path.startsWith('.')) path = `./${path}`;
      return { path, external: true };
    });
  },
});
const perModuleBuild = {
  outbase: 'src',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
};
await esbuild({ ...perModuleBuild, entryPoints: await modules('src'), outdir: 'dist/esm', plugins: [perModule()] });
// The browser tree: no simulator (Node only), and the fetch transport in place of the axios one.
await esbuild({
  ...perModuleBuild,
  entryPoints: await modules('src', [join('src', 'simulator'), join('src', 'clients', 'defaultTransport.ts')]),
  outdir: 'dist/browser',
  plugins: [perModule(browserReplacements)],
});
await writeFile('dist/browser/package.json', JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n');
// The ESM declarations of /react name the main entry's: with an extension, as Node's ESM resolution
// needs (`../index.mjs` is how TypeScript names `../index.d.mts`).
const reactTypes = 'dist/esm/react/index.d.mts';
await writeFile(reactTypes, (await readFile(reactTypes, 'utf8')).replaceAll("from '../index'", "from '../index.mjs'"));
console.log('built dist/cjs, dist/esm and dist/browser');
