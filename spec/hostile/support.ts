import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import axios from 'axios';
import { createServiceOrchestrator, type OrchestratorConfig, type OrchestratorEvent, type ServiceOrchestrator } from '../../src';

/** A request as the hostile server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** A loopback server that answers however a test tells it to, and reports on its sockets. */
export interface HostileServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** How many of its sockets are open now. */
  openSockets(): number;
  /** Resolves once every socket it has accepted is closed (at once when none is open). */
  allSocketsClosed(): Promise<void>;
  /** Bytes of response body written so far, across requests. */
  bodyBytesWritten(): number;
  /** Destroys every socket and closes the server. */
  close(): Promise<void>;
}

/** What a hostile handler gets: the request, the response, and a byte counter to feed. */
export type HostileHandler = (req: IncomingMessage, res: ServerResponse, count: (bytes: number) => void) => void;

/** Starts a hostile server on a free loopback port. */
export async function startHostile(handler: HostileHandler): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const waiting: (() => void)[] = [];
  const requests: SeenRequest[] = [];
  let written = 0;
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    handler(req, res, (bytes) => (written += bytes));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) waiting.splice(0).forEach((resolve) => resolve());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    openSockets: () => sockets.size,
    allSocketsClosed: () => (sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
    bodyBytesWritten: () => written,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The most an endless body writes before it gives up: a bound on the loop, far above any limit tested. */
export const ENDLESS_BODY_CAP = 2 * 1024 * 1024 * 1024;

/** Writes chunks as fast as the socket takes them, until the client goes away (or the cap). */
export function endlessBody(res: ServerResponse, count: (bytes: number) => void, chunk: Buffer = Buffer.alloc(64 * 1024, 'a')): void {
  let sent = 0;
  const pump = (): void => {
    while (!res.destroyed && sent < ENDLESS_BODY_CAP) {
      sent += chunk.length;
      count(chunk.length);
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on('close', () => res.removeListener('drain', pump));
  pump();
}

/**
 * Every way an orchestrator sends: axios's two adapters, and the `fetch` transport (what a browser
 * build sends with by default).
 */
export const TRANSPORTS = ['axios http', 'axios fetch', 'fetch'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** Requests sent so far through each transport that {@link sendWith} made. */
const sentThrough: Record<TransportName, number> = { 'axios http': 0, 'axios fetch': 0, fetch: 0 };

/** The options that make an orchestrator (or an HTTP client) send with `transport`, counting what it sends. */
export function sendWith(transport: TransportName): Pick<OrchestratorConfig, 'axios' | 'fetch'> {
  if (transport === 'fetch') {
    return {
      fetch: (input, init) => {
        sentThrough.fetch += 1;
        return globalThis.fetch(input, init);
      },
    };
  }
  const instance = axios.create({ adapter: transport === 'axios http' ? 'http' : 'fetch', maxRedirects: 0 });
  instance.interceptors.request.use((config) => {
    sentThrough[transport] += 1;
    return config;
  });
  return { axios: instance };
}

/**
 * Ends a block of tests run for one transport with a check that they did send through it (and not,
 * say, through the default one because an option was dropped). Call it last in the block.
 */
export function itSentThrough(transport: TransportName): void {
  let before = 0;
  beforeAll(() => {
    before = sentThrough[transport];
  });
  it(`sent through ${transport}`, () => expect(sentThrough[transport]).toBeGreaterThan(before));
}

/** An orchestrator whose four services are one hostile server; it records every event and log line. */
export interface HostileHarness {
  orchestrator: ServiceOrchestrator;
  events: OrchestratorEvent[];
  logs: string[];
}

/** A fixed bearer token, long and unlike any placeholder. */
export const TOKEN = 'tok-3f9a2c7e1b5d4f60a8e2c9b7d1f3a5e7';

/** Creates an orchestrator aimed at `url` for every service, no retries, recording events and logs. */
export function hostileOrchestrator(url: string, config: OrchestratorConfig = {}): HostileHarness {
  const logs: string[] = [];
  const events: OrchestratorEvent[] = [];
  const record = (level: string) => (message: string, data?: unknown) => logs.push(`${level} ${message} ${JSON.stringify(data)}`);
  const orchestrator = createServiceOrchestrator({
    services: { identity: url, content: url, communication: url, workflow: url },
    auth: { token: TOKEN },
    retryAttempts: 0,
    timeout: 5_000,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    ...config,
  });
  orchestrator.events$.subscribe((event) => events.push(event));
  return { orchestrator, events, logs };
}

/** Ids shaped as the Hub's are. */
export const DOC_ID = '11111111-1111-4111-8111-111111111111';
export const WORKFLOW_ID = '22222222-2222-4222-8222-222222222222';
export const USER_ID = '33333333-3333-4333-8333-333333333333';
