import { SEED } from '../../src/simulator';

/**
 * The exchanges of hub-recorded.md, one per row: the request, what the recording says of the answer
 * (status, the keys it names, the texts a user or the library reads), and how the library reads it.
 * The bodies in fixtures/ are full bodies of that shape; ids and timestamps in them are stand-ins.
 */
export interface Exchange {
  /** The row, as hub-recorded.md words it. */
  name: string;
  /** The hub mode the row was recorded in: `upstream` (a working validator) or `deployed`. */
  mode: 'upstream' | 'deployed';
  /** A step the simulator needs before the request: `instance` starts a workflow, whose id replaces `{instance}`. */
  setup?: 'instance';
  request: {
    service: 'identity' | 'content' | 'communication' | 'workflow';
    method: 'GET' | 'POST' | 'DELETE';
    /** The path with its query. */
    path: string;
    body?: unknown;
    auth: 'none' | 'token' | 'basic' | 'forged';
  };
  recorded: {
    status: number;
    /** `json` or `text` (Starlette's plain-text 500). */
    kind: 'json' | 'text';
    /** Dotted paths the recording names; each is present in the fixture and in the simulator's answer. */
    keys: string[];
    /** Dotted path → the exact text, or `/regex/`; `''` is a plain-text body as a whole. */
    texts: Record<string, string>;
  };
  /**
   * How the library reads the answer: through the route `service.route` of its route table with the
   * schemas named (exports of src/clients), expecting `ok` or a ServiceError; `schema` alone for a body
   * no route fetches; null where the library never calls the route.
   */
  library: {
    route?: string;
    schema?: string;
    stub?: string;
    expect: 'ok' | { code: string; status?: number; reason?: string };
  } | null;
}

const { demo, bob, unverified, locked } = SEED.users;
const doc = SEED.documents.quarterlyReport;
const ai = SEED.definitions.aiProcessing;
const UNKNOWN = '99999999-0000-4000-8000-000000000099';
const HEALTH_KEYS = ['status', 'service', 'version'];

