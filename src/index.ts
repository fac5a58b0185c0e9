// @reactdjango-hub/orchestrator: reactive orchestration of the ReactDjango Hub services.
// Explicit named exports, grouped by layer; the simulator lives on its own subpath (`/simulator`).

// The facade
export { createServiceOrchestrator, ServiceOrchestrator } from './orchestrator';
export type { OrchestratorEventListener } from './streams/listeners';
export { configureServiceOrchestrator, getServiceOrchestrator, resetServiceOrchestrator, serviceOrchestrator } from './defaultOrchestrator';
export { UPDATABLE_OPTIONS, type OrchestratorConfigUpdate, type OrchestratorSettings } from './settings';

// The Hub's vocabulary
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  INPUT_LIMITS,
  MAX_BULK_NOTIFICATIONS,
  MAX_TIMER_MS,
  OPERATION_NAMES,
  SERVICE_NAMES,
  type CircuitState,
  type HealthStatus,
  type HttpMethod,
  type OperationName,
  type ServiceName,
} from './hub';
export {
  defaultRoutes,
  endpointName,
  resolveRoutes,
  type RouteDef,
  type RouteName,
  type RouteOverrides,
  type RouteTable,
} from './hub/routes';

// Options
export {
  DEFAULT_SERVICE_URLS,
  LOG_LEVELS,
  orchestratorConfigSchema,
  parseConfig,
  SERVICE_URL_ENV,
  type FetchFunction,
  type Logger,
  type LogLevel,
  type OrchestratorConfig,
  type ResolvedConfig,
  type TokenProvider,
} from './config';

// Errors, and the checks that tell them apart
export {
  isOrchestratorError,
  isOutageError,
  isOutageFailure,
  isServiceError,
  isTransientFailure,
  OrchestratorError,
  ServiceError,
  type ErrorDetails,
  type Issue,
  type OrchestratorErrorCode,
  type ServiceErrorCode,
  type ServiceErrorInit,
} from './errors';

// The custom operators
export {
  batchBuffer,
  computeBackoff,
  defaultShouldRetry,
  retryWithDelay,
  timeoutAfter,
  type BackoffConfig,
  type BatchBufferConfig,
  type BatchCloseReason,
  type RetryInfo,
  type RetryWithDelayConfig,
  type TimeoutInfo,
} from './operators';

// Resilience and batching, built on the operators
export {
  CircuitBreaker,
  createCallPolicy,
  type CallPolicy,
  type CallPolicyConfig,
  type CircuitBreakerConfig,
  type GuardObserver,
  type OperationTag,
  RetryBudget,
  type RetryBudgetConfig,
  type RetryBudgetReport,
  type RetryBudgetState,
  type RetryReport,
} from './resilience';
export { createBatcher, type Batcher, type BatcherConfig, type BatchFlushReason } from './batching';

// The operations: their declarations, inputs and results
export {
  defineOperation,
  OPERATIONS,
  type OperationArgs,
  type OperationData,
  type OperationDefinition,
  type OperationFailure,
  type OperationMethods,
  type OperationObservableMethods,
  type OperationOptions,
  type OperationResult,
  type OperationSuccess,
  type Operations,
} from './operations';
export type { NotificationReceipt } from './operations/notifications';

// What a Hub can do: `orchestrator.capabilities()` and `hub-orchestrator doctor`
export {
  OPERATION_NEEDS,
  probeCapabilities,
  type Capability,
  type CapabilityOptions,
  type CapabilityProbeOptions,
  type CapabilityReport,
  type EndpointReport,
  type EndpointState,
  type OperationNeed,
  type TokenCheckedService,
  type TokenReport,
} from './operations/capabilities';
export { unwrap } from './operations/unwrap';
export { OperationRun, type OperationDeps, type OperationStepReport } from './operations/operationRun';
export { OnboardInputSchema, type OnboardInput, type OnboardResult } from './operations/onboardNewUser';
export { ProcessDocumentInputSchema, type ProcessDocumentResult } from './operations/processDocumentWithAI';
export { SearchAndTriggerInputSchema, type SearchAndTriggerResult } from './operations/searchAndTriggerWorkflows';
export { CollaborativeWorkspaceInputSchema, type CollaborativeWorkspaceResult } from './operations/setupCollaborativeWorkspace';

// Events, health and metrics
export type {
  BatchFlushEvent,
  CircuitStateChangeEvent,
  OperationCompleteEvent,
  OperationErrorEvent,
  OperationRetryEvent,
  OperationStartEvent,
  OperationStepEvent,
  OrchestratorEvent,
  OrchestratorEventType,
  RetryBudgetExhaustedEvent,
  ServiceHealth,
  ServiceHealthChangeEvent,
} from './streams/events';
export { overallStatus, type SystemHealthCheck } from './streams/health';
export { LATENCY_WINDOW, type OperationMetrics, type OrchestratorMetrics, type ServiceMetrics } from './streams/metrics';

// Tracing (OpenTelemetry, when the app hands over the API module)
export {
  createTracing,
  isTracingApi,
  type ActiveSpan,
  type AttemptInfo,
  type SpanFailure,
  type TraceAttributes,
  type TraceContext,
  type TraceSpan,
  type TraceSpanContext,
  type TraceSpanOptions,
  type TraceTracer,
  type Tracing,
  type TracingApi,
} from './tracing';

// Secrets
export { MIN_SECRET_LENGTH, redact, redactError, redactText, REDACTED, type SecretList } from './redact';

// The Hub clients: one per service over one HTTP layer, with the zod schemas of every body
export {
  createCommunicationClient,
  createContentClient,
  createHttpClient,
  createHubClients,
  createIdentityClient,
  createWorkflowClient,
  getHealth$,
  MAX_PAGES,
  PAGE_SIZE,
  SessionStore,
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
  type SentObserver,
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
  type SearchQuery,
  type SearchResponse,
  type SearchResult,
  type Session,
  type SessionAuth,
  type SessionStoreOptions,
  type User,
  type UserSummary,
  type WorkflowClient,
  type WorkflowInstance,
  type WorkflowStatus,
} from './clients';
