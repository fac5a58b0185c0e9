import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { SERVICE_NAMES, type ServiceName } from '../hub';
import { inEnglish } from '../issues';
import type { Hub, HubSnapshot } from './types';

/** The most bytes an action's JSON body may have: actions are a few fields, nothing more. */
export const CONTROL_BODY_LIMIT = 4096;

/** The most failures one `fail` action may queue, so that one request cannot fill the memory. */
export const CONTROL_MAX_FAILURES = 1000;

/** The longest latency a `latency` action may set, in ms. */
export const CONTROL_MAX_LATENCY_MS = 30_000;

const service = z.enum(SERVICE_NAMES);

/** The actions `POST {prefix}/actions` takes, told apart by `action`. */
export const ControlActionSchema = z.discriminatedUnion('action', [
  /** Closes the service's server: connections are refused until `start`. */
  z.strictObject({ action: z.literal('stop'), service }),
  /** Listens again on the same port. */
  z.strictObject({ action: z.literal('start'), service }),
  /** The next `count` matching requests answer `status` (503 by default); `path` is a route template, or `*` (the default) for every path, `/health` included. */
  z.strictObject({
    action: z.literal('fail'),
    service,
    count: z.int().check(z.minimum(1), z.maximum(CONTROL_MAX_FAILURES)),
    status: z._default(z.int().check(z.minimum(400), z.maximum(599)), 503),
    path: z._default(
      z.string().check(z.maxLength(200), z.regex(/^(\*|\/[\w\-./{}]*)$/, 'a route template such as /api/v1/documents/{id}, or *')),
      '*',
    ),
    method: z.optional(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])),
  }),
  /** Every request to the service waits `ms` first. */
  z.strictObject({ action: z.literal('latency'), service, ms: z.int().check(z.minimum(0), z.maximum(CONTROL_MAX_LATENCY_MS)) }),
  /** What the service's `GET /health` reports. */
  z.strictObject({ action: z.literal('health'), service, status: z.enum(['healthy', 'degraded', 'unhealthy']) }),
  /** Back to how the hub was when the handler was created: no faults, the latency and health of then, stopped services started. */
  z.strictObject({ action: z.literal('clear') }),
]);

/** One action of {@link ControlActionSchema}. */
export type ControlAction = z.input<typeof ControlActionSchema>;

/** Options of {@link createControlHandler}. */
export interface ControlOptions {
  /** Where the endpoint is mounted; default `/__hub`. */
  prefix?: string;
}

/**
 * What the handler reads of a request: Node's `http.IncomingMessage` fits. Written out rather than
 * imported, so that the simulator's types do not need Node's to type-check.
 */
export interface ControlRequest extends AsyncIterable<Uint8Array> {
  /** `GET` or `POST`. */
  readonly method?: string;
  /** The path and query string. */
  readonly url?: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The peer, which must be on loopback. */
  readonly socket: { readonly remoteAddress?: string };
  /** True once the whole body has been read. */
  readonly complete: boolean;
}

/** What the handler writes of a response: Node's `http.ServerResponse` fits. */
export interface ControlResponse {
  /** The status to answer. */
  statusCode: number;
  /** True once a response has begun: nothing more is written. */
  readonly headersSent: boolean;
  /** True once the connection is gone: nothing more is written. */
  readonly destroyed: boolean;
  /** Sets one response header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(body: string): unknown;
}

/** A Node (or Connect) request handler; `next` is called for a path outside the prefix. */
export type ControlHandler = (req: ControlRequest, res: ControlResponse, next?: () => void) => void;

/** A header's value; the first when it came more than once. */
function header(req: ControlRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return bare === 'localhost' || bare.endsWith('.localhost') || isLoopbackAddress(bare);
}

/**
 * Refuses a request that is not from this machine, or that a page of another site could have made
 * (a foreign `Origin`, or a `Host` a rebound DNS name would carry).
 */
function checkCaller(req: ControlRequest): void {
  if (!isLoopbackAddress(req.socket.remoteAddress)) throw new ControlError(403, 'the control endpoint answers loopback callers only');
  const host = header(req, 'host') ?? '';
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    throw new ControlError(403, 'a loopback Host header is required');
  }
  if (!isLoopbackHost(hostname)) throw new ControlError(403, 'a loopback Host header is required');
  const origin = header(req, 'origin');
  if (origin !== undefined) {
    let originHost: string | null;
    try {
      originHost = new URL(origin).hostname;
    } catch {
      originHost = null;
    }
    if (originHost === null || !isLoopbackHost(originHost)) throw new ControlError(403, 'requests from other sites are refused');
  }
}

