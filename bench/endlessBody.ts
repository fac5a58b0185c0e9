// 6. Bounded memory under an endless body: peak memory above baseline while the orchestrator reads a
// body that never ends, with the default maxResponseBytes (4 MiB), for axios's http and fetch
// adapters, and how soon the server sees the connection closed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, DEFAULT_MAX_RESPONSE_BYTES } from '../src';
import { collectGarbage, figure, type Figure, type Section } from './support';

const CALLS = 20;
/** Calls in the run that collects garbage before each sample, which makes each call several times slower. */
const LIVE_CALLS = 5;
const MiB = 1024 * 1024;
const ADAPTERS = ['http', 'fetch'] as const;
const DOC_ID = '11111111-1111-4111-8111-111111111111';
const GOAL = { text: '≤ 2× maxResponseBytes', pass: (ratio: number) => ratio <= 2 };

/** Worst peaks above each call's baseline, in bytes, and the slowest close after a cut-off, in ms. */
interface Peaks {
  arrayBuffers: number;
  heapAndExternal: number;
  rss: number;
  closeMs: number;
  failures: number;
}

/** A server that writes 64 KiB chunks as fast as they are taken, telling when each connection closes. */
async function endlessServer(onClose: () => void): Promise<{ server: Server; url: string }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const server = createServer((req, res) => {
    req.socket.once('close', onClose);
    res.writeHead(200, { 'content-type': 'application/json' });
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Document GETs against the endless body, each measured from its own baseline (taken after a
 * full GC, so that one call's garbage does not count for the next); memory sampled every millisecond.
 * With `live`, a full GC runs before each sample: what is still referenced, without the garbage.
 */
async function measure(adapter: (typeof ADAPTERS)[number], live: boolean): Promise<Peaks> {
  const calls = live ? LIVE_CALLS : CALLS;
  let closedAt: number | undefined;
  const { server, url } = await endlessServer(() => (closedAt = performance.now()));
  const orchestrator = createServiceOrchestrator({
    services: { identity: url, content: url, communication: url, workflow: url },
    axios: axios.create({ adapter, maxRedirects: 0 }),
    retryAttempts: 0,
    enableLogging: false,
  });
  const peaks: Peaks = { arrayBuffers: 0, heapAndExternal: 0, rss: 0, closeMs: 0, failures: 0 };
  try {
    for (let i = 0; i < calls; i += 1) {
      collectGarbage();
      const base = process.memoryUsage();
      let arrayBuffers = 0;
      let heapAndExternal = 0;
      let rss = 0;
      const sample = (): void => {
        if (live) collectGarbage();
        const now = process.memoryUsage();
        arrayBuffers = Math.max(arrayBuffers, now.arrayBuffers - base.arrayBuffers);
        heapAndExternal = Math.max(heapAndExternal, now.heapUsed + now.external - base.heapUsed - base.external);
        rss = Math.max(rss, now.rss - base.rss);
      };
      const sampler = setInterval(sample, 1);
      closedAt = undefined;
      let failedAt = 0;
      await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).catch(() => {
        failedAt = performance.now();
        peaks.failures += 1;
      });
      sample();
      clearInterval(sampler);
      // The client closes the connection before it fails the call: the server hears of it soon after.
      while (closedAt === undefined) await new Promise((resolve) => setImmediate(resolve));
      peaks.closeMs = Math.max(peaks.closeMs, Math.max(0, closedAt - failedAt));
      peaks.arrayBuffers = Math.max(peaks.arrayBuffers, arrayBuffers);
      peaks.heapAndExternal = Math.max(peaks.heapAndExternal, heapAndExternal);
      peaks.rss = Math.max(peaks.rss, rss);
    }
  } finally {
    orchestrator.dispose();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (peaks.failures !== calls) throw new Error(`${adapter}: ${calls - peaks.failures} of ${calls} calls were not cut off`);
  return peaks;
}

export async function run(): Promise<Section[]> {
  const limitMiB = DEFAULT_MAX_RESPONSE_BYTES / MiB;
  const figures: Figure[] = [];
  for (const adapter of ADAPTERS) {
    const peaks = await measure(adapter, false);
    const live = await measure(adapter, true);
    const inMiB = (bytes: number): number => bytes / MiB;
    figures.push(
      figure(
        `${adapter} adapter: peak memory above baseline (arrayBuffers)`,
        inMiB(peaks.arrayBuffers),
        'MiB',
        'maxResponseBytes',
        limitMiB,
        GOAL,
      ),
      figure(`${adapter} adapter: peak heap + external above baseline`, inMiB(peaks.heapAndExternal), 'MiB', 'maxResponseBytes', limitMiB),
      figure(`${adapter} adapter: peak RSS above baseline`, inMiB(peaks.rss), 'MiB', 'maxResponseBytes', limitMiB),
      figure(
        `${adapter} adapter: peak arrayBuffers still referenced (GC before each sample)`,
        inMiB(live.arrayBuffers),
        'MiB',
        'maxResponseBytes',
        limitMiB,
      ),
      figure(`${adapter} adapter: connection closed after the cut-off (slowest)`, peaks.closeMs, 'ms', '100 ms', 100, {
        text: '< 100 ms',
        pass: (_ratio, value) => value < 100,
      }),
    );
  }
  return [
    {
      id: 'endless-body',
      title: '6. Bounded memory under an endless body',
      setup: [
        `${CALLS} orchestrator.clients.content.getDocument$ calls per adapter (retryAttempts 0, maxResponseBytes its default ${limitMiB} MiB), ` +
          'against a loopback server in the same process writing 64 KiB chunks as fast as the socket takes them, never ending.',
        'Each call measured from its own baseline, taken after a full GC; process.memoryUsage() sampled every millisecond; the worst of the calls. ' +
          `The peaks include garbage not yet collected, as a process would hold it; "still referenced" is a second run of ${LIVE_CALLS} calls with a full GC before each sample.`,
        'Connection closed: from the call failing to the server seeing its request socket close (the client closes it before it fails the call).',
      ],
      figures,
    },
  ];
}
