import axios from 'axios';
import { axiosTransport } from './axiosTransport';
import type { Transport } from './transport';

/**
 * The transport used when the options name none: in Node, axios on a new instance that does not
 * follow redirects (axios then sends with `http` directly rather than through follow-redirects, about
 * 40 µs less per call); the Hub's routes answer without them, and a 3xx becomes an `http` error that
 * names it. The browser build (dist/browser, behind the package's `browser` export condition) has
 * `defaultTransport.browser` in its place, which sends with `fetch` and so brings no axios in.
 */
export function defaultTransport(maxResponseBytes: number): Transport {
  return axiosTransport(axios.create({ maxRedirects: 0 }), maxResponseBytes);
}
