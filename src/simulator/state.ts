import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ServiceName } from '../hub';
import { bearerToken } from './http';
import { seedDefinitions, seedDocuments, seedUsers, SEED } from './seed';
import type { DefinitionRecord, DocumentRecord, InstanceRecord, NotificationRecord, ConversationRecord, UserRecord } from './records';
import type { HealthStatus, HubMode } from './types';

/** Access tokens last an hour, as identity's `expires_in: 3600` says. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Five failed logins lock an account for an hour. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 60 * 60 * 1000;

/** The port each published service reports in its health: the configured one, not the bound one. */
export const CONFIGURED_PORTS = { identity: 8001, content: 8002, communication: 8003, workflow: 8004 } as const;

/** Python's naive `datetime.isoformat()`: identity and communication send UTC without an offset. */
export function naiveTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000');
}

/** Python's timezone-aware `isoformat()`, as content and workflow send it. */
export function offsetTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/** Even a simulator never keeps a password in clear, so a debug dump of its state cannot leak one. */
function hashPassword(password: string, salt: string): string {
  return createHash('sha256').update(salt).update(password).digest('hex');
}

/** `secrets.token_urlsafe(32)`, as identity makes a verification token: 43 characters. */
export function newVerificationToken(): string {
  return randomBytes(32).toString('base64url');
}

function opaqueToken(kind: string): string {
  return `sim-${kind}-${randomBytes(24).toString('base64url')}`;
}

/**
 * What `GET /health` says when nobody set it: healthy, except the published workflow service,
 * which is degraded whenever no AI key is configured (its normal local state, hub-recorded.md).
 */
function defaultHealth(mode: HubMode, service: ServiceName): HealthStatus {
  return mode !== 'extended' && service === 'workflow' ? 'degraded' : 'healthy';
}

/** The data of the four services, shared in process so that identity's tokens are honoured by the others. */
export class HubState {
  mode: HubMode;
  readonly startedAt = Date.now();
  private readonly healthSet: Partial<Record<ServiceName, HealthStatus>> = {};
  readonly users = new Map<string, UserRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  readonly definitions = new Map<string, DefinitionRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly notifications: NotificationRecord[] = [];
  private readonly accessTokens = new Map<string, { userId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, string>();

  constructor(mode: HubMode) {
    this.mode = mode;
    this.reseed();
  }

  /** Drops every record and loads the seed again; tokens of users that still exist stay valid. */
  reseed(): void {
    this.users.clear();
    this.documents.clear();
    this.definitions.clear();
    this.instances.clear();
    this.conversations.clear();
    this.notifications.length = 0;
    for (const service of Object.keys(this.healthSet) as ServiceName[]) delete this.healthSet[service];
    const now = Date.now();
    for (const seed of seedUsers()) {
      const user = this.addUser({ ...seed, phoneNumber: null, organizationId: SEED.organizationId }, seed.createdAt);
      Object.assign(user, {
        status: seed.status,
        isVerified: seed.isVerified,
        roles: seed.roles,
        verificationToken: seed.verificationToken,
      });
      if (seed.locked) Object.assign(user, { failedLogins: MAX_FAILED_LOGINS, lockedUntil: now + LOCKOUT_MS });
    }
    for (const document of seedDocuments()) this.documents.set(document.id, document);
    for (const definition of seedDefinitions()) this.definitions.set(definition.id, definition);
    this.dropTokensOfMissingUsers();
  }

  /** True where the hub plays the published services (`upstream` and `deployed`): their texts, stubs and quirks. */
  get published(): boolean {
    return this.mode !== 'extended';
  }

  /** What `GET /health` of `service` reports: as set, else the mode's default. */
  healthOf(service: ServiceName): HealthStatus {
    return this.healthSet[service] ?? defaultHealth(this.mode, service);
  }

  /** Fixes what `GET /health` of `service` reports until the next reseed. */
  setHealth(service: ServiceName, status: HealthStatus): void {
    this.healthSet[service] = status;
  }

  /** A new user, pending verification. */
  addUser(
    input: {
      id?: string;
      email: string;
      password: string;
      firstName: string;
      lastName: string;
      phoneNumber: string | null;
      organizationId: string;
    },
    createdAt = Date.now(),
  ): UserRecord {
    const salt = randomBytes(8).toString('hex');
    const user: UserRecord = {
      id: input.id ?? randomUUID(),
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      phoneNumber: input.phoneNumber,
      timezone: 'UTC',
      language: 'en',
      isVerified: false,
      status: 'pending_verification',
      organizationId: input.organizationId,
      roles: ['user'],
      lastLoginAt: null,
      createdAt,
      updatedAt: createdAt,
      deletedAt: null,
      passwordSalt: salt,
      passwordHash: hashPassword(input.password, salt),
      verificationToken: newVerificationToken(),
      failedLogins: 0,
      lockedUntil: null,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A user that has not been deleted, by id or (case-insensitive) email. */
  findUser(idOrEmail: string): UserRecord | undefined {
    const byId = this.users.get(idOrEmail);
    if (byId && byId.deletedAt === null) return byId;
    const email = idOrEmail.toLowerCase();
    return [...this.users.values()].find((user) => user.deletedAt === null && user.email.toLowerCase() === email);
  }

  /** Compares against the salted hash. */
  passwordMatches(user: UserRecord, password: string): boolean {
    return hashPassword(password, user.passwordSalt) === user.passwordHash;
  }

  issueAccessToken(userId: string): string {
    const token = opaqueToken('access');
    this.accessTokens.set(token, { userId, expiresAt: Date.now() + ACCESS_TOKEN_TTL_SECONDS * 1000 });
    return token;
  }

  issueRefreshToken(userId: string): string {
    const token = opaqueToken('refresh');
    this.refreshTokens.set(token, userId);
    return token;
  }

  /** The user behind an `Authorization` header, when its access token is valid and the user may sign in. */
  authenticate(authorization: string | undefined): UserRecord | null {
    const token = bearerToken(authorization);
    if (!token) return null;
    const grant = this.accessTokens.get(token);
    if (!grant || grant.expiresAt <= Date.now()) return null;
    return this.activeUser(grant.userId);
  }

  userForRefreshToken(token: string): UserRecord | null {
    const userId = this.refreshTokens.get(token);
    return userId === undefined ? null : this.activeUser(userId);
  }

  /** Every access token issued so far stops working; refresh tokens are kept so a client can recover. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  private activeUser(userId: string): UserRecord | null {
    const user = this.users.get(userId);
    return user && user.deletedAt === null && user.status === 'active' ? user : null;
  }

  private dropTokensOfMissingUsers(): void {
    for (const [token, grant] of this.accessTokens) if (!this.users.has(grant.userId)) this.accessTokens.delete(token);
    for (const [token, userId] of this.refreshTokens) if (!this.users.has(userId)) this.refreshTokens.delete(token);
  }
}
