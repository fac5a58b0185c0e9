import { errorReason, parseRetryAfter } from '../../src/clients/http';

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
