import axios from 'axios';
import nock from 'nock';
import { createContentClient, createHttpClient } from '../../src/clients';
import type { TokenProvider } from '../../src/config';
import { errorReason, parseRetryAfter } from '../../src/clients/http';
import { BASE_URLS, errorOf, expectNoToken, IDS, TOKEN, useNock } from './helpers';

useNock();

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('reads delta-seconds, whole or not', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0.25 ', now)).toBe(250);
  });

  it('reads an HTTP date as the time left until then, never negative', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('gives undefined for no header or one it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(['1'], now)).toBeUndefined();
  });
});

describe('errorReason', () => {
  it('reads each error body the Hub sends', () => {
    expect(errorReason({ detail: 'Document not found' }, '', 404)).toBe('Document not found');
    expect(errorReason({ detail: [{ loc: ['body', 'email'], msg: 'Field required' }, { msg: 'bad' }] }, '', 422)).toBe(
      'body.email: Field required; bad',
    );
    expect(errorReason({ message: 'API rate limit exceeded' }, '', 429)).toBe('API rate limit exceeded');
    expect(errorReason(undefined, 'Internal Server Error', 500)).toBe('Internal Server Error');
    expect(errorReason(undefined, '', 502)).toBe('HTTP 502');
    expect(errorReason(undefined, 'x'.repeat(300), 500)).toHaveLength(201);
  });
});

describe('redirects', () => {
  const DOCUMENT = IDS.document;
  const path = `/api/v1/documents/${DOCUMENT}`;
  const elsewhere = `https://content.elsewhere.test${path}?signature=SIG-SECRET`;

  it('are not followed by the default instance: a 3xx is an http error that names where it points, without its query', async () => {
    const moved = nock(BASE_URLS.content).get(path).reply(307, '', { Location: elsewhere });
    const target = nock('https://content.elsewhere.test').get(path).query(true).reply(200, {});
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: () => TOKEN });
    const error = await errorOf(createContentClient(http).getDocument$(DOCUMENT));
    expect(error).toMatchObject({ code: 'http', status: 307, retryable: false, endpoint: 'GET /api/v1/documents/{id}' });
    expect(error.message).toContain(`redirects to https://content.elsewhere.test${path}`);
    expect(error.message).not.toContain('SIG-SECRET');
    expectNoToken(error);
    expect(moved.isDone()).toBe(true);
    expect(target.isDone()).toBe(false);
  });

  it.each([
    [`${path}/`, `${path}/`],
    ['v2', '/api/v1/documents/v2'],
    ['//content.elsewhere.test/p?x=1', 'http://content.elsewhere.test/p'],
    ['mailto:ops@example.org', 'a location that is not http(s)'],
  ])('name a Location of %s, resolved against the request, as %s', async (location, named) => {
    nock(BASE_URLS.content).get(path).reply(308, '', { Location: location });
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: () => TOKEN });
    const error = await errorOf(createContentClient(http).getDocument$(DOCUMENT));
    expect(error).toMatchObject({ code: 'http', status: 308 });
    expect(error.message).toContain(`redirects to ${named}, and redirects are not followed`);
    expect(error.message).toContain('pass an axios instance that follows redirects');
  });

  it('are followed when the caller passes an instance that follows them', async () => {
    nock(BASE_URLS.content)
      .get(path)
      .reply(307, '', { Location: `${path}/v2` });
    nock(BASE_URLS.content).get(`${path}/v2`).reply(404, { detail: 'Document not found' });
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: () => TOKEN, axios: axios.create() });
    const error = await errorOf(createContentClient(http).getDocument$(DOCUMENT));
    expect(error).toMatchObject({ code: 'http', status: 404 });
    expect(error.message).toContain('Document not found');
  });
});

describe('the token provider', () => {
  const path = `/api/v1/documents/${IDS.document}`;

  it.each([
    [
      'throws',
      () => {
        throw new Error(`vault said ${TOKEN}`);
      },
    ],
    ['rejects', () => Promise.reject(new Error(`vault said ${TOKEN}`))],
    [
      'returns a thenable whose then throws',
      () => ({
        get then(): never {
          throw new Error(`vault said ${TOKEN}`);
        },
      }),
    ],
  ])('that %s fails the call with auth, sends nothing, and the token is nowhere in the error', async (_how, getToken) => {
    const scope = nock(BASE_URLS.content).get(path).reply(200, {});
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: getToken as TokenProvider });
    const error = await errorOf(createContentClient(http).getDocument$(IDS.document));
    expect(error).toMatchObject({ code: 'auth', retryable: false, service: 'content' });
    expect(error.message).toContain('the token provider failed');
    expectNoToken(error);
    expect(scope.isDone()).toBe(false);
  });

  it('may answer with a promise: its token is sent', async () => {
    nock(BASE_URLS.content, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get(path)
      .reply(404, { detail: 'Document not found' });
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: async () => TOKEN });
    const error = await errorOf(createContentClient(http).getDocument$(IDS.document));
    expect(error).toMatchObject({ code: 'http', status: 404 });
  });
});
