import nock from 'nock';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { isOrchestratorError, isServiceError } from '../../src/errors';
import { createIdentityClient, type RegisterRequest } from '../../src/clients';
import { BASE_URLS, IDS, TOKEN, describeErrorMapping, errorOf, testHttp, useNock } from './helpers';

const identity = () => nock(BASE_URLS.identity);
const bearer = `Bearer ${TOKEN}`;

/** A user as identity sends it: timestamps without an offset. */
const user = (overrides: Record<string, unknown> = {}) => ({
  id: IDS.user,
  email: 'Ada.Lovelace@example.com',
  first_name: 'Ada',
  last_name: 'Lovelace',
  phone_number: null,
  timezone: 'UTC',
  language: 'en',
  is_verified: true,
  status: 'active',
  last_login_at: null,
  created_at: '2024-03-01T09:30:00.123456',
  updated_at: '2024-03-02T10:00:00',
  ...overrides,
});

describe('identity client', () => {
  useNock();

  describe('register$', () => {
    it('posts exactly the registration fields, without a token, and reads the answer', async () => {
      let sent: unknown;
      let authorization: unknown = 'unset';
      identity()
        .post('/auth/register', (body) => {
          sent = body;
          return true;
        })
        .reply(function () {
          authorization = this.req.headers.authorization;
          return [
            200,
            {
              message: 'Registration successful',
              user_id: IDS.user,
              email: 'ada@example.com',
              verification_required: true,
              verification_token: 'verify-123',
              next_step: 'verify_email',
            },
          ];
        });
      const input = { email: 'ada@example.com', password: 'correct horse', first_name: 'Ada', last_name: 'Lovelace', confirm: 'x' };
      const result = await firstValueFrom(createIdentityClient(testHttp().http).register$(input as RegisterRequest));
      expect(sent).toEqual({ email: 'ada@example.com', password: 'correct horse', first_name: 'Ada', last_name: 'Lovelace' });
      expect(authorization).toBeUndefined();
      expect(result).toMatchObject({ user_id: IDS.user, verification_required: true, verification_token: 'verify-123' });
    });

    it('sends phone_number when given and accepts a null verification token', async () => {
      identity()
        .post('/auth/register', { email: 'a@b.co', password: 'pw', first_name: 'A', last_name: 'B', phone_number: '+15550100' })
        .reply(200, {
          message: 'ok',
          user_id: IDS.user,
          email: 'a@b.co',
          verification_required: false,
          verification_token: null,
          next_step: 'login',
        });
      const result = await firstValueFrom(
        createIdentityClient(testHttp().http).register$({
          email: 'a@b.co',
          password: 'pw',
          first_name: 'A',
          last_name: 'B',
          phone_number: '+15550100',
        }),
      );
      expect(result.verification_token).toBeNull();
    });

    it('maps 400 "Email already registered" to an http error carrying the detail', async () => {
      identity().post('/auth/register').reply(400, { detail: 'Email already registered' });
      const error = await errorOf(
        createIdentityClient(testHttp().http).register$({ email: 'a@b.co', password: 'pw', first_name: 'A', last_name: 'B' }),
      );
      expect(error).toMatchObject({ code: 'http', status: 400, endpoint: 'POST /auth/register', retryable: false, idempotent: false });
      expect(error.message).toContain('Email already registered');
    });
  });

  it('verifyEmail$ posts the token and reads verified_at as UTC', async () => {
    identity()
      .post('/auth/verify-email', { token: 'verify-123' })
      .reply(200, {
        message: 'Email verified',
        details: { user_id: IDS.user, email: 'ada@example.com', verified_at: '2024-03-01T09:31:00' },
      });
    const result = await firstValueFrom(createIdentityClient(testHttp().http).verifyEmail$('verify-123'));
    expect(result.details.verified_at).toBe('2024-03-01T09:31:00Z');
    expect(new Date(result.details.verified_at).toISOString()).toBe('2024-03-01T09:31:00.000Z');
  });

  it('login$ posts the credentials and reads the tokens and user summary', async () => {
    identity()
      .post('/auth/login', { email: 'ada@example.com', password: 'correct horse' })
      .reply(200, {
        access_token: 'access-1',
        refresh_token: 'refresh-1',
        token_type: 'Bearer',
        expires_in: 3600,
        user_id: IDS.user,
        user: { id: IDS.user, email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', is_verified: true, status: 'active' },
      });
    const session = await firstValueFrom(
      createIdentityClient(testHttp().http).login$({ email: 'ada@example.com', password: 'correct horse' }),
    );
    expect(session).toMatchObject({ access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 3600, user: { status: 'active' } });
  });

  it('getUser$ sends the bearer token, encodes the id and reads timestamps without offset as UTC', async () => {
    identity()
      .get(`/users/${IDS.user}`)
      .matchHeader('authorization', bearer)
      .reply(200, user({ last_login_at: '2024-03-03T08:00:00', extra_field: 'kept' }));
    const result = await firstValueFrom(createIdentityClient(testHttp().http).getUser$(IDS.user));
    expect(result.created_at).toBe('2024-03-01T09:30:00.123456Z');
    expect(new Date(result.created_at).toISOString()).toBe('2024-03-01T09:30:00.123Z');
    expect(new Date(result.updated_at).getTime()).toBe(Date.UTC(2024, 2, 2, 10, 0, 0));
    expect(result.last_login_at).toBe('2024-03-03T08:00:00Z');
    expect(result).toMatchObject({ status: 'active' });
    // What the type does not name is not there either: a typo cannot read a stray field.
    expect('extra_field' in result).toBe(false);
  });

  it('keeps a timestamp that already carries an offset', async () => {
    identity()
      .get(`/users/${IDS.user}`)
      .reply(200, user({ created_at: '2024-03-01T09:30:00+02:00' }));
    const result = await firstValueFrom(createIdentityClient(testHttp().http).getUser$(IDS.user));
    expect(new Date(result.created_at).toISOString()).toBe('2024-03-01T07:30:00.000Z');
  });

  it('gives a validation error naming identity and the endpoint when a user does not fit', async () => {
    identity()
      .get(`/users/${IDS.user}`)
      .reply(200, user({ status: 'banned', created_at: 'yesterday' }));
    const error = await errorOf(createIdentityClient(testHttp().http).getUser$(IDS.user));
    expect(error).toMatchObject({ code: 'validation', service: 'identity', endpoint: 'GET /users/{id}', retryable: false });
    expect(error.message).toContain('identity GET /users/{id}');
    expect(error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['status', 'created_at']));
  });

  it('keeps a 404 "User not found" an http error (not an extension endpoint)', async () => {
    identity().get(`/users/${IDS.user}`).reply(404, { detail: 'User not found' });
    const error = await errorOf(createIdentityClient(testHttp().http).getUser$(IDS.user));
    expect(error).toMatchObject({ code: 'http', status: 404 });
    expect(error.message).toContain('User not found');
  });

  describe('listUsers$', () => {
    it('sends limit and offset and reads the bare array', async () => {
      identity()
        .get('/users')
        .query({ limit: '10', offset: '20' })
        .matchHeader('authorization', bearer)
        .reply(200, [user(), user({ id: IDS.user2, email: 'grace@example.com' })]);
      const users = await firstValueFrom(createIdentityClient(testHttp().http).listUsers$({ limit: 10, offset: 20 }));
      expect(users.map((u) => u.id)).toEqual([IDS.user, IDS.user2]);
    });

    it('sends no query string when none is given', async () => {
      identity().get('/users').query({}).reply(200, []);
      await expect(firstValueFrom(createIdentityClient(testHttp().http).listUsers$())).resolves.toEqual([]);
    });

    it('names the endpoint when one user of the array does not fit', async () => {
      identity()
        .get('/users')
        .reply(200, [user(), { id: IDS.user2 }]);
      const error = await errorOf(createIdentityClient(testHttp().http).listUsers$());
      expect(error).toMatchObject({ code: 'validation', endpoint: 'GET /users' });
      expect(error.issues?.[0]?.path).toMatch(/^1\./);
    });
  });

  describe('findUserByEmail$', () => {
    it('asks with ?email= and gives the match', async () => {
      identity().get('/users').query({ email: 'ada.lovelace@example.com', limit: '100', offset: '0' }).reply(200, [user()]);
      const found = await firstValueFrom(createIdentityClient(testHttp().http).findUserByEmail$('ada.lovelace@example.com'));
      expect(found?.id).toBe(IDS.user);
    });

    it('matches case-insensitively among everyone when the server ignores the filter', async () => {
      identity()
        .get('/users')
        .query(true)
        .reply(200, [user({ id: IDS.user2, email: 'grace@example.com' }), user()]);
      const found = await firstValueFrom(createIdentityClient(testHttp().http).findUserByEmail$('  ADA.LOVELACE@example.COM '));
      expect(found?.id).toBe(IDS.user);
    });

    it('reads on, page by page, when the server ignores the filter and the match is further down', async () => {
      const others = (page: number) =>
        Array.from({ length: 100 }, (_, i) => user({ id: IDS.user2, email: `someone${page * 100 + i}@example.com` }));
      identity().get('/users').query({ email: 'ada.lovelace@example.com', limit: '100', offset: '0' }).reply(200, others(0));
      identity().get('/users').query({ email: 'ada.lovelace@example.com', limit: '100', offset: '100' }).reply(200, others(1));
      identity()
        .get('/users')
        .query({ email: 'ada.lovelace@example.com', limit: '100', offset: '200' })
        .reply(200, [user({ id: IDS.user2, email: 'grace@example.com' }), user()]);
      const found = await firstValueFrom(createIdentityClient(testHttp().http).findUserByEmail$('ada.lovelace@example.com'));
      expect(found?.id).toBe(IDS.user);
      expect(nock.isDone()).toBe(true);
    });

    it('stops at a short page, and reads no further when the server applied the filter', async () => {
      identity().get('/users').query(true).reply(200, []);
      const { findUserByEmail$ } = createIdentityClient(testHttp().http);
      await expect(firstValueFrom(findUserByEmail$('nobody@example.com'))).resolves.toBeNull();
      expect(nock.isDone()).toBe(true);
    });

    it('gives null when no user has that email', async () => {
      identity()
        .get('/users')
        .query(true)
        .reply(200, [user({ email: 'grace@example.com' })]);
      const found = await lastValueFrom(createIdentityClient(testHttp().http).findUserByEmail$('nobody@example.com').pipe(toArray()));
      expect(found).toEqual([null]);
    });

    it('encodes an email with + and & so it cannot add query parameters', async () => {
      identity().get('/users').query({ email: 'a+b&admin=1@example.com', limit: '100', offset: '0' }).reply(200, []);
      await expect(firstValueFrom(createIdentityClient(testHttp().http).findUserByEmail$('a+b&admin=1@example.com'))).resolves.toBeNull();
    });
  });

  it('deleteUser$ sends DELETE with the token and reads the message', async () => {
    identity().delete(`/users/${IDS.user}`).matchHeader('authorization', bearer).reply(200, { message: 'User deleted' });
    await expect(firstValueFrom(createIdentityClient(testHttp().http).deleteUser$(IDS.user))).resolves.toEqual({ message: 'User deleted' });
  });

  describe('validateToken$ (extension)', () => {
    it('posts with the bearer token and no body', async () => {
      let sent: unknown = 'unset';
      identity()
        .post('/auth/validate')
        .matchHeader('authorization', bearer)
        .reply((_uri, body) => {
          sent = body;
          return [200, { user_id: IDS.user, organization_id: IDS.org, email: 'ada@example.com', roles: ['admin'] }];
        });
      const info = await firstValueFrom(createIdentityClient(testHttp().http).validateToken$());
      expect(info).toEqual({ user_id: IDS.user, organization_id: IDS.org, email: 'ada@example.com', roles: ['admin'] });
      expect(sent).toBe('');
    });

    it('is unsupported where identity answers 404 Not Found', async () => {
      identity().post('/auth/validate').reply(404, { detail: 'Not Found' });
      const error = await errorOf(createIdentityClient(testHttp().http).validateToken$());
      expect(error).toMatchObject({ code: 'unsupported', status: 404, endpoint: 'POST /auth/validate', retryable: false });
    });
  });

  describe('refreshToken$ (extension)', () => {
    it('posts the refresh token without a bearer token', async () => {
      let authorization: unknown = 'unset';
      identity()
        .post('/auth/refresh', { refresh_token: 'refresh-1' })
        .reply(function () {
          authorization = this.req.headers.authorization;
          return [200, { access_token: 'access-2', token_type: 'Bearer', expires_in: 3600 }];
        });
      const result = await firstValueFrom(createIdentityClient(testHttp().http).refreshToken$('refresh-1'));
      expect(result).toEqual({ access_token: 'access-2', token_type: 'Bearer', expires_in: 3600 });
      expect(authorization).toBeUndefined();
    });

    it.each([
      [404, { detail: 'Not Found' }],
      [405, { detail: 'Method Not Allowed' }],
    ])('is unsupported on %i', async (status, body) => {
      identity().post('/auth/refresh').reply(status, body);
      const error = await errorOf(createIdentityClient(testHttp().http).refreshToken$('refresh-1'));
      expect(error).toMatchObject({ code: 'unsupported', status });
    });

    it('maps a 401 to auth', async () => {
      identity().post('/auth/refresh').reply(401, { detail: 'Invalid refresh token' });
      const error = await errorOf(createIdentityClient(testHttp().http).refreshToken$('refresh-1'));
      expect(error).toMatchObject({ code: 'auth', status: 401 });
      expect(error.message).not.toContain('refresh-1');
    });
  });

  describe('path parameters', () => {
    it('keeps a hostile id inside its segment', async () => {
      const get = identity().get('/users/..%2F..%2Fauth%2Flogin').reply(404, { detail: 'User not found' });
      const del = identity().delete('/users/..%2F..%2Fauth%2Flogin').reply(404, { detail: 'User not found' });
      const client = createIdentityClient(testHttp().http);
      await errorOf(client.getUser$('../../auth/login'));
      await errorOf(client.deleteUser$('../../auth/login'));
      expect(get.isDone()).toBe(true);
      expect(del.isDone()).toBe(true);
    });

    it.each(['..', '.', ''])('refuses the id %p before any request', async (id) => {
      const scope = identity().get(/.*/).reply(200, user()).persist();
      const client = createIdentityClient(testHttp().http);
      const error: unknown = await firstValueFrom(client.getUser$(id)).catch((reason: unknown) => reason);
      expect(isOrchestratorError(error) && !isServiceError(error) && error.code).toBe('invalid_input');
      expect(scope.isDone()).toBe(false);
    });
  });

  it('sends no Authorization header when the token provider has none', async () => {
    let authorization: unknown = 'unset';
    identity()
      .get(`/users/${IDS.user}`)
      .reply(function () {
        authorization = this.req.headers.authorization;
        return [200, user()];
      });
    await firstValueFrom(createIdentityClient(testHttp({ getToken: () => null }).http).getUser$(IDS.user));
    expect(authorization).toBeUndefined();
  });

  it('honours a route override of the path', async () => {
    nock('http://identity.test').get(`/v2/accounts/${IDS.user}`).reply(200, user());
    const { http } = testHttp({ routes: { identity: { getUser: '/v2/accounts/{id}' } } });
    await expect(firstValueFrom(createIdentityClient(http).getUser$(IDS.user))).resolves.toMatchObject({ id: IDS.user });
  });

  describeErrorMapping({
    service: 'identity',
    endpoint: 'GET /users/{id}',
    intercept: () => identity().get(`/users/${IDS.user}`),
    call: (http) => createIdentityClient(http).getUser$(IDS.user),
  });
});
