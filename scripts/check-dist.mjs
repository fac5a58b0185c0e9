// Proves the dual build works as a consumer sees it: `require` and `import` of the package by
// name (Node resolves a package's own name through its `exports` map), the simulator subpath,
// the command-line tool, and that loading the package starts nothing that keeps Node alive.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const name = '@reactdjango-hub/orchestrator';
const expected = ['createServiceOrchestrator', 'serviceOrchestrator', 'retryWithDelay', 'timeoutAfter', 'batchBuffer', 'ServiceError'];

const require = createRequire(import.meta.url);
const cjs = require(name);
const esm = await import(name);
for (const [label, api] of [
  ['require', cjs],
  ['import', esm],
]) {
  for (const key of expected) assert.ok(api[key] !== undefined, `${label}('${name}') lacks ${key}`);
  assert.equal(typeof api.retryWithDelay, 'function', `${label}: retryWithDelay is not a function`);
}
for (const react of [require(`${name}/react`), await import(`${name}/react`)]) {
  for (const key of ['OrchestratorProvider', 'useOrchestrator', 'useOperation', 'useHealth', 'useEvents', 'useMetrics', 'unwrap']) {
    assert.equal(typeof react[key], 'function', `the /react subpath lacks ${key}`);
  }
}
assert.equal(typeof require(`${name}/simulator`).startHub, 'function', 'require of the simulator subpath');
assert.equal(typeof (await import(`${name}/simulator`)).startHub, 'function', 'import of the simulator subpath');

// Loading the package opens no socket and starts no timer: the process exits at once.
const started = Date.now();
execFileSync(process.execPath, ['-e', `require('${name}'); import('${name}')`], { stdio: 'inherit', timeout: 10_000 });
assert.ok(Date.now() - started < 5_000, 'loading the package kept Node alive');

const help = execFileSync(process.execPath, ['dist/cjs/cli.js', 'help'], { encoding: 'utf8' });
assert.match(help, /hub-orchestrator <command>/);

console.log('dist: require and import of the package, of /react and of /simulator work; the CLI runs');
