import { EMPTY, expand, first, map, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { HttpClient } from './http';
import { INPUT_LIMITS } from '../hub';
import { hubEmail, MAX_PAGES, MessageResponseSchema, PAGE_SIZE, password, personName, phoneNumber, utcTimestamp, uuid } from './schemas';

/** The states of an identity account. */
export const UserStatusSchema = z.enum(['pending_verification', 'active', 'suspended', 'inactive']);
/** The states of an identity account. */
export type UserStatus = z.infer<typeof UserStatusSchema>;

/** `POST /auth/register` request. */
export const RegisterRequestSchema = z.object({
  email: hubEmail,
  password,
  first_name: personName,
  last_name: personName,
  phone_number: z.optional(phoneNumber),
});
/** `POST /auth/register` request. */
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;

/** `POST /auth/register` response. */
export const RegisterResponseSchema = z.object({
  message: z.string(),
  user_id: uuid,
  email: z.string(),
  verification_required: z.boolean(),
  verification_token: z.nullable(z.string()),
  next_step: z.string(),
});
/** `POST /auth/register` response. */
export type RegisterResponse = z.infer<typeof RegisterResponseSchema>;

/** `POST /auth/verify-email` request. */
export const VerifyEmailRequestSchema = z.object({ token: z.string().check(z.minLength(1), z.maxLength(INPUT_LIMITS.token)) });
/** `POST /auth/verify-email` request. */
export type VerifyEmailRequest = z.infer<typeof VerifyEmailRequestSchema>;

/** `POST /auth/verify-email` response. */
export const VerifyEmailResponseSchema = z.object({
  message: z.string(),
  details: z.object({
    user_id: uuid,
    email: z.string(),
    verified_at: utcTimestamp,
  }),
});
/** `POST /auth/verify-email` response. */
export type VerifyEmailResponse = z.infer<typeof VerifyEmailResponseSchema>;

/** `POST /auth/login` request. */
export const LoginRequestSchema = z.object({
  email: hubEmail,
  password,
});
/** `POST /auth/login` request. */
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** The user summary a login answers with. */
export const UserSummarySchema = z.object({
  id: uuid,
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  is_verified: z.boolean(),
  status: UserStatusSchema,
});
/** The user summary a login answers with. */
export type UserSummary = z.infer<typeof UserSummarySchema>;

/** `POST /auth/login` response: the tokens and who they belong to. */
export const LoginResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.number(),
  user_id: uuid,
  user: UserSummarySchema,
});
/** `POST /auth/login` response. */
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** An identity account, as `GET /users/{id}` and `GET /users` return it. */
export const UserSchema = z.object({
  id: uuid,
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  phone_number: z.nullish(z.string()),
  timezone: z.string(),
  language: z.string(),
  is_verified: z.boolean(),
  status: UserStatusSchema,
  last_login_at: z.nullish(utcTimestamp),
  created_at: utcTimestamp,
  updated_at: utcTimestamp,
});
/** An identity account. */
export type User = z.infer<typeof UserSchema>;

/** `GET /users` response: a bare array, newest first. */
export const UserListSchema = z.array(UserSchema);
/** `GET /users` response. */
export type UserList = z.infer<typeof UserListSchema>;

/** `DELETE /users/{id}` response (a soft delete). */
export const DeleteUserResponseSchema = MessageResponseSchema;
/** `DELETE /users/{id}` response. */
export type DeleteUserResponse = z.infer<typeof DeleteUserResponseSchema>;

/** `POST /auth/validate` response (extension): whom the bearer token stands for. */
export const TokenInfoSchema = z.object({
  user_id: uuid,
  organization_id: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
});
/** `POST /auth/validate` response. */
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

/** `POST /auth/refresh` request (extension). */
export const RefreshRequestSchema = z.object({ refresh_token: z.string().check(z.minLength(1)) });
/** `POST /auth/refresh` request. */
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

