import axios from 'axios';
import nock from 'nock';
import { createContentClient, createHttpClient } from '../../src/clients';
import { errorReason, parseRetryAfter } from '../../src/clients/http';
import { BASE_URLS, errorOf, expectNoToken, IDS, TOKEN, useNock } from './helpers';

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
  useNock();
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

  it('name a relative Location by its path', async () => {
    nock(BASE_URLS.content)
      .get(path)
      .reply(308, '', { Location: `${path}/` });
    const http = createHttpClient({ baseUrls: BASE_URLS, getToken: () => TOKEN });
    const error = await errorOf(createContentClient(http).getDocument$(DOCUMENT));
    expect(error).toMatchObject({ code: 'http', status: 308 });
    expect(error.message).toContain(`redirects to ${path}/,`);
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
