import axios from 'axios';
import nock from 'nock';
import { firstValueFrom, type Observable } from 'rxjs';
import { isServiceError, type ServiceError } from '../../src/errors';
import { type ServiceName } from '../../src/hub';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../src/clients';

/** Where each service is mocked. */
export const BASE_URLS: Readonly<Record<ServiceName, string>> = {
  identity: 'http://identity.test',
  content: 'http://content.test',
  communication: 'http://communication.test',
  workflow: 'http://workflow.test',
};

/** The bearer token every test client sends; it must never show up in an error. */
export const TOKEN = 'tok-SECRET-0123456789abcdef';

/** Fixed ids, all UUID v4. */
export const IDS = {
  user: '3f1c2b8e-6a4d-4c1e-9f7a-2b5d8e0c1a11',
  user2: '7a9e4c21-0b3d-4e5f-8a6b-1c2d3e4f5a66',
  document: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  definition: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  instance: 'c0ffee00-1234-4abc-9def-0123456789ab',
  conversation: 'd00dfeed-4321-4cba-8fed-ba9876543210',
  notification: 'e1e2e3e4-f5f6-4a7b-9c8d-1a2b3c4d5e6f',
  org: 'b0b0b0b0-1111-4222-8333-444455556666',
};

/** Installs nock for the suite: no real network, clean mocks and no pending timers between tests. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

/** An HTTP client against the mocked services, with the test token and a log of cancelled requests. */
export function testHttp(options: Partial<HttpClientOptions> = {}): { http: HttpClient; cancelled: string[]; cancellation: Promise<void> } {
  const instance = axios.create();
  const cancelled: string[] = [];
  let cancel = (): void => {};
  const cancellation = new Promise<void>((resolve) => (cancel = resolve));
  instance.interceptors.response.use(undefined, (error: unknown) => {
    if (axios.isCancel(error)) {
      cancelled.push(String((error as { config?: { url?: string } }).config?.url));
      cancel();
    }
    return Promise.reject(error);
  });
  const http = createHttpClient({ baseUrls: BASE_URLS, getToken: () => TOKEN, axios: instance, ...options });
  return { http, cancelled, cancellation };
}

/** The error an Observable fails with; fails the test when it emits instead. */
export async function errorOf(call$: Observable<unknown>): Promise<ServiceError> {
  let value: unknown;
  try {
    value = await firstValueFrom(call$);
  } catch (error) {
    if (!isServiceError(error)) throw error;
    return error;
  }
  throw new Error(`expected an error, got ${JSON.stringify(value)}`);
}

/** Asserts the token appears nowhere in what an error exposes. */
export function expectNoToken(error: ServiceError): void {
  expect(error.message).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
  expect(JSON.stringify(error.details)).not.toContain(TOKEN);
  expect(String(error.stack)).not.toContain(TOKEN);
  expect(error.cause).toBeUndefined();
}

/** A transport error as a socket raises it (nock 14 drops a plain-object error and the request hangs). */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** FastAPI's 422 body. */
export const UNPROCESSABLE = {
  detail: [
    { type: 'missing', loc: ['body', 'email'], msg: 'Field required', input: {} },
    { type: 'string_too_short', loc: ['body', 'password'], msg: 'String should have at least 8 characters', input: 'x' },
  ],
};

/**
 * The error mapping every endpoint shares, checked against one endpoint of a client: 422, plain-text
 * 500, 401/403, gateway 429 with Retry-After, empty error bodies, transport errors, token secrecy and
 * cancellation.
 */
export function describeErrorMapping(spec: {
  service: ServiceName;
  endpoint: string;
  /** Mocks the endpoint; the test adds the reply. */
  intercept: () => nock.Interceptor;
  call: (http: HttpClient) => Observable<unknown>;
}): void {
  const { service, endpoint, intercept, call } = spec;

  describe(`error mapping of ${endpoint}`, () => {
    it('maps the 422 list to an http error with a readable message', async () => {
      intercept().reply(422, UNPROCESSABLE);
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'http', status: 422, service, endpoint, retryable: false });
      expect(error.message).toContain(`${service} ${endpoint}`);
      expect(error.message).toContain('body.email: Field required; body.password: String should have at least 8 characters');
    });

    it('maps a plain-text 500 to a retryable http error', async () => {
      intercept().reply(500, 'Internal Server Error', { 'Content-Type': 'text/plain' });
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'http', status: 500, retryable: true });
      expect(error.message).toContain('Internal Server Error');
    });

    it.each([401, 403])('maps a %i to auth, without the token anywhere', async (status) => {
      intercept().reply(status, { detail: 'Could not validate credentials' });
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'auth', status, retryable: false });
      expect(error.message).toContain('Could not validate credentials');
      expectNoToken(error);
    });

    it('reads a gateway 429 {message} with Retry-After: 2 as retryable after 2000 ms', async () => {
      intercept().reply(429, { message: 'API rate limit exceeded' }, { 'Retry-After': '2' });
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'http', status: 429, retryable: true, retryAfterMs: 2000 });
      expect(error.message).toContain('API rate limit exceeded');
    });

    it('maps an error with an empty body to an http error naming the status', async () => {
      intercept().reply(502, '');
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'http', status: 502, retryable: true });
      expect(error.message).toContain('HTTP 502');
    });

    it('maps a connection reset to a retryable network error, without the token anywhere', async () => {
      intercept().replyWithError(connectionReset());
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'network', retryable: true, service, endpoint });
      expect(error.status).toBeUndefined();
      expectNoToken(error);
    });

    it('gives a validation error naming the service and endpoint for a 200 that is not JSON', async () => {
      intercept().reply(200, '<html>gateway</html>', { 'Content-Type': 'text/html' });
      const error = await errorOf(call(testHttp().http));
      expect(error).toMatchObject({ code: 'validation', retryable: false });
      expect(error.message).toContain(`${service} ${endpoint}`);
    });

    it('aborts the request when unsubscribed, and never emits', async () => {
      const reached = new Promise<void>((resolve) => {
        intercept()
          .delay(150)
          .reply(200, {})
          .on('request', () => resolve());
      });
      const { http, cancelled, cancellation } = testHttp();
      const next = jest.fn();
      const error = jest.fn();
      const subscription = call(http).subscribe({ next, error });
      await reached;
      subscription.unsubscribe();
      await cancellation;
      expect(cancelled).toHaveLength(1);
      expect(next).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    });
  });
}
