import axios from 'axios';
import { axiosTransport } from './axiosTransport';
import type { Transport } from './transport';

/**
 * At most this many connections to each service's host at once; further requests wait in the pool
 * for one to be free. Node's own agent opens one for every request in flight: 2,000 operations fired
 * at once opened about 3,500 connections a round, each accepted, set up and closed again on both
 * ends. A service answering in 5 ms serves 256 connections at some 50,000 requests a second.
 */
export const MAX_CONNECTIONS_PER_SERVICE = 256;

/** Node's global agent's settings (keep-alive, the most recently used socket first, idle ones closed after 5 s), bounded. */
export const POOL = {
  keepAlive: true,
  scheduling: 'lifo',
  timeout: 5_000,
  maxSockets: MAX_CONNECTIONS_PER_SERVICE,
  maxFreeSockets: MAX_CONNECTIONS_PER_SERVICE,
} as const;

/** What this module uses of Node's `http.Agent`: written here, so that the main entry's types need no Node types. */
interface PoolAgent {
  /** Idle connections kept beyond this are closed as they come free. */
  maxFreeSockets: number;
  readonly freeSockets: Readonly<Record<string, readonly { destroy(): void }[] | undefined>>;
}

type AgentClass = new (options: typeof POOL) => PoolAgent;

/**
 * `http.Agent` and `https.Agent`, through `process.getBuiltinModule` (Node 20.16 and later): the
 * module imports nothing of Node, so that no bundler meets a `node:` import in the main entry. Where
 * the platform has none, the pool is not made and axios uses Node's global agent, as it did before.
 */
function agentClasses(): { http: AgentClass; https: AgentClass } | undefined {
  const { process } = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const load = (id: string): AgentClass | undefined => (process?.getBuiltinModule?.(id) as { Agent?: AgentClass } | undefined)?.Agent;
  const http = load('node:http');
  const https = load('node:https');
  return http && https ? { http, https } : undefined;
}

/**
 * The transport used when the options name none: in Node, axios on a new instance that does not
 * follow redirects (axios then sends with `http` directly rather than through follow-redirects, about
 * 40 µs less per call); the Hub's routes answer without them, and a 3xx becomes an `http` error that
 * names it. Its connections are its own keep-alive pool, at most {@link MAX_CONNECTIONS_PER_SERVICE}
 * to each host; `close()` (the orchestrator's `dispose()`) closes the idle ones at once and each
 * other one as its request ends. The browser build (dist/browser, behind the package's `browser`
 * export condition) has `defaultTransport.browser` in its place, which sends with `fetch` and so
 * brings no axios in.
 */
export function defaultTransport(maxResponseBytes: number): Transport {
  const classes = agentClasses();
  if (!classes) return axiosTransport(axios.create({ maxRedirects: 0 }), maxResponseBytes);
  const agents = [new classes.http(POOL), new classes.https(POOL)];
  const [httpAgent, httpsAgent] = agents;
  const send = axiosTransport(axios.create({ maxRedirects: 0, httpAgent, httpsAgent }), maxResponseBytes);
  return Object.assign(send, {
    // A call still out (one made through `orchestrator.clients`, say) is let finish; its connection then closes.
    close: () => {
      for (const agent of agents) {
        agent.maxFreeSockets = 0;
        for (const sockets of Object.values(agent.freeSockets)) sockets?.forEach((socket) => socket.destroy());
      }
    },
  });
}