/** The body, at most {@link CONTROL_BODY_LIMIT} bytes, parsed as JSON. */
async function readJson(req: ControlRequest): Promise<unknown> {
  const type = header(req, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ControlError(415, 'send the action as application/json');
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > CONTROL_BODY_LIMIT) throw new ControlError(413, `an action is at most ${CONTROL_BODY_LIMIT} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ControlError(400, 'the body is not valid JSON');
  }
}

function reply(res: ControlResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  // A body left unread (refused before reading it, or too large) goes with its connection.
  if (close) res.setHeader('connection', 'close');
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  // Whatever a request asked for, it is answered and closed: nothing of it is left open.
  res.end(JSON.stringify(body));
}

/** The zod issues in one sentence, each with the field it is about. */
function describeIssues(error: z.core.$ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * The simulator's control endpoint, for a dashboard or a test: `GET {prefix}/state` answers
 * {@link Hub.snapshot}; `POST {prefix}/actions` with one {@link ControlAction} as JSON stops or starts
 * a service, queues failures, sets latency or health, or clears it all, and answers the new state.
 * It answers loopback callers with a loopback `Host` only, and refuses other sites' pages.
 *
 * @example
 * const { createServer } = await import('node:http');
 * const control = createControlHandler(hub);
 * createServer((req, res) => control(req, res)).listen(0, '127.0.0.1');
 * // then: POST /__hub/actions {"action":"fail","service":"workflow","count":5}
 */
export function createControlHandler(hub: Hub, options: ControlOptions = {}): ControlHandler {
  const prefix = (options.prefix ?? '/__hub').replace(/\/+$/, '');
  const initial = hub.snapshot();

  async function perform(action: z.output<typeof ControlActionSchema>): Promise<void> {
    switch (action.action) {
      case 'stop':
        return hub.stopService(action.service);
      case 'start':
        return hub.startService(action.service);
      case 'fail':
        hub.inject(action.service, {
          path: action.path,
          ...(action.method ? { method: action.method } : {}),
          faults: Array.from({ length: action.count }, () => ({ kind: 'status', status: action.status }) as const),
        });
        return;
      case 'latency':
        return hub.setLatency(action.service, action.ms);
      case 'health':
        return hub.setHealthStatus(action.service, action.status);
      case 'clear': {
        hub.clearFaults();
        const now = hub.snapshot();
        await Promise.all(
          SERVICE_NAMES.map(async (name: ServiceName) => {
            const then = initial.services[name];
            hub.setLatency(name, then.latencyMs);
            hub.setHealthStatus(name, then.health);
            if (then.running && !now.services[name].running) await hub.startService(name);
          }),
        );
        return;
      }
    }
  }

  async function handle(req: ControlRequest, res: ControlResponse, route: string): Promise<void> {
    checkCaller(req);
    const method = req.method ?? 'GET';
    if (route === '/state') {
      if (method !== 'GET') throw new ControlError(405, `${prefix}/state answers GET`);
      return reply(res, 200, { state: hub.snapshot() } satisfies { state: HubSnapshot });
    }
    if (route === '/actions') {
      if (method !== 'POST') throw new ControlError(405, `${prefix}/actions answers POST`);
      const parsed = ControlActionSchema.safeParse(await readJson(req), inEnglish);
      if (!parsed.success) throw new ControlError(400, `not an action: ${describeIssues(parsed.error)}`);
      await perform(parsed.data);
      return reply(res, 200, { state: hub.snapshot() });
    }
    throw new ControlError(404, `unknown control route; try GET ${prefix}/state or POST ${prefix}/actions`);
  }

  return (req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://control.invalid').pathname;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) {
      if (next) next();
      else reply(res, 404, { error: 'not found' });
      return;
    }
    handle(req, res, path.slice(prefix.length)).catch((error: unknown) => {
      const status = error instanceof ControlError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      reply(res, status, { error: message }, !req.complete);
    });
  };
}
