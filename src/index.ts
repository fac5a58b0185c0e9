// @reactdjango-hub/orchestrator: reactive orchestration of the ReactDjango Hub services.
// Explicit named exports, grouped by layer; the simulator lives on its own subpath (`/simulator`).

// The facade
export {
  createServiceOrchestrator,
  getServiceOrchestrator,
  resetServiceOrchestrator,
  serviceOrchestrator,
  ServiceOrchestrator,
  type OperationOptions,
  type OperationResult,
  type OrchestratorEventListener,
} from './orchestrator';

// Options
export {
  DEFAULT_SERVICE_URLS,
  orchestratorConfigSchema,
  parseConfig,
  SERVICE_URL_ENV,
  type Logger,
  type OrchestratorConfig,
  type ResolvedConfig,
} from './config';

// Errors
export {
  isOrchestratorError,
  isRetryableFailure,
  isServiceError,
  OrchestratorError,
  SERVICE_NAMES,
  ServiceError,
  type ErrorDetails,
  type OrchestratorErrorCode,
  type ServiceErrorCode,
  type ServiceErrorInit,
  type ServiceName,
} from './errors';

// The custom operators
export {
  batchBuffer,
  computeBackoff,
  createBatcher,
  defaultShouldRetry,
  retryWithDelay,
  timeoutAfter,
  type BackoffConfig,
  type BatchBufferConfig,
  type BatchCloseReason,
  type Batcher,
  type BatcherConfig,
  type RetryInfo,
  type RetryWithDelayConfig,
  type TimeoutInfo,
} from './operators';
export { CircuitBreaker, isServiceFailure, type CircuitBreakerConfig, type GuardObserver } from './operators/circuitBreaker';

// The operations' inputs and results
export type { NotificationReceipt, Session } from './operations/context';
export { OnboardInputSchema, type OnboardInput, type OnboardResult } from './operations/onboardNewUser';
export { ProcessDocumentInputSchema, type ProcessDocumentResult } from './operations/processDocumentWithAI';
export { SearchAndTriggerInputSchema, type SearchAndTriggerResult } from './operations/searchAndTriggerWorkflows';
export { CollaborativeWorkspaceInputSchema, type CollaborativeWorkspaceResult } from './operations/setupCollaborativeWorkspace';

// Events, health and metrics
export type {
  BatchFlushEvent,
  CircuitState,
  CircuitStateChangeEvent,
  HealthStatus,
  OperationCompleteEvent,
  OperationErrorEvent,
  OperationName,
  OperationRetryEvent,
  OperationStartEvent,
  OperationStepEvent,
  OrchestratorEvent,
  OrchestratorEventType,
  ServiceHealth,
  ServiceHealthChangeEvent,
} from './streams/events';
export { overallStatus, type SystemHealthCheck } from './streams/health';
export { LATENCY_WINDOW, type OperationMetrics, type OrchestratorMetrics, type ServiceMetrics } from './streams/metrics';

// Secrets
export { redact, redactText, REDACTED } from './redact';

// The Hub clients: one per service over one HTTP layer, with the zod schemas of every body
export {
  createCommunicationClient,
  createContentClient,
  createHttpClient,
  createHubClients,
  createIdentityClient,
  createWorkflowClient,
  defaultRoutes,
  getHealth$,
  MAX_PAGES,
  PAGE_SIZE,
  resolveRoutes,
  BulkNotificationResponseSchema,
  ConversationRequestSchema,
  ConversationSchema,
  DefinitionSchema,
  DocumentDetailSchema,
  DocumentListItemSchema,
  DocumentListSchema,
  HealthResponseSchema,
  LoginResponseSchema,
  NotificationRequestSchema,
  NotificationResponseSchema,
  RegisterRequestSchema,
  RegisterResponseSchema,
  SearchResponseSchema,
  SearchResultSchema,
  UserSchema,
  UserSummarySchema,
  WorkflowInstanceSchema,
  WorkflowStatusSchema,
  type BulkNotificationResponse,
  type CallInfo,
  type CallWrapper,
  type CommunicationClient,
  type ContentClient,
  type Conversation,
  type ConversationRequest,
  type Definition,
  type DefinitionFilter,
  type DocumentDetail,
  type DocumentList,
  type DocumentListItem,
  type HealthResponse,
  type HttpClient,
  type HttpClientOptions,
  type HubClients,
  type IdentityClient,
  type ListDocumentsQuery,
  type ListUsersQuery,
  type LoginResponse,
  type NotificationRequest,
  type NotificationResponse,
  type RegisterRequest,
  type RegisterResponse,
  type RequestSpec,
  type RouteDef,
  type RouteName,
  type RouteOverrides,
  type RouteTable,
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type TokenProvider,
  type User,
  type UserSummary,
  type WorkflowClient,
  type WorkflowInstance,
  type WorkflowStatus,
} from './clients';
