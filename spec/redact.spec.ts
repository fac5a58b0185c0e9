import { redact, redactText, REDACTED } from '../src/redact';

describe('redact', () => {
  it('replaces the values of secret-looking keys at any depth, and leaves the rest', () => {
    const input = {
      email: 'ada@example.com',
      password: 'hunter22!',
      nested: { access_token: 'abc', refreshToken: 'def', headers: { Authorization: 'Bearer xyz' } },
      list: [{ api_key: 'k' }, { client_secret: 's', passed: true }],
      verification_required: true,
    };
    expect(redact(input)).toEqual({
      email: 'ada@example.com',
      password: REDACTED,
      nested: { access_token: REDACTED, refreshToken: REDACTED, headers: { Authorization: REDACTED } },
      list: [{ api_key: REDACTED }, { client_secret: REDACTED, passed: true }],
      verification_required: true,
    });
    expect(input.password).toBe('hunter22!');
  });

  it('removes bearer tokens and JWTs from free text, errors included', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(redactText(`sent Authorization: Bearer abc.def-123, got 401`)).toBe(`sent Authorization: Bearer ${REDACTED}, got 401`);
    expect(redactText(`token ${jwt} expired`)).toBe(`token ${REDACTED} expired`);
    expect(redact(new Error(`bad ${jwt}`))).toEqual({ name: 'Error', message: `bad ${REDACTED}` });
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'loop', self: '[circular]' });
  });

  it('copies an object met twice without a cycle both times', () => {
    const shared = { note: 'Bearer abc.def' };
    expect(redact({ first: shared, second: [shared] })).toEqual({
      first: { note: `Bearer ${REDACTED}` },
      second: [{ note: `Bearer ${REDACTED}` }],
    });
  });

  it('scrubs a list of secret values however often it is used, longest first, in every form', () => {
    const secrets = ['s3cret-value', 's3cret-value-longer', 'a b&c'];
    for (let i = 0; i < 3; i++) {
      expect(redactText('x s3cret-value-longer y s3cret-value z', secrets)).toBe(`x ${REDACTED} y ${REDACTED} z`);
      expect(redactText('q=a%20b%26c', secrets)).toBe(`q=${REDACTED}`);
    }
    expect(redactText('abc', ['abc'])).toBe('abc');
  });
});
