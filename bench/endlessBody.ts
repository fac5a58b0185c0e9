// 6. Bounded memory under an endless body: peak memory above baseline while the orchestrator reads a
// body that never ends, with the default maxResponseBytes (4 MiB), for each transport (axios's http
// and fetch adapters, the fetch transport), and how soon the server sees the connection closed; beside
// them, the floor: Node's own http client and fetch keeping the same bytes and nothing more.
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, DEFAULT_MAX_RESPONSE_BYTES, type OrchestratorConfig } from '../src';
import { collectGarbage, figure, type Figure, type Section } from './support';

const CALLS = 20;
/** Calls in the run that collects garbage before each sample, which makes each call several times slower. */
const LIVE_CALLS = 5;
const MiB = 1024 * 1024;
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

/** One way of reading the endless body: a call that fails (or gives up) once it has read more than the limit. */
interface Variant {
  readonly name: string;
  /** Whether it is the library (its figure has the goal) or a floor to read it against. */
  readonly library: boolean;
  /** Makes the call against `url`; `dispose` ends whatever it set up. */
  setUp(url: string): { call: () => Promise<unknown>; dispose: () => void };
}

/** The orchestrator's document GET, sent with the given transport options. */
function library(name: string, transport: () => Pick<OrchestratorConfig, 'axios' | 'fetch'>): Variant {
  return {
    name,
    library: true,
    setUp(url) {
      const orchestrator = createServiceOrchestrator({
        services: { identity: url, content: url, communication: url, workflow: url },
        ...transport(),
        retryAttempts: 0,
        enableLogging: false,
      });
      return { call: () => firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)), dispose: () => orchestrator.dispose() };
    },
  };
}

/** The floor: the same bytes kept by a client that does nothing else, then the connection dropped. */
const FLOORS: readonly Variant[] = [
  {
    name: "Node's http.get, keeping the chunks",
    library: false,
    setUp: (url) => ({
      call: () =>
        new Promise((_resolve, reject) => {
          get(url, (response) => {
            const chunks: Buffer[] = [];
            let received = 0;
            response.on('data', (chunk: Buffer) => {
              chunks.push(chunk);
              received += chunk.length;
              if (received > DEFAULT_MAX_RESPONSE_BYTES) {
                response.destroy();
                reject(new Error('over the limit'));
              }
            });
            response.on('error', () => undefined);
          }).on('error', () => undefined);
        }),
      dispose: () => undefined,
    }),
  },
  {
    name: "Node's fetch, keeping the chunks",
    library: false,
    setUp: (url) => ({
      call: async () => {
        const controller = new AbortController();
        const reader = (await fetch(url, { signal: controller.signal })).body!.getReader();
        const chunks: Uint8Array[] = [];
        let received = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          chunks.push(value);
          received += value.byteLength;
          if (received > DEFAULT_MAX_RESPONSE_BYTES) {
            controller.abort();
            throw new Error('over the limit');
          }
        }
      },
      dispose: () => undefined,
    }),
  },
];

const VARIANTS: readonly Variant[] = [
  library('http adapter', () => ({ axios: axios.create({ adapter: 'http', maxRedirects: 0 }) })),
  library('fetch adapter', () => ({ axios: axios.create({ adapter: 'fetch', maxRedirects: 0 }) })),
  library('fetch transport', () => ({ fetch: globalThis.fetch })),
  ...FLOORS,
];

/**
 * Calls against the endless body, each measured from its own baseline (taken after a full GC, so
 * that one call's garbage does not count for the next); memory sampled every millisecond. With
 * `live`, a full GC runs before each sample: what is still referenced, without the garbage.
 */
async function measure(variant: Variant, live: boolean): Promise<Peaks> {
  const calls = live ? LIVE_CALLS : CALLS;
  let closedAt: number | undefined;
  const { server, url } = await endlessServer(() => (closedAt = performance.now()));
  const { call, dispose } = variant.setUp(url);
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
      await call().catch(() => {
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
    dispose();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (peaks.failures !== calls) throw new Error(`${variant.name}: ${calls - peaks.failures} of ${calls} calls were not cut off`);
  return peaks;
}

export async function run(): Promise<Section[]> {
  const limitMiB = DEFAULT_MAX_RESPONSE_BYTES / MiB;
  const figures: Figure[] = [];
  const inMiB = (bytes: number): number => bytes / MiB;
  for (const variant of VARIANTS) {
    const peaks = await measure(variant, false);
    const live = await measure(variant, true);
    const name = variant.name;
    figures.push(
      figure(
        `${name}: peak memory above baseline (arrayBuffers)`,
        inMiB(peaks.arrayBuffers),
        'MiB',
        'maxResponseBytes',
        limitMiB,
        variant.library ? GOAL : undefined,
      ),
      figure(`${name}: peak heap + external above baseline`, inMiB(peaks.heapAndExternal), 'MiB', 'maxResponseBytes', limitMiB),
      figure(`${name}: peak RSS above baseline`, inMiB(peaks.rss), 'MiB', 'maxResponseBytes', limitMiB),
      figure(
        `${name}: peak arrayBuffers still referenced (GC before each sample)`,
        inMiB(live.arrayBuffers),
        'MiB',
        'maxResponseBytes',
        limitMiB,
      ),
    );
    if (variant.library) {
      figures.push(
        figure(`${name}: connection closed after the cut-off (slowest)`, peaks.closeMs, 'ms', '100 ms', 100, {
          text: '< 100 ms',
          pass: (_ratio, value) => value < 100,
        }),
      );
    }
  }
  return [
    {
      id: 'endless-body',
      title: '6. Bounded memory under an endless body',
      setup: [
        `${CALLS} orchestrator.clients.content.getDocument$ calls per transport (retryAttempts 0, maxResponseBytes its default ${limitMiB} MiB), ` +
          'against a loopback server in the same process writing 64 KiB chunks as fast as the socket takes them, never ending.',
        'Each call measured from its own baseline, taken after a full GC; process.memoryUsage() sampled every millisecond; the worst of the calls. ' +
          `The peaks include garbage not yet collected, as a process would hold it; "still referenced" is a second run of ${LIVE_CALLS} calls with a full GC before each sample.`,
        'Connection closed: from the call failing to the server seeing its request socket close (the client closes it before it fails the call).',
        "The floor: Node's own http.get and fetch keeping every chunk until they add up to more than the limit, then dropping the connection; what any client that keeps the body pays in Node before any code of its own.",
      ],
      figures,
    },
  ];
}