export const EXCHANGES: Exchange[] = [
  // ── Auth across services ──
  {
    name: 'content, no Authorization header',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/documents?limit=2', auth: 'none' },
    recorded: { status: 403, kind: 'json', keys: ['detail'], texts: { detail: 'Not authenticated' } },
    library: {
      route: 'content.listDocuments',
      schema: 'DocumentListSchema',
      expect: { code: 'auth', status: 403, reason: 'Not authenticated' },
    },
  },
  {
    name: 'communication, Authorization: Basic …',
    mode: 'upstream',
    request: { service: 'communication', method: 'POST', path: '/api/v1/notifications', body: {}, auth: 'basic' },
    recorded: { status: 403, kind: 'json', keys: ['detail'], texts: { detail: 'Invalid authentication credentials' } },
    library: {
      route: 'communication.createNotification',
      schema: 'NotificationResponseSchema',
      expect: { code: 'auth', status: 403, reason: 'Invalid authentication credentials' },
    },
  },
  {
    name: "workflow, a real access token from identity's login (as deployed)",
    mode: 'deployed',
    request: { service: 'workflow', method: 'GET', path: '/api/v1/definitions', auth: 'token' },
    recorded: { status: 401, kind: 'json', keys: ['detail'], texts: { detail: 'Token validation failed' } },
    library: {
      route: 'workflow.listDefinitions',
      schema: 'DefinitionListSchema',
      stub: 'DefinitionListStubSchema',
      expect: { code: 'auth', status: 401, reason: 'Token validation failed' },
    },
  },
  {
    name: 'content, a token the validator rejects',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: `/api/v1/documents/${doc.id}`, auth: 'forged' },
    recorded: { status: 401, kind: 'json', keys: ['detail'], texts: { detail: 'Token validation failed' } },
    library: {
      route: 'content.getDocument',
      schema: 'DocumentDetailSchema',
      expect: { code: 'auth', status: 401, reason: 'Token validation failed' },
    },
  },

  // ── Identity ──
  {
    name: 'GET /health',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/health', auth: 'none' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: ['status', 'service', 'version', 'mode', 'database', 'timestamp', 'features'],
      texts: { status: 'healthy', service: 'auth-service', version: '2.0.0', mode: 'full', database: 'connected' },
    },
    library: { route: 'identity.health', schema: 'HealthResponseSchema', expect: 'ok' },
  },
  {
    name: 'POST /auth/register, password "pw"',
    mode: 'upstream',
    request: {
      service: 'identity',
      method: 'POST',
      path: '/auth/register',
      body: { email: 'short.pw@hub.local', password: 'pw', first_name: 'Short', last_name: 'Password' },
      auth: 'none',
    },
    recorded: {
      status: 200,
      kind: 'json',
      keys: ['message', 'user_id', 'email', 'verification_required', 'verification_token', 'next_step'],
      texts: {
        message: 'Account created successfully. Please check your email to verify your account.',
        next_step: 'Please check your email for verification link',
        verification_token: '/^[A-Za-z0-9_-]{43}$/',
      },
    },
    library: { route: 'identity.register', schema: 'RegisterResponseSchema', expect: 'ok' },
  },
  {
    name: 'POST /auth/register, bad email / missing names',
    mode: 'upstream',
    request: { service: 'identity', method: 'POST', path: '/auth/register', body: { email: 'nope', password: 'pw' }, auth: 'none' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc', 'detail.0.msg', 'detail.0.input'],
      texts: { 'detail.0.loc': 'body,email', 'detail.1.loc': 'body,first_name', 'detail.2.loc': 'body,last_name' },
    },
    library: {
      route: 'identity.register',
      schema: 'RegisterResponseSchema',
      expect: { code: 'http', status: 422, reason: 'body.email: value is not a valid email address' },
    },
  },
  {
    name: 'POST /auth/register, email taken',
    mode: 'upstream',
    request: {
      service: 'identity',
      method: 'POST',
      path: '/auth/register',
      body: { email: bob.email, password: 'pw', first_name: 'Bob', last_name: 'Again' },
      auth: 'none',
    },
    recorded: { status: 400, kind: 'json', keys: ['detail'], texts: { detail: 'Email already registered' } },
    library: {
      route: 'identity.register',
      schema: 'RegisterResponseSchema',
      expect: { code: 'http', status: 400, reason: 'Email already registered' },
    },
  },
  {
    name: 'POST /auth/login, malformed email ("nope")',
    mode: 'upstream',
    request: { service: 'identity', method: 'POST', path: '/auth/login', body: { email: 'nope', password: 'pw' }, auth: 'none' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc', 'detail.0.msg'],
      texts: { 'detail.0.loc': 'body,email' },
    },
    library: {
      route: 'identity.login',
      schema: 'LoginResponseSchema',
      expect: { code: 'http', status: 422, reason: 'body.email: value is not a valid email address' },
    },
  },
  {
    name: 'POST /auth/login, wrong password',
    mode: 'upstream',
    request: {
      service: 'identity',
      method: 'POST',
      path: '/auth/login',
      body: { email: demo.email, password: 'WrongPass1!' },
      auth: 'none',
    },
    recorded: { status: 401, kind: 'json', keys: ['detail'], texts: { detail: 'Invalid email or password' } },
    library: {
      route: 'identity.login',
      schema: 'LoginResponseSchema',
      expect: { code: 'auth', status: 401, reason: 'Invalid email or password' },
    },
  },
  {
    name: 'POST /auth/login, not verified',
    mode: 'upstream',
    request: {
      service: 'identity',
      method: 'POST',
      path: '/auth/login',
      body: { email: unverified.email, password: unverified.password },
      auth: 'none',
    },
    recorded: {
      status: 403,
      kind: 'json',
      keys: ['detail'],
      texts: { detail: 'Email verification required. Please verify your account before logging in.' },
    },
    library: {
      route: 'identity.login',
      schema: 'LoginResponseSchema',
      expect: { code: 'auth', status: 403, reason: 'Email verification required. Please verify your account before logging in.' },
    },
  },
  {
    name: 'POST /auth/login, locked',
    mode: 'upstream',
    request: {
      service: 'identity',
      method: 'POST',
      path: '/auth/login',
      body: { email: locked.email, password: locked.password },
      auth: 'none',
    },
    recorded: { status: 423, kind: 'json', keys: ['detail'], texts: { detail: '/^Account locked until \\d{4}-\\d{2}-\\d{2}T/' } },
    library: {
      route: 'identity.login',
      schema: 'LoginResponseSchema',
      expect: { code: 'http', status: 423, reason: 'Account locked until' },
    },
  },
  {
    name: 'GET /users?limit=0',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/users?limit=0', auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: [], texts: {} },
    library: { route: 'identity.listUsers', schema: 'UserListSchema', expect: 'ok' },
  },
  {
    name: 'GET /users?limit=500',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/users?limit=500', auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: ['0.id', '0.email', '0.bio', '0.avatar_url', '5.id'], texts: {} },
    library: { route: 'identity.listUsers', schema: 'UserListSchema', expect: 'ok' },
  },
  {
    name: 'GET /users?limit=abc',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/users?limit=abc', auth: 'none' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc'],
      texts: { 'detail.0.type': 'int_parsing', 'detail.0.loc': 'query,limit' },
    },
    library: { route: 'identity.listUsers', schema: 'UserListSchema', expect: { code: 'http', status: 422, reason: 'query.limit:' } },
  },
  {
    name: 'GET /users/not-a-uuid',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/users/not-a-uuid', auth: 'none' },
    recorded: { status: 500, kind: 'json', keys: ['detail'], texts: { detail: '/^Failed to get user: ./' } },
    library: { route: 'identity.getUser', schema: 'UserSchema', expect: { code: 'http', status: 500, reason: 'Failed to get user: ' } },
  },
  {
    name: 'GET /users/{id}',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: `/users/${bob.id}`, auth: 'none' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'id',
        'email',
        'first_name',
        'last_name',
        'phone_number',
        'timezone',
        'language',
        'is_verified',
        'status',
        'last_login_at',
        'created_at',
        'updated_at',
        'bio',
        'avatar_url',
      ],
      texts: { email: bob.email },
    },
    library: { route: 'identity.getUser', schema: 'UserSchema', expect: 'ok' },
  },
  {
    name: 'DELETE /users/{id}',
    mode: 'upstream',
    request: { service: 'identity', method: 'DELETE', path: `/users/${bob.id}`, auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: ['message'], texts: { message: `User ${bob.email} deleted successfully` } },
    library: { route: 'identity.deleteUser', schema: 'DeleteUserResponseSchema', expect: 'ok' },
  },
  {
    name: 'GET /auth/me',
    mode: 'upstream',
    request: { service: 'identity', method: 'GET', path: '/auth/me', auth: 'forged' },
    recorded: { status: 200, kind: 'json', keys: ['id', 'email', 'bio'], texts: { email: demo.email } },
    library: { schema: 'UserSchema', expect: 'ok' },
  },
  {
    name: 'POST /auth/resend-verification',
    mode: 'upstream',
    request: { service: 'identity', method: 'POST', path: '/auth/resend-verification', body: { email: unverified.email }, auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: ['message', 'details.verification_token'], texts: { message: 'Verification email sent' } },
    library: null,
  },
  {
    name: 'POST /auth/validate',
    mode: 'upstream',
    request: { service: 'identity', method: 'POST', path: '/auth/validate', auth: 'token' },
    recorded: { status: 404, kind: 'json', keys: ['detail'], texts: { detail: 'Not Found' } },
    library: { route: 'identity.validateToken', schema: 'TokenInfoSchema', expect: { code: 'unsupported', status: 404 } },
  },
  {
    name: 'POST /auth/refresh',
    mode: 'upstream',
    request: { service: 'identity', method: 'POST', path: '/auth/refresh', body: { refresh_token: 'any' }, auth: 'none' },
    recorded: { status: 404, kind: 'json', keys: ['detail'], texts: { detail: 'Not Found' } },
    library: { route: 'identity.refreshToken', schema: 'RefreshResponseSchema', expect: { code: 'unsupported', status: 404 } },
  },

  // ── Content ──
  {
    name: 'content GET /health',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/health', auth: 'none' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        ...HEALTH_KEYS,
        'port',
        'dependencies.redis',
        'dependencies.identity-service',
        'dependencies.database',
        'metrics.uptime_seconds',
        'metrics.active_connections',
        'metrics.memory_usage_mb',
      ],
      texts: { service: 'content-service', status: 'healthy', version: '1.0.0', port: '8002' },
    },
    library: { route: 'content.health', schema: 'HealthResponseSchema', expect: 'ok' },
  },
  {
    name: 'GET /documents?limit=2 (tag ignored)',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/documents?limit=2&tag=template', auth: 'token' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'documents.0.id',
        'documents.1.id',
        'pagination.limit',
        'pagination.offset',
        'pagination.total',
        'pagination.has_next',
        'pagination.has_prev',
        'filters_applied.status',
        'total_size',
      ],
      texts: { 'filters_applied.status': 'active', 'pagination.limit': '2' },
    },
    library: { route: 'content.listDocuments', schema: 'DocumentListSchema', expect: 'ok' },
  },
  {
    name: 'GET /documents?limit=0',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/documents?limit=0', auth: 'token' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc'],
      texts: { 'detail.0.type': 'greater_than_equal', 'detail.0.loc': 'query,limit' },
    },
    library: {
      route: 'content.listDocuments',
      schema: 'DocumentListSchema',
      expect: { code: 'http', status: 422, reason: 'query.limit: Input should be greater than or equal to 1' },
    },
  },
  {
    name: 'GET /documents/not-a-uuid',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/documents/not-a-uuid', auth: 'token' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc'],
      texts: { 'detail.0.type': 'uuid_parsing', 'detail.0.loc': 'path,document_id' },
    },
    library: {
      route: 'content.getDocument',
      schema: 'DocumentDetailSchema',
      expect: { code: 'http', status: 422, reason: 'path.document_id: Input should be a valid UUID' },
    },
  },
  {
    name: 'GET /documents/{id}',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: `/api/v1/documents/${doc.id}`, auth: 'token' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'id',
        'filename',
        'original_filename',
        'content_type',
        'file_size',
        'file_hash',
        'organization_id',
        'status',
        'metadata.title',
        'metadata.tags',
        'metadata.classification',
        'metadata.custom_fields',
        'metadata.department',
        'audit.created_at',
        'audit.created_by',
        'audit.version',
        'audit.updated_by',
        'processing.status',
        'download_url',
        'preview_url',
        'current_version',
        'version_count',
        'permissions.read',
        'permissions.admin',
        'document_type',
        'extracted_text',
      ],
      texts: { version_count: '0' },
    },
    library: { route: 'content.getDocument', schema: 'DocumentDetailSchema', expect: 'ok' },
  },
  {
    name: 'GET /search?q=quarterly',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/search?q=quarterly', auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: ['message'], texts: { message: "Search 'quarterly' - will be implemented in Week 3" } },
    library: {
      route: 'content.search',
      schema: 'SearchResponseSchema',
      stub: 'SearchStubSchema',
      expect: { code: 'unsupported', reason: 'stub' },
    },
  },
  {
    name: 'GET /search?q=x&limit=0',
    mode: 'upstream',
    request: { service: 'content', method: 'GET', path: '/api/v1/search?q=x&limit=0', auth: 'none' },
    recorded: { status: 200, kind: 'json', keys: ['message'], texts: { message: "Search 'x' - will be implemented in Week 3" } },
    library: {
      route: 'content.search',
      schema: 'SearchResponseSchema',
      stub: 'SearchStubSchema',
      expect: { code: 'unsupported', reason: 'stub' },
    },
  },

  // ── Communication ──
  {
    name: 'communication GET /health',
    mode: 'upstream',
    request: { service: 'communication', method: 'GET', path: '/health', auth: 'none' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        ...HEALTH_KEYS,
        'port',
        'dependencies.redis',
        'dependencies.identity-service',
        'dependencies.celery-workers',
        'metrics.uptime_seconds',
      ],
      texts: { service: 'communication-service', 'dependencies.celery-workers': 'not-implemented' },
    },
    library: { route: 'communication.health', schema: 'HealthResponseSchema', expect: 'ok' },
  },
  {
    name: 'POST /notifications, valid body',
    mode: 'upstream',
    request: {
      service: 'communication',
      method: 'POST',
      path: '/api/v1/notifications',
      body: { type: 'in_app', to: bob.id, message: 'Hello' },
      auth: 'token',
    },
    recorded: { status: 500, kind: 'text', keys: [], texts: { '': 'Internal Server Error' } },
    library: {
      route: 'communication.createNotification',
      schema: 'NotificationResponseSchema',
      expect: { code: 'http', status: 500, reason: 'Internal Server Error' },
    },
  },
  {
    name: 'POST /notifications, unknown type',
    mode: 'upstream',
    request: {
      service: 'communication',
      method: 'POST',
      path: '/api/v1/notifications',
      body: { type: 'fax', to: bob.id, message: 'Hello' },
      auth: 'token',
    },
    recorded: { status: 500, kind: 'text', keys: [], texts: { '': 'Internal Server Error' } },
    library: {
      route: 'communication.createNotification',
      schema: 'NotificationResponseSchema',
      expect: { code: 'http', status: 500, reason: 'Internal Server Error' },
    },
  },
  {
    name: 'POST /notifications, missing fields',
    mode: 'upstream',
    request: { service: 'communication', method: 'POST', path: '/api/v1/notifications', body: {}, auth: 'token' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.loc', 'detail.1.loc'],
      texts: { 'detail.0.loc': 'body,to', 'detail.1.loc': 'body,message' },
    },
    library: {
      route: 'communication.createNotification',
      schema: 'NotificationResponseSchema',
      expect: { code: 'http', status: 422, reason: 'body.to: Field required; body.message: Field required' },
    },
  },
  {
    name: 'POST /notifications/bulk, a list (even [])',
    mode: 'upstream',
    request: { service: 'communication', method: 'POST', path: '/api/v1/notifications/bulk', body: [], auth: 'token' },
    recorded: { status: 500, kind: 'text', keys: [], texts: { '': 'Internal Server Error' } },
    // A 500, not `unsupported`: the route exists, so the batcher does not fall back (see notifications.ts).
    library: {
      route: 'communication.createBulkNotifications',
      schema: 'BulkNotificationResponseSchema',
      expect: { code: 'http', status: 500, reason: 'Internal Server Error' },
    },
  },
  {
    name: 'POST /notifications/bulk, not a list',
    mode: 'upstream',
    request: { service: 'communication', method: 'POST', path: '/api/v1/notifications/bulk', body: { type: 'in_app' }, auth: 'token' },
    recorded: {
      status: 422,
      kind: 'json',
      keys: ['detail.0.type', 'detail.0.loc'],
      texts: { 'detail.0.type': 'list_type', 'detail.0.loc': 'body' },
    },
    library: {
      route: 'communication.createBulkNotifications',
      schema: 'BulkNotificationResponseSchema',
      expect: { code: 'http', status: 422, reason: 'body: Input should be a valid list' },
    },
  },
  {
    name: 'GET /notifications/unread',
    mode: 'upstream',
    request: { service: 'communication', method: 'GET', path: '/api/v1/notifications/unread', auth: 'token' },
    recorded: { status: 500, kind: 'text', keys: [], texts: { '': 'Internal Server Error' } },
    library: null,
  },
  {
    name: 'GET /notifications/history',
    mode: 'upstream',
    request: { service: 'communication', method: 'GET', path: '/api/v1/notifications/history', auth: 'token' },
    recorded: { status: 500, kind: 'json', keys: ['detail'], texts: { detail: "name 'get_db_session' is not defined" } },
    library: null,
  },
  {
    name: 'GET /conversations',
    mode: 'upstream',
    request: { service: 'communication', method: 'GET', path: '/api/v1/conversations', auth: 'token' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: ['message', 'user_id', 'organization'],
      texts: { message: `Conversations for user ${demo.id} - TODO: implement` },
    },
    library: null,
  },
  {
    name: 'POST /conversations',
    mode: 'upstream',
    request: {
      service: 'communication',
      method: 'POST',
      path: '/api/v1/conversations',
      body: { title: 'T', type: 'group', participant_ids: [] },
      auth: 'token',
    },
    recorded: { status: 405, kind: 'json', keys: ['detail'], texts: { detail: 'Method Not Allowed' } },
    library: { route: 'communication.createConversation', schema: 'ConversationSchema', expect: { code: 'unsupported', status: 405 } },
  },

  // ── Workflow ──
  {
    name: 'workflow GET /health (degraded without an AI key)',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: '/health', auth: 'none' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        ...HEALTH_KEYS,
        'port',
        'dependencies.database.status',
        'dependencies.database.version',
        'dependencies.database.pool_size',
        'dependencies.database.checked_in',
        'dependencies.database.checked_out',
        'dependencies.database.overflow',
        'dependencies.database.invalid',
        'dependencies.redis',
        'dependencies.identity-service',
        'dependencies.ai-services.openai',
        'dependencies.ai-services.anthropic',
        'metrics',
      ],
      texts: {
        service: 'workflow-intelligence-service',
        status: 'degraded',
        'dependencies.ai-services.openai': 'not-configured',
        'dependencies.ai-services.anthropic': 'not-configured',
      },
    },
    library: { route: 'workflow.health', schema: 'HealthResponseSchema', expect: 'ok' },
  },
  {
    name: 'GET /definitions (any query)',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: '/api/v1/definitions?trigger=user_onboarding', auth: 'token' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'message',
        'definitions.0.id',
        'definitions.0.name',
        'definitions.0.category',
        'definitions.7.id',
        'requested_by',
        'organization',
      ],
      texts: {
        message: 'Workflow definitions - TODO: implement',
        'definitions.0.id': 'contract-approval',
        'definitions.0.name': 'Contract Approval Workflow',
        'definitions.0.category': 'procurement',
      },
    },
    library: {
      route: 'workflow.listDefinitions',
      schema: 'DefinitionListSchema',
      stub: 'DefinitionListStubSchema',
      expect: { code: 'unsupported', reason: 'stub' },
    },
  },
  {
    name: 'GET /definitions/{id}',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: `/api/v1/definitions/${ai.id}`, auth: 'token' },
    recorded: { status: 404, kind: 'json', keys: ['detail'], texts: { detail: 'Not Found' } },
    library: { route: 'workflow.getDefinition', schema: 'DefinitionSchema', expect: { code: 'unsupported', status: 404 } },
  },
  {
    name: 'POST /workflows, a slug definition_id',
    mode: 'upstream',
    request: {
      service: 'workflow',
      method: 'POST',
      path: '/api/v1/workflows',
      body: { definition_id: 'contract-approval', entity_id: doc.id },
      auth: 'token',
    },
    recorded: { status: 500, kind: 'json', keys: ['detail'], texts: { detail: 'Failed to create workflow instance' } },
    library: {
      route: 'workflow.startWorkflow',
      schema: 'WorkflowInstanceSchema',
      expect: { code: 'http', status: 500, reason: 'Failed to create workflow instance' },
    },
  },
  {
    name: 'POST /workflows, an unknown UUID',
    mode: 'upstream',
    request: {
      service: 'workflow',
      method: 'POST',
      path: '/api/v1/workflows',
      body: { definition_id: UNKNOWN, entity_id: doc.id },
      auth: 'token',
    },
    recorded: { status: 400, kind: 'json', keys: ['detail'], texts: { detail: `Workflow definition ${UNKNOWN} not found or inactive` } },
    library: {
      route: 'workflow.startWorkflow',
      schema: 'WorkflowInstanceSchema',
      expect: { code: 'http', status: 400, reason: `Workflow definition ${UNKNOWN} not found or inactive` },
    },
  },
  {
    name: 'POST /workflows, an active definition',
    mode: 'upstream',
    request: {
      service: 'workflow',
      method: 'POST',
      path: '/api/v1/workflows',
      body: { definition_id: ai.id, entity_id: doc.id },
      auth: 'token',
    },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'workflow_id',
        'definition_id',
        'entity_id',
        'current_state',
        'status',
        'progress_percentage',
        'available_actions',
        'created_at',
        'created_by',
        'organization',
      ],
      texts: { current_state: 'draft', status: 'active', progress_percentage: '0' },
    },
    library: { route: 'workflow.startWorkflow', schema: 'WorkflowInstanceSchema', expect: 'ok' },
  },
  {
    name: 'GET /workflows',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: '/api/v1/workflows', auth: 'token' },
    recorded: { status: 405, kind: 'json', keys: ['detail'], texts: { detail: 'Method Not Allowed' } },
    library: null,
  },
  {
    name: 'GET /workflows/{id}/status, unknown id',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: `/api/v1/workflows/${UNKNOWN}/status`, auth: 'token' },
    recorded: { status: 404, kind: 'json', keys: ['detail'], texts: { detail: 'Workflow instance not found' } },
    library: {
      route: 'workflow.getWorkflowStatus',
      schema: 'WorkflowStatusSchema',
      expect: { code: 'http', status: 404, reason: 'Workflow instance not found' },
    },
  },
  {
    name: 'GET /workflows/not-a-uuid/status',
    mode: 'upstream',
    request: { service: 'workflow', method: 'GET', path: '/api/v1/workflows/not-a-uuid/status', auth: 'token' },
    recorded: { status: 500, kind: 'json', keys: ['detail'], texts: { detail: 'Failed to retrieve workflow status' } },
    library: {
      route: 'workflow.getWorkflowStatus',
      schema: 'WorkflowStatusSchema',
      expect: { code: 'http', status: 500, reason: 'Failed to retrieve workflow status' },
    },
  },
  {
    name: 'GET /workflows/{id}/status',
    mode: 'upstream',
    setup: 'instance',
    request: { service: 'workflow', method: 'GET', path: '/api/v1/workflows/{instance}/status', auth: 'token' },
    recorded: {
      status: 200,
      kind: 'json',
      keys: [
        'instance_id',
        'definition_id',
        'entity_id',
        'current_state',
        'previous_state',
        'status',
        'progress_percentage',
        'started_at',
        'completed_at',
        'due_date',
        'is_overdue',
        'assigned_to',
        'available_actions',
        'context_data',
        'recent_history',
        'requested_by',
        'organization',
      ],
      texts: { current_state: 'draft' },
    },
    library: { route: 'workflow.getWorkflowStatus', schema: 'WorkflowStatusSchema', expect: 'ok' },
  },
];
