// `npm run dashboard`: the simulator on free ports, its control endpoint and the dashboard on one
// Vite dev server, and the URL to open. Faults come from the page's Faults panel, or from stdin:
// `stop workflow`, `fail content 5`, `latency identity 800`, `clear`… (the same control endpoint).
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

// The simulator is TypeScript source; ts-node compiles it on require, so no build is needed.
const require = createRequire(import.meta.url);
require('ts-node').register({ transpileOnly: true, project: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { startHub, createControlHandler } = require('../../src/simulator/index.ts');

const SERVICES = ['identity', 'content', 'communication', 'workflow'];
const latencyMs = Number(process.env.HUB_LATENCY_MS ?? 20);

const hub = await startHub({ latencyMs });
const control = createControlHandler(hub);
const vite = await createServer({
  configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
  server: { port: Number(process.env.PORT ?? 5173) },
  // The control endpoint on the page's own origin (/__hub/…): no CORS, and loopback callers only.
  plugins: [{ name: 'hub-control', configureServer: (server) => void server.middlewares.use(control) }],
});
await vite.listen();

// Not percent-encoded, so that the URL stays readable; `:` and `/` are fine in a query string.
const query = SERVICES.map((service) => `${service}=${hub.urls[service]}`).join('&');
const [local] = vite.resolvedUrls?.local ?? [];
console.log(`Simulator: ${SERVICES.map((service) => `${service} ${hub.urls[service]}`).join(', ')} (${latencyMs} ms a request)`);
console.log(`\nOpen the dashboard:\n  ${local}?${query}\n`);
console.log(
  'Commands: stop <service> | start <service> | fail <service> [count] [status] | latency <service> <ms> |\n' +
    '          degrade <service> | heal <service> | clear | quit',
);

/** A line typed on stdin as a control action, or null when it is not one. */
function actionOf(command, service, ...rest) {
  const needsService = command !== 'clear';
  if (needsService && !SERVICES.includes(service)) return null;
  switch (command) {
    case 'stop':
    case 'start':
      return { action: command, service };
    case 'fail':
      return { action: 'fail', service, count: Number(rest[0] ?? 5), status: Number(rest[1] ?? 503) };
    case 'latency':
      return { action: 'latency', service, ms: Number(rest[0]) };
    case 'degrade':
      return { action: 'health', service, status: 'degraded' };
    case 'heal':
      return { action: 'health', service, status: 'healthy' };
    case 'clear':
      return { action: 'clear' };
    default:
      return null;
  }
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  input.close();
  await Promise.allSettled([vite.close(), hub.close()]);
  process.exit(0);
}

const input = createInterface({ input: process.stdin });
input.on('line', async (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  if (command === 'quit' || command === 'exit') return shutdown();
  if (!command) return;
  const action = actionOf(command, ...args);
  if (!action) {
    console.log(`? ${line.trim()} (try: stop workflow, fail content 5, clear)`);
    return;
  }
  try {
    const response = await fetch(new URL('__hub/actions', local), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action),
    });
    const body = await response.json();
    console.log(response.ok ? `ok: ${line.trim()}` : `refused: ${body.error}`);
  } catch (error) {
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
});
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
