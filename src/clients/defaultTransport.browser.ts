import type { FetchFunction } from '../config';
import { fetchTransport } from './fetchTransport';
import { TransportError, type Transport } from './transport';

/**
 * The transport used when the options name none, in a browser build (the package's `browser` export
 * condition serves a tree in which this module stands in for `defaultTransport`): the page's own
 * `fetch`, looked up per call, so that one installed later (a polyfill, a test's mock) is used. Where
 * there is none, each call fails saying what to pass instead.
 */
export function defaultTransport(maxResponseBytes: number): Transport {
  return fetchTransport((input, init) => {
    const fetch = (globalThis as { fetch?: FetchFunction }).fetch;
    if (typeof fetch !== 'function') {
      return Promise.reject(new TransportError('network', 'this platform has no fetch: pass the `fetch` or the `axios` option'));
    }
    return fetch(input, init);
  }, maxResponseBytes);
}
