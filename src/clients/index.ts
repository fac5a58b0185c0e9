import type { Observable } from 'rxjs';
import type { ServiceName } from '../hub';
import { createCommunicationClient, type CommunicationClient } from './communication';
import { createContentClient, type ContentClient } from './content';
import { getHealth$, type HealthResponse } from './health';
import type { HttpClient } from './http';
import { createIdentityClient, type IdentityClient } from './identity';
import { createWorkflowClient, type WorkflowClient } from './workflow';

/** The four service clients and the health call, all sharing one {@link HttpClient}. */
export type HubClients = {
  readonly identity: IdentityClient;
  readonly content: ContentClient;
  readonly communication: CommunicationClient;
  readonly workflow: WorkflowClient;
  /** `GET /health` of one service. */
  health$(service: ServiceName): Observable<HealthResponse>;
};

/**
 * Every Hub client over one HTTP layer.
 *
 * @example
 * const hub = createHubClients(createHttpClient({ baseUrls }));
 * hub.content.getDocument$(id).subscribe(console.log);
 */
export function createHubClients(http: HttpClient): HubClients {
  return new HubClientSet(http);
}

/**
 * Each client built on first use: an operation makes its own set, and most use two of the four. A
 * class, its getters on the prototype: an object literal with getters takes V8's slow path, and a
 * set is made for every operation.
 */
class HubClientSet implements HubClients {
  readonly #http: HttpClient;
  #identity: IdentityClient | undefined;
  #content: ContentClient | undefined;
  #communication: CommunicationClient | undefined;
  #workflow: WorkflowClient | undefined;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  get identity(): IdentityClient {
    return (this.#identity ??= createIdentityClient(this.#http));
  }

  get content(): ContentClient {
    return (this.#content ??= createContentClient(this.#http));
  }

  get communication(): CommunicationClient {
    return (this.#communication ??= createCommunicationClient(this.#http));
  }

  get workflow(): WorkflowClient {
    return (this.#workflow ??= createWorkflowClient(this.#http));
  }

  /** An own property, as it was: `const { health$ } = clients` still works without `this`. */
  readonly health$ = (service: ServiceName): Observable<HealthResponse> => getHealth$(this.#http, service);
}

// The HTTP layer
export {
  createHttpClient,
  type CallInfo,
  type CallWrapper,
  type HttpClient,
  type HttpClientOptions,
  type RequestSpec,
  type SentObserver,
} from './http';

// Path templates
export { fillPath } from './paths';

// The session: its token, and one refresh on a 401
export { SessionStore, sessionFromLogin, type Session, type SessionAuth, type SessionStoreOptions } from './session';

// Shared building blocks
export {
  jsonObject,
  MAX_PAGES,
  MessageResponseSchema,
  numberFromString,
  PAGE_SIZE,
  utcTimestamp,
  uuid,
  type MessageResponse,
} from './schemas';

// Health
export { getHealth$, HealthResponseSchema, type HealthResponse } from './health';

// Identity
export {
  createIdentityClient,
  DeleteUserResponseSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  RefreshRequestSchema,
  RefreshResponseSchema,
  RegisterRequestSchema,
  RegisterResponseSchema,
  TokenInfoSchema,
  UserListSchema,
  UserSchema,
  UserStatusSchema,
  UserSummarySchema,
  VerifyEmailRequestSchema,
  VerifyEmailResponseSchema,
  type DeleteUserResponse,
  type IdentityClient,
  type ListUsersQuery,
  type LoginRequest,
  type LoginResponse,
  type RefreshRequest,
  type RefreshResponse,
  type RegisterRequest,
  type RegisterResponse,
  type TokenInfo,
  type User,
  type UserList,
  type UserStatus,
  type UserSummary,
  type VerifyEmailRequest,
  type VerifyEmailResponse,
} from './identity';

// Content
export {
  ClassificationSchema,
  createContentClient,
  DocumentDetailSchema,
  DocumentListItemSchema,
  DocumentListSchema,
  DocumentStatusSchema,
  PaginationSchema,
  SearchResponseSchema,
  SearchResultSchema,
  SearchStubSchema,
  type Classification,
  type ContentClient,
  type DocumentDetail,
  type DocumentList,
  type DocumentListItem,
  type DocumentStatus,
  type ListDocumentsQuery,
  type Pagination,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
} from './content';

// Communication
export {
  BulkNotificationRequestSchema,
  BulkNotificationResponseSchema,
  ConversationRequestSchema,
  ConversationSchema,
  ConversationTypeSchema,
  createCommunicationClient,
  NotificationRequestSchema,
  NotificationResponseSchema,
  NotificationTypeSchema,
  type BulkNotificationRequest,
  type BulkNotificationResponse,
  type CommunicationClient,
  type Conversation,
  type ConversationRequest,
  type ConversationType,
  type NotificationRequest,
  type NotificationResponse,
  type NotificationType,
} from './communication';

// Workflow
export {
  createWorkflowClient,
  DefinitionListSchema,
  DefinitionListStubSchema,
  DefinitionSchema,
  StartWorkflowRequestSchema,
  WorkflowInstanceSchema,
  WorkflowStatusSchema,
  WorkflowStatusValueSchema,
  type Definition,
  type DefinitionFilter,
  type DefinitionList,
  type StartWorkflowRequest,
  type WorkflowClient,
  type WorkflowInstance,
  type WorkflowStatus,
  type WorkflowStatusValue,
} from './workflow';
