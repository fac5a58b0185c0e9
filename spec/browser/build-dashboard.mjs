// Builds examples/dashboard into the directory given as the first argument. Vite 8 is ESM-only and
// jest runs the specs as CommonJS, so dashboard.spec.ts runs this in a child process.
import { build } from 'vite';

const [outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node spec/browser/build-dashboard.mjs <outDir>');
  process.exit(2);
}
await build({
  configFile: new URL('../../examples/dashboard/vite.config.ts', import.meta.url).pathname,
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, sourcemap: false },
});
