// Checks the package the way a user gets it: builds it, packs the tarball, installs that tarball in a
// fresh project (its dependencies come from the registry), then uses it from CommonJS, from ESM, from
// TypeScript (node16 and bundler resolution), from the command line, and bundles the main entry for
// the browser with Vite, failing if it pulls in any Node-only module. Leaves nothing behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = '@reactdjango-hub/orchestrator';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const requireFromRepo = createRequire(join(repo, 'package.json'));
const tsc = requireFromRepo.resolve('typescript/bin/tsc');

const started = Date.now();
const step = (text) => console.log(`[check-consumer ${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
const run = (command, args, cwd, options = {}) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000, ...options });

/** Runs a command; on failure prints what it said, so that CI logs show why. */
function mustRun(label, command, args, cwd) {
  try {
    return run(command, args, cwd);
  } catch (error) {
    console.error(`${label} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw new Error(`${label} failed`, { cause: error });
  }
}

const temp = mkdtempSync(join(tmpdir(), 'hub-consumer-'));
try {
  step('npm run build');
  mustRun('npm run build', npm, ['run', 'build'], repo);

  step('npm pack');
  const [packed] = JSON.parse(mustRun('npm pack', npm, ['pack', '--json', '--pack-destination', temp], repo));
  const files = packed.files.map((file) => file.path);
  for (const expected of [
    'package.json',
    'README.md',
    'dist/cjs/index.js',
    'dist/cjs/index.d.ts',
    'dist/cjs/cli.js',
    'dist/cjs/simulator/index.js',
    'dist/esm/index.js',
    'dist/esm/index.d.mts',
    'dist/esm/simulator/index.js',
    'dist/cjs/react/index.js',
    'dist/esm/react/index.js',
    'dist/esm/react/index.d.mts',
  ]) {
    assert.ok(files.includes(expected), `the tarball lacks ${expected}`);
  }
  const stray = files.filter((file) => !/^(package\.json|README\.md|LICENSE|dist\/)/.test(file));
  assert.deepEqual(stray, [], `the tarball carries files a user does not need: ${stray.join(', ')}`);

  const project = join(temp, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'hub-consumer', private: true, type: 'commonjs' }, null, 2));
  step(`npm install ${packed.filename} in a fresh project`);
  mustRun(
    'npm install',
    npm,
    // React and its types for the /react subpath and the seed's React examples (an optional peer).
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      join(temp, packed.filename),
      'react@19',
      '@types/react@19',
    ],
    project,
  );

  // A real run over sockets: the simulator, a sign-in and an operation, from each module system.
  const scenario = (pkg, sim) => `
    const { startHub, SEED } = ${sim};
    const { createServiceOrchestrator, retryWithDelay, timeoutAfter, batchBuffer, isServiceError } = ${pkg};
    if (![retryWithDelay, timeoutAfter, batchBuffer, isServiceError].every((f) => typeof f === 'function')) throw new Error('missing exports');
    const hub = await startHub();
    const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false });
    try {
      const health = await orchestrator.performHealthCheck();
      if (health.overall !== 'healthy') throw new Error('health: ' + health.overall);
      const signedIn = await orchestrator.signIn(SEED.users.demo.email, SEED.users.demo.password);
      if (!signedIn.success) throw new Error('signIn: ' + signedIn.error);
      const result = await orchestrator.searchAndTriggerWorkflows('quarterly report', true, [SEED.users.alice.id]);
      if (!result.success || result.data.searchResults.total < 1) throw new Error('search: ' + JSON.stringify(result));
      console.log('ok ' + result.data.searchResults.total + ' results, ' + result.data.workflowsTriggered.length + ' workflows');
    } finally {
      orchestrator.dispose();
      await hub.close();
    }`;
  writeFileSync(
    join(project, 'use.cjs'),
    `(async () => {${scenario(`require('${name}')`, `require('${name}/simulator')`)}\n})().catch((error) => { console.error(error); process.exitCode = 1; });\n`,
  );
  writeFileSync(join(project, 'use.mjs'), `${scenario(`await import('${name}')`, `await import('${name}/simulator')`)}\n`);
  step('require() from CommonJS');
  assert.match(mustRun('CommonJS use', process.execPath, ['use.cjs'], project), /^ok \d+ results/);
  step('import from ESM');
  assert.match(mustRun('ESM use', process.execPath, ['use.mjs'], project), /^ok \d+ results/);
  step('the hub-orchestrator command');
  assert.match(
    mustRun('hub-orchestrator help', join(project, 'node_modules', '.bin', 'hub-orchestrator'), ['help'], project),
    /hub-orchestrator <command>/,
  );

  // TypeScript: the types each resolution mode finds must be complete and precise (not `any`).
  const typed = `
import {
  createServiceOrchestrator,
  retryWithDelay,
  timeoutAfter,
  isServiceError,
  type OperationResult,
  type OrchestratorEvent,
  type SearchAndTriggerResult,
  type SystemHealthCheck,
} from '${name}';
import { SEED, startHub, type Hub, type FaultStep } from '${name}/simulator';
import { of } from 'rxjs';

export function describe(event: OrchestratorEvent): string {
  switch (event.type) {
    case 'operation_error':
      return event.error;
    case 'service_health_change':
      return \`\${event.service}: \${event.previous} -> \${event.current}\`;
    default:
      return event.type;
  }
}

export async function main(): Promise<number> {
  const hub: Hub = await startHub({ mode: 'upstream' });
  const fault: FaultStep = { kind: 'status', status: 503, retryAfter: 1 };
  hub.inject('content', { path: '/api/v1/search', faults: [fault] });
  const orchestrator = createServiceOrchestrator({ services: hub.urls, retryAttempts: 2, health: { timeout: 1_000 } });
  orchestrator.events$.subscribe((event) => console.log(describe(event)));
  const health: SystemHealthCheck = await orchestrator.performHealthCheck();
  const result: OperationResult<SearchAndTriggerResult> = await orchestrator.searchAndTriggerWorkflows('report', true, [SEED.users.alice.id]);
  const total: number | undefined = result.data?.searchResults.total;
  of(1)
    .pipe(timeoutAfter(1_000, { service: 'content', endpoint: 'GET /x' }), retryWithDelay({ count: 1, delay: 10 }))
    .subscribe();
  // @ts-expect-error retryAttempts is a number
  createServiceOrchestrator({ retryAttempts: 'three' });
  // @ts-expect-error there is no such event type
  const bad: OrchestratorEvent['type'] = 'operation_finished';
  void bad;
  try {
    await hub.stopService('content');
  } catch (error) {
    if (isServiceError(error)) console.log(error.service, error.code, error.retryable);
  }
  orchestrator.dispose();
  await hub.close();
  return health.overall === 'healthy' ? (total ?? 0) : 1;
}
`;
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'use.ts'), typed);
  writeFileSync(join(project, 'src', 'use-esm.mts'), typed);
  const common = { strict: true, noEmit: true, target: 'ES2022', skipLibCheck: false, esModuleInterop: true };
  const tsconfigs = {
    // Node: `use.ts` is CommonJS (the `require` types), `use-esm.mts` is ESM (the `import` types).
    'tsconfig.node16.json': {
      compilerOptions: {
        ...common,
        module: 'node16',
        moduleResolution: 'node16',
        lib: ['ES2022'],
        types: ['node'],
        typeRoots: [join(repo, 'node_modules', '@types')],
      },
      files: ['src/use.ts', 'src/use-esm.mts'],
    },
    // A front end's bundler: the `import` types, DOM instead of Node.
    'tsconfig.bundler.json': {
      compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
      files: ['src/use.ts'],
    },
  };
  // The seed's examples, verbatim but for the import path, and the precise result types, against the
  // installed package (spec/types checks them against the source): both resolutions, strict.
  cpSync(join(repo, 'spec', 'types', 'seed'), join(project, 'seed'), { recursive: true });
  cpSync(join(repo, 'spec', 'types', 'precise.ts'), join(project, 'precise.ts'));
  const seedOptions = { ...common, skipLibCheck: true, jsx: 'react-jsx', lib: ['ES2022', 'DOM'], types: [] };
  const seedFiles = ['seed/**/*.ts', 'seed/**/*.tsx', 'precise.ts'];
  tsconfigs['tsconfig.seed-node16.json'] = {
    compilerOptions: { ...seedOptions, module: 'node16', moduleResolution: 'node16' },
    include: seedFiles,
  };
  tsconfigs['tsconfig.seed-bundler.json'] = {
    compilerOptions: { ...seedOptions, module: 'esnext', moduleResolution: 'bundler' },
    include: seedFiles,
  };
  // The React bindings' types, from both module systems.
  const reactUse = `import { OrchestratorProvider, unwrap, useEvents, useOperation, useOrchestrator } from '${name}/react';
import { createServiceOrchestrator } from '${name}';
export function Search(): unknown {
  const search = useOperation('searchAndTriggerWorkflows');
  const failures = useEvents('operation_error');
  const { isLoading } = useOrchestrator();
  const total: number | undefined = search.status === 'success' ? search.data.searchResults.total : undefined;
  // @ts-expect-error the operation's arguments are typed
  void search.run(42);
  return [total, failures.map((event) => event.code), isLoading, OrchestratorProvider, unwrap(createServiceOrchestrator().signIn('a@b.c', 'pw'))];
}
`;
  writeFileSync(join(project, 'src', 'react-use.ts'), reactUse);
  writeFileSync(join(project, 'src', 'react-use.mts'), reactUse);
  tsconfigs['tsconfig.react-node16.json'] = {
    compilerOptions: { ...common, module: 'node16', moduleResolution: 'node16', lib: ['ES2022', 'DOM'], types: [] },
    files: ['src/react-use.ts', 'src/react-use.mts'],
  };
  tsconfigs['tsconfig.react-bundler.json'] = {
    compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
    files: ['src/react-use.ts'],
  };
  for (const [file, config] of Object.entries(tsconfigs)) {
    writeFileSync(join(project, file), JSON.stringify(config, null, 2));
    step(`tsc -p ${file}`);
    mustRun(`tsc -p ${file}`, process.execPath, [tsc, '-p', file], project);
  }

  // The browser: bundle the whole main entry as a front end's Vite build would, and record every
  // Node built-in any module in the graph asks for, and every import of axios (a browser build sends
  // with fetch: the package's `browser` export condition serves dist/browser, whose default transport it is).
  const { build } = await import(pathToFileURL(requireFromRepo.resolve('vite')).href);
  const builtins = new Set(builtinModules.flatMap((module) => [module, `node:${module}`]));
  async function browserBundle(entryCode) {
    writeFileSync(join(project, 'browser-entry.js'), entryCode);
    const nodeImports = [];
    const axiosImports = [];
    await build({
      root: project,
      configFile: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'forbid-node-builtins',
          enforce: 'pre',
          resolveId(source, importer) {
            if (builtins.has(source) || source.startsWith('node:')) nodeImports.push(`${source} (from ${importer})`);
            if (source === 'axios' || source.startsWith('axios/')) axiosImports.push(`${source} (from ${importer})`);
            return null;
          },
        },
      ],
      build: { write: false, minify: false, lib: { entry: join(project, 'browser-entry.js'), formats: ['es'], fileName: 'bundle' } },
    });
    return { nodeImports, axiosImports };
  }
  // Jest under jsdom resolves with the `browser` condition but loads CommonJS: it must get the
  // CommonJS build (the ES-only browser tree would not load), as a React app's tests do.
  step('jest under jsdom: require of the main entry and /react');
  writeFileSync(
    join(project, 'jsdom.test.js'),
    [
      `const main = require.resolve('${name}');`,
      `test('loads the CommonJS build under jsdom', () => {`,
      `  expect(main).toMatch(/dist[\\/]cjs[\\/]index\\.js$/);`,
      `  expect(typeof require('${name}').createServiceOrchestrator).toBe('function');`,
      `  expect(typeof require('${name}/react').useOperation).toBe('function');`,
      `});`,
      '',
    ].join('\n'),
  );
  mustRun(
    'jest under jsdom',
    process.execPath,
    [requireFromRepo.resolve('jest/bin/jest'), '--rootDir', project, '--testEnvironment', 'jsdom', '--ci'],
    project,
  );

  step('vite build of the main entry for the browser');
  const main = await browserBundle(`import * as hub from '${name}';\nexport const api = Object.keys(hub);\n`);
  assert.deepEqual(
    main.nodeImports,
    [],
    `the main entry pulls Node-only modules into a browser bundle:\n  ${main.nodeImports.join('\n  ')}`,
  );
  assert.deepEqual(main.axiosImports, [], `the main entry pulls axios into a browser bundle:\n  ${main.axiosImports.join('\n  ')}`);
  step('vite build of /react for the browser');
  const react = await browserBundle(`import * as bindings from '${name}/react';\nexport const api = Object.keys(bindings);\n`);
  assert.deepEqual(react.nodeImports, [], `/react pulls Node-only modules into a browser bundle:\n  ${react.nodeImports.join('\n  ')}`);
  assert.deepEqual(react.axiosImports, [], `/react pulls axios into a browser bundle:\n  ${react.axiosImports.join('\n  ')}`);
  // The simulator is Node-only by design: seeing it flagged proves the check above can fail.
  const simulator = await browserBundle(`export { startHub } from '${name}/simulator';\n`);
  assert.ok(simulator.nodeImports.length > 0, 'the Node-only simulator was not flagged: the browser check sees nothing');
  // An app that brings its own axios gets it: proof that the axios check above sees an import of it.
  const withAxios = await browserBundle(
    `import axios from 'axios';\nimport { createServiceOrchestrator } from '${name}';\nexport const make = () => createServiceOrchestrator({ axios: axios.create() });\n`,
  );
  assert.ok(withAxios.axiosImports.length > 0, 'an import of axios was not seen: the axios check sees nothing');

  step(
    `done: ${packed.filename} installs and works from require, import, TypeScript (node16, bundler; the seed's examples; /react), the CLI and a browser bundle`,
  );
} finally {
  rmSync(temp, { recursive: true, force: true });
}
