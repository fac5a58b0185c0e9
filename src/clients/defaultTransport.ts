import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import { axiosTransport } from './axiosTransport';
import type { Transport } from './transport';

/**
 * At most this many connections to each service at once; further requests wait in the pool for one
 * to be free. Node's own agent opens one for every request in flight: 2,000 operations fired at once
 * opened about 3,500 connections a round, each accepted, set up and closed again on both ends, and
 * overflowed the listen queue of the simulator's first versions (a dropped SYN waits a second). A
 * service answering in 5 ms serves 256 connections at some 50,000 requests a second.
 */
export const MAX_CONNECTIONS_PER_SERVICE = 256;

/** Node's global agent's settings (keep-alive, the most recently used socket first, idle ones closed after 5 s), bounded. */
const POOL: AgentOptions = {
  keepAlive: true,
  scheduling: 'lifo',
  timeout: 5_000,
  maxSockets: MAX_CONNECTIONS_PER_SERVICE,
  maxFreeSockets: MAX_CONNECTIONS_PER_SERVICE,
};

/**
 * The transport used when the options name none: in Node, axios on a new instance that does not
 * follow redirects (axios then sends with `http` directly rather than through follow-redirects, about
 * 40 µs less per call); the Hub's routes answer without them, and a 3xx becomes an `http` error that
 * names it. Its connections are its own keep-alive pool, at most {@link MAX_CONNECTIONS_PER_SERVICE}
 * to each service, closed by `close()` (the orchestrator's `dispose()`). The browser build
 * (dist/browser, behind the package's `browser` export condition) has `defaultTransport.browser` in
 * its place, which sends with `fetch` and so brings no axios in.
 */
export function defaultTransport(maxResponseBytes: number): Transport {
  const httpAgent = new HttpAgent(POOL);
  const httpsAgent = new HttpsAgent(POOL);
  const send = axiosTransport(axios.create({ maxRedirects: 0, httpAgent, httpsAgent }), maxResponseBytes);
  return Object.assign(send, {
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}
