import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ServiceName } from '../hub';
import type { FaultRegistry } from './faults';
import { HttpError, INTERNAL_SERVER_ERROR, parseBody, readRequestBody, send, type ParsedBody } from './http';
import { loggedBody, type LogEntry, type RequestLog } from './requestLog';
import { authRefusal, resolveRoute, type RequestContext, type Route } from './routing';
import type { HubState } from './state';
import type { Timers } from './timers';
import type { FaultStep } from './types';

/** What the four servers share: the data, the faults, the log, the timers and the latency setting. */
export interface HubRuntime {
  readonly state: HubState;
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
  readonly timers: Timers;
  latencyOf(service: ServiceName): number;
}

/**
 * The queue of connections not yet accepted: uvicorn's default (`--backlog 2048`), as the real Hub
 * has, where Node's default is 511. The simulator answers on the thread of the client that loads
 * it, so a burst of new connections waits for that thread; past the queue the kernel drops the
 * SYN, and the client tries again only after a second. With Node's 511, a benchmark of 2,000
 * operations started at once measured those one-second retransmissions, not the client. The
 * kernel caps it at `net.core.somaxconn` (4096 on Linux since 5.4).
 */
const LISTEN_BACKLOG = 2_048;

/** A body cut off mid-value, as a proxy dropping the connection half-way through would leave it. */
const TRUNCATED_JSON = '{"documents": [{"id": "22222222-0000-4000-8000-0000';

/** The plumbing of one service: an HTTP server, its sockets, and the per-request pipeline. */
export class ServiceServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    readonly service: ServiceName,
    private readonly routes: readonly Route[],
    private readonly runtime: HubRuntime,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /** Whether it listens now (false after `stop()`). */
  get running(): boolean {
    return this.server !== null;
  }

  /** Listens on `port` (0 picks a free one the first time; afterwards the port already bound is reused). */
  async listen(host: string, port = this.boundPort): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Stops listening and destroys every socket, hung requests and idle keep-alive ones included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    // A few more turns of the event loop let an in-process client (tests) read the end of its pooled
    // keep-alive sockets, so that its next request dials afresh and is refused, as against a stopped service.
    for (let turn = 0; turn < 3; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The latency runs from here, so the time spent reading and logging the request is part of it.
    const arrived = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const entry = this.runtime.log.begin({
      service: this.service,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
      authorized: this.runtime.state.authenticate(req.headers.authorization) !== null,
      traceparent: typeof req.headers.traceparent === 'string' ? req.headers.traceparent : null,
    });
    try {
      const body = parseBody(await readRequestBody(req));
      entry.body = loggedBody(body);
      this.runtime.log.received(entry);
      await this.runtime.timers.until(arrived + this.runtime.latencyOf(this.service));
      const step = this.runtime.faults.take(this.service, method, url.pathname);
      if (step && (await this.applyFault(step, req, res, entry))) return;
      if (method === 'OPTIONS') return this.reply(res, entry, 204, '', null);
      this.serve(req, res, entry, { method, path: url.pathname, query: entry.query, body });
    } catch {
      this.reply(res, entry, 500, INTERNAL_SERVER_ERROR, 'text/plain; charset=utf-8');
    }
  }

  /** Plays one fault step; true when the request has been dealt with and must not be served. */
  private async applyFault(step: FaultStep, req: IncomingMessage, res: ServerResponse, entry: LogEntry): Promise<boolean> {
    switch (step.kind) {
      case 'status': {
        const headers: Record<string, string> = step.retryAfter === undefined ? {} : { 'Retry-After': String(step.retryAfter) };
        if (step.body !== undefined) this.replyJson(res, entry, step.status, step.body, headers);
        else if (step.status === 500) this.reply(res, entry, 500, INTERNAL_SERVER_ERROR, 'text/plain; charset=utf-8', headers);
        else this.replyJson(res, entry, step.status, { detail: STATUS_CODES[step.status] ?? 'Error' }, headers);
        return true;
      }
      case 'latency':
        await this.runtime.timers.sleep(step.ms);
        return false;
      case 'hang':
        // Nothing is written; stop() destroys the socket when the service or the hub closes.
        return true;
      case 'reset':
        req.socket.resetAndDestroy();
        return true;
      case 'malformed':
        this.reply(res, entry, 200, TRUNCATED_JSON, 'application/json');
        return true;
      case 'body':
        this.replyJson(res, entry, 200, step.body);
        return true;
      case 'pass':
        return false;
    }
  }

  /** Routing, auth, then the handler; the order FastAPI applies them in. */
  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    entry: LogEntry,
    request: { method: string; path: string; query: Readonly<Record<string, string>>; body: ParsedBody },
  ): void {
    const state = this.runtime.state;
    const resolution = resolveRoute(this.routes, request.method, request.path, state.mode);
    if (resolution.kind === 'not-found') return this.replyJson(res, entry, 404, { detail: 'Not Found' });
    if (resolution.kind === 'method-not-allowed') {
      const allow: Record<string, string> = resolution.allow.length > 0 ? { Allow: resolution.allow.join(', ') } : {};
      return this.replyJson(res, entry, 405, { detail: 'Method Not Allowed' }, allow);
    }

    const user = state.authenticate(req.headers.authorization);
    const refusal = resolution.route.auth ? authRefusal(state.mode, req.headers.authorization, user) : null;
    if (refusal) return this.replyJson(res, entry, refusal.status, { detail: refusal.detail }, refusal.headers);

    const ctx: RequestContext = {
      service: this.service,
      state,
      method: request.method,
      path: request.path,
      params: resolution.params,
      query: request.query,
      body: request.body.kind === 'json' ? request.body.value : null,
      bodyInvalid: request.body.kind === 'text',
      user,
      port: this.boundPort,
      activeConnections: this.sockets.size,
    };
    try {
      this.replyJson(res, entry, 200, resolution.route.handler(ctx));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      this.replyJson(res, entry, error.status, { detail: error.detail }, error.headers);
    }
  }

  private replyJson(res: ServerResponse, entry: LogEntry, status: number, body: unknown, headers?: Record<string, string>): void {
    this.reply(res, entry, status, JSON.stringify(body), 'application/json', headers);
  }

  private reply(
    res: ServerResponse,
    entry: LogEntry,
    status: number,
    body: string,
    contentType: string | null,
    headers?: Record<string, string>,
  ): void {
    if (send(res, status, body, contentType, headers)) entry.status = status;
  }
}
