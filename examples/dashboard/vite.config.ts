import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The page imports the library (and its React bindings) by package name; the aliases point at the source, so the
// dashboard always shows the checkout as it is, without a build of the package. (The page imports
// only types from `/simulator`, which the build erases: no Node code reaches the browser.) As the
// package's `browser` build does, the source's default transport is swapped for the fetch one.
const browserTransport = here('../../src/clients/defaultTransport.browser.ts');
export default defineConfig({
  root: here('.'),
  resolve: {
    alias: [
      { find: /^@reactdjango-hub\/orchestrator$/, replacement: here('../../src/index.ts') },
      { find: /^@reactdjango-hub\/orchestrator\/react$/, replacement: here('../../src/react/index.ts') },
      { find: /^\.\/defaultTransport$/, replacement: browserTransport },
    ],
  },
  // React's automatic runtime: the .tsx files import nothing for JSX.
  oxc: { jsx: { runtime: 'automatic' } },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: here('dist'), emptyOutDir: true },
});
