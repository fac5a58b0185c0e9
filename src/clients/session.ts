import { catchError, finalize, map, Observable, share, switchMap, throwError } from 'rxjs';
import { isServiceError, type ServiceError } from '../errors';
import type { TokenProvider } from '../config';
import { Relay, type Sink } from '../relay';
import type { CallInfo } from './http';
import type { LoginResponse, RefreshResponse } from './identity';

/** The signed-in user's tokens; the orchestrator sends `accessToken` on every call. */
export interface Session {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  /** ISO time the access token expires. */
  expiresAt: string;
  userId: string;
  user: LoginResponse['user'];
}

/** Reads a login answer into a {@link Session}. */
export function sessionFromLogin(login: LoginResponse, now: number = Date.now()): Session {
  return {
    accessToken: login.access_token,
    refreshToken: login.refresh_token,
    tokenType: login.token_type,
    expiresAt: new Date(now + login.expires_in * 1000).toISOString(),
    userId: login.user_id,
    user: login.user,
  };
}

/** Where the bearer token comes from before anyone signs in. */
export interface SessionAuth {
  /** A fixed bearer token. */
  readonly token?: string;
  /** Supplies the bearer token for each call; wins over `token`. */
  readonly getToken?: TokenProvider;
}

/** How a {@link SessionStore} gets its tokens. */
export interface SessionStoreOptions {
  /** Used while nobody is signed in. */
  readonly auth: SessionAuth;
  /** Identity's `POST /auth/refresh`, sent without the refresh-on-401 layer (a failed refresh must not refresh). */
  readonly refresh$: (refreshToken: string) => Observable<RefreshResponse>;
}

/**
 * The session of one orchestrator: the token every call carries, and the one refresh that a 401
 * causes however many calls hit it at once.
 *
 * @example
 * const session = new SessionStore({ auth: {}, refresh$: (token) => identity.refreshToken$(token) });
 * const http = createHttpClient({ baseUrls, getToken: () => session.token() });
 */
export class SessionStore {
  private session: Session | null = null;
  private refreshSupported = true;
  private refreshing$: Observable<void> | null = null;
  /** Tokens sent lately (the newest first, a few at most), for scrubbing: a service may echo an old one. */
  private readonly recent: string[] = [];
  /** {@link secrets} as last made, and what it was made from. */
  private known: { session: Session | null; newest: string | undefined; count: number; values: readonly string[] } | null = null;

  constructor(private readonly options: SessionStoreOptions) {}

  /** The current session, or null before a sign-in. */
  get current(): Session | null {
    return this.session;
  }

  /** Starts a session (after a login), or forgets it with `null`. */
  set(session: Session | null): void {
    if (this.session) this.remember(this.session.accessToken);
    this.session = session;
  }

  /** The bearer token for the next call: the session's, else the `auth` option's. */
  token(): ReturnType<TokenProvider> {
    if (this.session) return this.session.accessToken;
    const { auth } = this.options;
    if (!auth.getToken) return auth.token;
    const provided = auth.getToken();
    if (typeof provided === 'string') this.remember(provided);
    else if (provided instanceof Promise)
      provided.then(
        (token) => this.remember(token),
        () => undefined,
      );
    return provided;
  }

  /**
   * Every token value this session knows of, to be scrubbed from what leaves the library: the
   * access and refresh tokens, the `auth` token, and the few last tokens sent.
   */
  secrets(): readonly string[] {
    const { session, recent, known } = this;
    // Read for every event and log line; it changes only with the session or a new recent token.
    if (known && known.session === session && known.newest === recent[0] && known.count === recent.length) return known.values;
    const values = [session?.accessToken, session?.refreshToken, this.options.auth.token, ...recent].filter(
      (value): value is string => typeof value === 'string',
    );
    this.known = { session, newest: recent[0], count: recent.length, values };
    return values;
  }

  private remember(token: unknown): void {
    if (typeof token !== 'string' || this.recent[0] === token) return;
    if (!this.recent.includes(token)) {
      this.recent.unshift(token);
      this.recent.length = Math.min(this.recent.length, 4);
    }
  }

  /**
   * Repeats an authenticated call once after a 401: with a refreshed session, or with the one that
   * another call refreshed meanwhile. Where identity does not serve refresh, the 401 passes through.
   */
  refreshingOn401<T>(attempt$: Observable<T>, info: CallInfo): Observable<T> {
    return new Observable<T>((subscriber) => {
      const relay = new RefreshRelay(subscriber, this.repeatAfter, attempt$, info, this.session?.accessToken);
      attempt$.subscribe(relay);
      return relay;
    });
  }

  /** The repeat of an attempt that failed with a 401, or null when its error passes through; made once per store. */
  private readonly repeatAfter: RepeatAfter = (error, info, tokenSent, attempt$) => {
    if (!this.shouldRefresh(error, info)) return null;
    return this.session?.accessToken !== tokenSent ? attempt$ : this.refresh$(error).pipe(switchMap(() => attempt$));
  };

  private shouldRefresh(error: unknown, info: CallInfo): error is ServiceError {
    return (
      isServiceError(error) &&
      error.code === 'auth' &&
      error.status === 401 &&
      info.authenticated &&
      this.refreshSupported &&
      !!this.session?.refreshToken
    );
  }

  /** One refresh however many calls hit a 401 at once; a failed refresh gives each its own 401 back. */
  private refresh$(original: ServiceError): Observable<void> {
    const session = this.session;
    if (!session?.refreshToken) return throwError(() => original);
    this.refreshing$ ??= this.options.refresh$(session.refreshToken).pipe(
      map((refreshed) => {
        if (this.session !== session) return;
        this.remember(session.accessToken);
        this.session = {
          ...session,
          accessToken: refreshed.access_token,
          tokenType: refreshed.token_type,
          expiresAt: new Date(Date.now() + refreshed.expires_in * 1000).toISOString(),
        };
      }),
      catchError((error: unknown) => {
        if (isServiceError(error) && error.code === 'unsupported') this.refreshSupported = false;
        else if (isServiceError(error) && error.code === 'auth' && this.session === session) {
          this.session = { ...session, refreshToken: null };
        }
        throw error;
      }),
      finalize(() => {
        this.refreshing$ = null;
      }),
      share(),
    );
    return this.refreshing$.pipe(catchError(() => throwError(() => original)));
  }
}

type RepeatAfter = <T>(error: unknown, info: CallInfo, tokenSent: string | undefined, attempt$: Observable<T>) => Observable<T> | null;

/** One attempt of an authenticated call: after a 401 it may be repeated once, into the same subscriber. */
class RefreshRelay<T> extends Relay<T> {
  constructor(
    destination: Sink<T>,
    private readonly repeatAfter: RepeatAfter,
    private readonly attempt$: Observable<T>,
    private readonly info: CallInfo,
    private readonly tokenSent: string | undefined,
  ) {
    super(destination);
  }

  protected override onError(error: unknown): void {
    const again$ = this.repeatAfter(error, this.info, this.tokenSent, this.attempt$);
    // The subscriber keeps the repeat's subscription: an unsubscribe downstream ends it.
    if (again$) again$.subscribe(this.destination);
    else this.destination.error(error);
  }
}
