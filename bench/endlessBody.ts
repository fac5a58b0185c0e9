// Peak memory above baseline while the orchestrator reads an endless body, with the default
// maxResponseBytes (4 MiB), for axios's http and fetch adapters. Not part of `npm run bench`:
//   node --expose-gc -r ts-node/register/transpile-only bench/endlessBody.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, DEFAULT_MAX_RESPONSE_BYTES } from '../src';

const CALLS = 20;
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gc = (globalThis as { gc?: () => void }).gc;
  for (const adapter of ['http', 'fetch'] as const) {
    const orchestrator = createServiceOrchestrator({
      services: { identity: url, content: url, communication: url, workflow: url },
      axios: axios.create({ adapter, maxRedirects: 0 }),
      retryAttempts: 0,
      enableLogging: false,
    });
    // Each call measured from its own baseline (after a full GC), so that one call's garbage does not count for the next.
    let worstRss = 0;
    let worstHeap = 0;
    let worstBuffers = 0;
    const started = performance.now();
    let failures = 0;
    for (let i = 0; i < CALLS; i += 1) {
      gc?.();
      const base = process.memoryUsage();
      let peakRss = base.rss;
      let peakHeap = base.heapUsed + base.external;
      let peakBuffers = base.arrayBuffers;
      const sample = (): void => {
        const now = process.memoryUsage();
        peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
        peakRss = Math.max(peakRss, now.rss);
        peakHeap = Math.max(peakHeap, now.heapUsed + now.external);
      };
      const sampler = setInterval(sample, 1);
      await firstValueFrom(orchestrator.clients.content.getDocument$('11111111-1111-4111-8111-111111111111')).catch(() => (failures += 1));
      sample();
      clearInterval(sampler);
      worstRss = Math.max(worstRss, peakRss - base.rss);
      worstHeap = Math.max(worstHeap, peakHeap - base.heapUsed - base.external);
      worstBuffers = Math.max(worstBuffers, peakBuffers - base.arrayBuffers);
    }
    orchestrator.dispose();
    const perCall = (performance.now() - started) / CALLS;
    console.log(
      `${adapter}: ${failures}/${CALLS} cut off, ${perCall.toFixed(0)} ms per call; worst peak above its baseline: RSS +${(worstRss / MiB).toFixed(1)} MiB, ` +
        `heap+external +${(worstHeap / MiB).toFixed(1)} MiB (garbage not yet collected included), ` +
        `buffers (where the body's bytes live) +${(worstBuffers / MiB).toFixed(1)} MiB; limit ${DEFAULT_MAX_RESPONSE_BYTES / MiB} MiB`,
    );
  }
  server.closeAllConnections();
  server.close();
}

void main();
