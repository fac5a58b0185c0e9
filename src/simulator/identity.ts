import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import { SEED } from './seed';
import type { UserRecord } from './records';
import { ACCESS_TOKEN_TTL_SECONDS, LOCKOUT_MS, MAX_FAILED_LOGINS, naiveTimestamp, newVerificationToken } from './state';
import { Inputs, isUuid } from './validation';

/** The User of hub-api.md; identity's timestamps carry no offset. The published service adds `bio` and `avatar_url`. */
function userJson(user: UserRecord, published: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
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
  return published ? { ...json, bio: null, avatar_url: null } : json;
}

/** The published service's feature list: free-text strings (hub-recorded.md). */
const PUBLISHED_FEATURES = [
  'User registration with email verification',
  'Secure login with account lockout',
  'User management (list, get, delete)',
  'Email verification and resend',
];

const FEATURES = ['registration', 'email_verification', 'login', 'account_lockout', 'user_management'];

function health(ctx: RequestContext): unknown {
  if (ctx.state.published) {
    return {
      status: ctx.state.healthOf('identity'),
      service: 'auth-service',
      version: '2.0.0',
      mode: 'full',
      database: 'connected',
      timestamp: naiveTimestamp(Date.now()),
      features: [...PUBLISHED_FEATURES],
    };
  }
  return {
    status: ctx.state.healthOf('identity'),
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
  // The published service sets no minimum length: it accepts "pw" (hub-recorded.md).
  const password = body.string('password', { minLength: ctx.state.published ? 0 : 8 });
  const firstName = body.string('first_name', { minLength: 1 });
  const lastName = body.string('last_name', { minLength: 1 });
  const phoneNumber = body.optionalString('phone_number') ?? null;
  input.check();

  if (ctx.state.findUser(email)) throw new HttpError(400, 'Email already registered');
  const user = ctx.state.addUser({ email, password, firstName, lastName, phoneNumber, organizationId: SEED.organizationId });
  if (ctx.state.published) {
    return {
      message: 'Account created successfully. Please check your email to verify your account.',
      user_id: user.id,
      email: user.email,
      verification_required: true,
      verification_token: user.verificationToken,
      next_step: 'Please check your email for verification link',
    };
  }
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
  const { published } = ctx.state;
  // The published model types the email as EmailStr: a malformed one is a 422, not a 401.
  const email = published ? body.email('email') : body.string('email');
  const password = body.string('password');
  input.check();

  const now = Date.now();
  const user = ctx.state.findUser(email);
  if (!user) throw new HttpError(401, 'Invalid email or password');
  if (user.lockedUntil !== null && user.lockedUntil > now) {
    throw new HttpError(
      423,
      published
        ? `Account locked until ${naiveTimestamp(user.lockedUntil)}`
        : 'Account locked due to too many failed login attempts. Try again later.',
    );
  }
  if (!ctx.state.passwordMatches(user, password)) {
    recordFailedLogin(user, now);
    throw new HttpError(401, 'Invalid email or password');
  }
  if (!user.isVerified) {
    throw new HttpError(
      403,
      published
        ? 'Email verification required. Please verify your account before logging in.'
        : 'Email not verified. Please verify your email before logging in.',
    );
  }
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
  const { published } = ctx.state;
  const input = new Inputs(ctx);
  // The published service puts no bounds on `limit`: 0 gives [], 500 gives every user.
  const limit = input.queryInt('limit', published ? { default: 10 } : { default: 10, ge: 1, le: 100 });
  const offset = input.queryInt('offset', published ? { default: 0 } : { default: 0, ge: 0 });
  // Upstream does not know the `email` filter and ignores it.
  const email = published ? undefined : input.queryString('email')?.toLowerCase();
  input.check();

  return [...ctx.state.users.values()]
    .filter((user) => user.deletedAt === null && (email === undefined || user.email.toLowerCase() === email))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit))
    .map((user) => userJson(user, published));
}

/**
 * The user of the path, or 404. The published service hands the id to the database as it is, so
 * one that is not a UUID escapes as the database's error, wrapped in a JSON 500.
 */
function existingUser(ctx: RequestContext): UserRecord {
  const id = ctx.params.user_id ?? '';
  if (ctx.state.published && !isUuid(id)) {
    throw new HttpError(
      500,
      `Failed to get user: invalid input for query argument $1: '${id}' (invalid UUID '${id}': length must be between 32..36 characters, got ${id.length})`,
    );
  }
  const user = ctx.state.users.get(id);
  if (!user || user.deletedAt !== null) throw new HttpError(404, 'User not found');
  return user;
}

function getUser(ctx: RequestContext): unknown {
  return userJson(existingUser(ctx), ctx.state.published);
}

/** A soft delete: the record stays, but the user can no longer be found or sign in. */
function deleteUser(ctx: RequestContext): unknown {
  const user = existingUser(ctx);
  const now = Date.now();
  Object.assign(user, { deletedAt: now, status: 'inactive', updatedAt: now });
  return { message: ctx.state.published ? `User ${user.email} deleted successfully` : 'User deleted successfully' };
}

/**
 * `GET /auth/me`. The published service answers with the first user in its database whatever the
 * token (hub-recorded.md); in extended mode it is the token's user.
 */
function me(ctx: RequestContext): unknown {
  if (!ctx.state.published) return userJson(requireUser(ctx), false);
  const first = [...ctx.state.users.values()].filter((user) => user.deletedAt === null).sort((a, b) => a.createdAt - b.createdAt)[0];
  if (!first) throw new HttpError(404, 'User not found');
  return userJson(first, true);
}

/**
 * `POST /auth/resend-verification` with `{email}`: a new verification token. Only the answer for a
 * user pending verification is recorded; the 404 and 400 below are this simulator's guesses.
 */
function resendVerification(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const email = input.body().email('email');
  input.check();

  const user = ctx.state.findUser(email);
  if (!user) throw new HttpError(404, 'User not found');
  if (user.isVerified) throw new HttpError(400, 'Email already verified');
  user.verificationToken = newVerificationToken();
  return { message: 'Verification email sent', details: { verification_token: user.verificationToken } };
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
  { method: 'GET', path: '/auth/me', handler: me },
  { method: 'POST', path: '/auth/resend-verification', handler: resendVerification },
];
