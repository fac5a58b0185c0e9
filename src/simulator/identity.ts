import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import { SEED } from './seed';
import type { UserRecord } from './records';
import { ACCESS_TOKEN_TTL_SECONDS, LOCKOUT_MS, MAX_FAILED_LOGINS, naiveTimestamp } from './state';
import { Inputs } from './validation';

/** The User of hub-api.md; identity's timestamps carry no offset. */
function userJson(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    phone_number: user.phoneNumber,
    timezone: user.timezone,
    language: user.language,
    is_verified: user.isVerified,
    status: user.status,
    last_login_at: user.lastLoginAt === null ? null : naiveTimestamp(user.lastLoginAt),
    created_at: naiveTimestamp(user.createdAt),
    updated_at: naiveTimestamp(user.updatedAt),
  };
}

const FEATURES = ['registration', 'email_verification', 'login', 'account_lockout', 'user_management'];

function health(ctx: RequestContext): unknown {
  return {
    status: ctx.state.health.identity,
    service: 'auth-service',
    version: '1.0.0',
    mode: 'simulator',
    database: 'in-memory',
    timestamp: naiveTimestamp(Date.now()),
    features: ctx.state.mode === 'extended' ? [...FEATURES, 'token_validation', 'token_refresh'] : [...FEATURES],
  };
}

function register(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const body = input.body();
  const email = body.email('email');
  const password = body.string('password', { minLength: 8 });
  const firstName = body.string('first_name', { minLength: 1 });
  const lastName = body.string('last_name', { minLength: 1 });
  const phoneNumber = body.optionalString('phone_number') ?? null;
  input.check();

  if (ctx.state.findUser(email)) throw new HttpError(400, 'Email already registered');
  const user = ctx.state.addUser({ email, password, firstName, lastName, phoneNumber, organizationId: SEED.organizationId });
  return {
    message: 'Registration successful. Please check your email to verify your account.',
    user_id: user.id,
    email: user.email,
    verification_required: true,
    verification_token: user.verificationToken,
    next_step: 'verify_email',
  };
}

function verifyEmail(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const token = input.body().string('token');
  input.check();

  const user = [...ctx.state.users.values()].find((candidate) => candidate.deletedAt === null && candidate.verificationToken === token);
  if (!user || token === '') throw new HttpError(400, 'Invalid or expired verification token');
  const now = Date.now();
  Object.assign(user, { isVerified: true, status: 'active', verificationToken: null, updatedAt: now });
  return {
    message: 'Email verified successfully',
    details: { user_id: user.id, email: user.email, verified_at: naiveTimestamp(now) },
  };
}

/** Counts a failed password; the fifth failure locks the account for an hour. */
function recordFailedLogin(user: UserRecord, now: number): void {
  user.failedLogins += 1;
  if (user.failedLogins >= MAX_FAILED_LOGINS) user.lockedUntil = now + LOCKOUT_MS;
}

function login(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const body = input.body();
  const email = body.string('email');
  const password = body.string('password');
  input.check();

  const now = Date.now();
  const user = ctx.state.findUser(email);
  if (!user) throw new HttpError(401, 'Invalid email or password');
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    throw new HttpError(423, 'Account locked due to too many failed login attempts. Try again later.');
  }
  if (!ctx.state.passwordMatches(user, password)) {
    recordFailedLogin(user, now);
    throw new HttpError(401, 'Invalid email or password');
  }
  if (!user.isVerified) throw new HttpError(403, 'Email not verified. Please verify your email before logging in.');
  if (user.status !== 'active') throw new HttpError(401, 'Account is not active');

  Object.assign(user, { failedLogins: 0, lockedUntil: null, lastLoginAt: now, updatedAt: now });
  return {
    access_token: ctx.state.issueAccessToken(user.id),
    refresh_token: ctx.state.issueRefreshToken(user.id),
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    user_id: user.id,
    user: {
      id: user.id,
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      is_verified: user.isVerified,
      status: user.status,
    },
  };
}

function validateToken(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  return { user_id: user.id, organization_id: user.organizationId, email: user.email, roles: [...user.roles] };
}

function refresh(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const token = input.body().string('refresh_token');
  input.check();

  const user = ctx.state.userForRefreshToken(token);
  if (!user) throw new HttpError(401, 'Invalid or expired refresh token');
  return { access_token: ctx.state.issueAccessToken(user.id), token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS };
}

function listUsers(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const limit = input.queryInt('limit', { default: 10, ge: 1, le: 100 });
  const offset = input.queryInt('offset', { default: 0, ge: 0 });
  // Upstream does not know the `email` filter and ignores it.
  const email = ctx.state.mode === 'extended' ? input.queryString('email')?.toLowerCase() : undefined;
  input.check();

  return [...ctx.state.users.values()]
    .filter((user) => user.deletedAt === null && (email === undefined || user.email.toLowerCase() === email))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(offset, offset + limit)
    .map(userJson);
}

function existingUser(ctx: RequestContext): UserRecord {
  const user = ctx.state.users.get(ctx.params.user_id ?? '');
  if (!user || user.deletedAt !== null) throw new HttpError(404, 'User not found');
  return user;
}

function getUser(ctx: RequestContext): unknown {
  return userJson(existingUser(ctx));
}

/** A soft delete: the record stays, but the user can no longer be found or sign in. */
function deleteUser(ctx: RequestContext): unknown {
  const user = existingUser(ctx);
  const now = Date.now();
  Object.assign(user, { deletedAt: now, status: 'inactive', updatedAt: now });
  return { message: 'User deleted successfully' };
}

/** Identity: no prefix, no auth on its own routes (hub-api.md). */
export const identityRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'POST', path: '/auth/register', handler: register },
  { method: 'POST', path: '/auth/verify-email', handler: verifyEmail },
  { method: 'POST', path: '/auth/login', handler: login },
  { method: 'POST', path: '/auth/validate', handler: validateToken, auth: true, upstream: 'not-found' },
  { method: 'POST', path: '/auth/refresh', handler: refresh, upstream: 'not-found' },
  { method: 'GET', path: '/users', handler: listUsers },
  { method: 'GET', path: '/users/{user_id}', handler: getUser },
  { method: 'DELETE', path: '/users/{user_id}', handler: deleteUser },
];
