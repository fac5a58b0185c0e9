// Builds the dual package: dist/cjs (CommonJS) and dist/esm (ES modules), each with type declarations.
// The two trees get their own package.json "type", so `.js` means the right thing in each.
import { build } from 'tsup';
import { mkdir, rm, writeFile } from 'node:fs/promises';

const entry = { index: 'src/index.ts', 'simulator/index': 'src/simulator/index.ts' };
// The command-line tool is a CommonJS program (it is run, not imported), so only that build has it.
const formats = [
  { format: 'cjs', dir: 'dist/cjs', type: 'commonjs', entry: { ...entry, cli: 'src/cli/index.ts' } },
  { format: 'esm', dir: 'dist/esm', type: 'module', entry },
];

await rm('dist', { recursive: true, force: true });
for (const { format, dir, type, entry } of formats) {
  await build({
    entry,
    format: [format],
    outDir: dir,
    outExtension: () => ({ js: '.js', dts: '.d.ts' }),
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
    clean: false,
    silent: true,
    tsconfig: 'tsconfig.build.json',
    // Dependencies stay imports: the user's bundler dedupes rxjs, axios and zod.
    external: [/^[^./]/],
  });
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/package.json`, JSON.stringify({ type }, null, 2) + '\n');
}
console.log('built dist/cjs and dist/esm');
