import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page imports the library by its package name; the alias points it at the source, so the
// dashboard always shows the checkout as it is, without a build of the package.
export default defineConfig({
  root: here('.'),
  resolve: { alias: { '@reactdjango-hub/orchestrator': here('../../src/index.ts') } },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: here('dist'), emptyOutDir: true },
});