/** `POST /auth/refresh` response (extension). */
export const RefreshResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.number(),
});
/** `POST /auth/refresh` response. */
export type RefreshResponse = z.infer<typeof RefreshResponseSchema>;

/** The query of `GET /users`; `email` is the extension filter. */
export type ListUsersQuery = { limit?: number; offset?: number; email?: string };

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The identity service's calls, each a cold Observable.
 *
 * @example
 * createIdentityClient(http).login$({ email, password }).subscribe((login) => console.log(login.user.email));
 */
export function createIdentityClient(http: HttpClient) {
  const client = {
    /** `POST /auth/register`. */
    register$(input: RegisterRequest): Observable<RegisterResponse> {
      return http.request$({
        service: 'identity',
        route: 'register',
        body: input,
        bodySchema: RegisterRequestSchema,
        schema: RegisterResponseSchema,
      });
    },

    /** `POST /auth/verify-email` with the token register gave back. */
    verifyEmail$(token: string): Observable<VerifyEmailResponse> {
      const body: VerifyEmailRequest = { token };
      return http.request$({
        service: 'identity',
        route: 'verifyEmail',
        body,
        bodySchema: VerifyEmailRequestSchema,
        schema: VerifyEmailResponseSchema,
      });
    },

    /** `POST /auth/login`. */
    login$(credentials: LoginRequest): Observable<LoginResponse> {
      return http.request$({
        service: 'identity',
        route: 'login',
        body: credentials,
        bodySchema: LoginRequestSchema,
        schema: LoginResponseSchema,
      });
    },

    /** `GET /users/{id}`. */
    getUser$(id: string): Observable<User> {
      return http.request$({ service: 'identity', route: 'getUser', params: { id }, schema: UserSchema });
    },

    /** `GET /users`, newest first. */
    listUsers$(query: ListUsersQuery = {}): Observable<User[]> {
      const { limit, offset, email } = query;
      return http.request$({ service: 'identity', route: 'listUsers', query: { limit, offset, email }, schema: UserListSchema });
    },

    /**
     * `GET /users?email=` (extension): the account with that email, or null. The match is made
     * again here, case-insensitively: a server that ignores the filter answers with a page of every
     * user, and then the pages are read on (up to {@link MAX_PAGES} of {@link PAGE_SIZE}).
     */
    findUserByEmail$(email: string): Observable<User | null> {
      const page$ = (page: number): Observable<User[]> => client.listUsers$({ email, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
      const filterIgnored = (users: User[]): boolean => users.some((user) => !sameEmail(user.email, email));
      return page$(0).pipe(
        expand((users, page) =>
          !users.some((user) => sameEmail(user.email, email)) && filterIgnored(users) && users.length === PAGE_SIZE && page + 1 < MAX_PAGES
            ? page$(page + 1)
            : EMPTY,
        ),
        map((users) => users.find((user) => sameEmail(user.email, email)) ?? null),
        first((user): user is User => user !== null, null),
      );
    },

    /** `DELETE /users/{id}` (a soft delete). */
    deleteUser$(id: string): Observable<DeleteUserResponse> {
      return http.request$({ service: 'identity', route: 'deleteUser', params: { id }, schema: DeleteUserResponseSchema });
    },

    /** `POST /auth/validate` (extension): whom the current bearer token stands for. */
    validateToken$(): Observable<TokenInfo> {
      return http.request$({ service: 'identity', route: 'validateToken', schema: TokenInfoSchema });
    },

    /** `POST /auth/refresh` (extension): a new access token; `unsupported` where identity does not serve it. */
    refreshToken$(refreshToken: string): Observable<RefreshResponse> {
      const body: RefreshRequest = { refresh_token: refreshToken };
      return http.request$({
        service: 'identity',
        route: 'refreshToken',
        body,
        bodySchema: RefreshRequestSchema,
        schema: RefreshResponseSchema,
      });
    },
  };
  return client;
}

/** The identity service's calls. */
export type IdentityClient = ReturnType<typeof createIdentityClient>;
