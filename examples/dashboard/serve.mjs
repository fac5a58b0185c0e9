// `npm run dashboard`: the simulator on free ports, the dashboard on a Vite dev server, and the URL
// to open. Type `stop workflow`, `start workflow`, `degrade content`… to watch the tiles change.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

// The simulator is TypeScript source; ts-node compiles it on require, so no build is needed.
const require = createRequire(import.meta.url);
require('ts-node').register({ transpileOnly: true, project: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { startHub } = require('../../src/simulator/index.ts');

const SERVICES = ['identity', 'content', 'communication', 'workflow'];
const latencyMs = Number(process.env.HUB_LATENCY_MS ?? 20);

const hub = await startHub({ latencyMs });
const vite = await createServer({
  configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
  server: { port: Number(process.env.PORT ?? 5173) },
});
await vite.listen();

// Not percent-encoded, so that the URL stays readable; `:` and `/` are fine in a query string.
const query = SERVICES.map((service) => `${service}=${hub.urls[service]}`).join('&');
const [local] = vite.resolvedUrls?.local ?? [];
console.log(`Simulator: ${SERVICES.map((service) => `${service} ${hub.urls[service]}`).join(', ')} (${latencyMs} ms a request)`);
console.log(`\nOpen the dashboard:\n  ${local}?${query}\n`);
console.log('Commands: stop <service> | start <service> | degrade <service> | heal <service> | quit');

const commands = {
  stop: (service) => hub.stopService(service),
  start: (service) => hub.startService(service),
  degrade: (service) => hub.setHealthStatus(service, 'degraded'),
  heal: (service) => hub.setHealthStatus(service, 'healthy'),
};

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
  const [command, service] = line.trim().split(/\s+/);
  if (command === 'quit' || command === 'exit') return shutdown();
  if (!command) return;
  if (!(command in commands) || !SERVICES.includes(service)) {
    console.log(`? ${line.trim()} (try: stop workflow)`);
    return;
  }
  try {
    await commands[command](service);
    console.log(`ok: ${command} ${service}`);
  } catch (error) {
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
});
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
