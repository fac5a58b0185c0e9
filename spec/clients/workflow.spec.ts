import nock from 'nock';
import { firstValueFrom } from 'rxjs';
import { isOrchestratorError } from '../../src/errors';
import { createWorkflowClient } from '../../src/clients';
import { BASE_URLS, IDS, TOKEN, describeErrorMapping, errorOf, testHttp, useNock } from './helpers';

const workflow = () => nock(BASE_URLS.workflow);
const bearer = `Bearer ${TOKEN}`;
const TEMPLATE = '1a2b3c4d-5e6f-4a7b-8c9d-aabbccddeeff';
const INACTIVE = '9f8e7d6c-5b4a-4392-8171-605f4e3d2c1b';

const definition = (overrides: Record<string, unknown> = {}) => ({
  id: IDS.definition,
  name: 'Document review',
  category: 'review',
  is_template: false,
  is_active: true,
  trigger_events: ['document_uploaded', 'search_results'],
  description: null,
  ...overrides,
});

const definitions = [
  definition(),
  definition({ id: TEMPLATE, name: 'Onboarding', is_template: true, trigger_events: ['user_onboarding'] }),
  definition({ id: INACTIVE, name: 'Old', is_active: false, trigger_events: [] }),
];

const instance = (overrides: Record<string, unknown> = {}) => ({
  workflow_id: IDS.instance,
  definition_id: IDS.definition,
  entity_id: IDS.document,
  current_state: 'draft',
  status: 'active',
  progress_percentage: '0',
  available_actions: ['submit'],
  created_at: '2024-06-01T10:00:00+00:00',
  created_by: IDS.user,
  organization: IDS.org,
  ...overrides,
});

describe('workflow client', () => {
  useNock();

  describe('listDefinitions$ (extension)', () => {
    it('unwraps the definitions, with the bearer token', async () => {
      workflow().get('/api/v1/definitions').query({}).matchHeader('authorization', bearer).reply(200, { definitions });
      const result = await firstValueFrom(createWorkflowClient(testHttp().http).listDefinitions$());
      expect(result.map((d) => d.id)).toEqual([IDS.definition, TEMPLATE, INACTIVE]);
    });

    it('sends the filters, and applies them here too when the server ignores them', async () => {
      workflow().get('/api/v1/definitions').query({ is_template: 'true', trigger: 'user_onboarding' }).reply(200, { definitions });
      const result = await firstValueFrom(
        createWorkflowClient(testHttp().http).listDefinitions$({ is_template: true, trigger: 'user_onboarding' }),
      );
      expect(result.map((d) => d.id)).toEqual([TEMPLATE]);
    });

    it('filters on trigger alone', async () => {
      workflow().get('/api/v1/definitions').query({ trigger: 'search_results' }).reply(200, { definitions });
      const result = await firstValueFrom(createWorkflowClient(testHttp().http).listDefinitions$({ trigger: 'search_results' }));
      expect(result.map((d) => d.id)).toEqual([IDS.definition]);
    });

    it('is unsupported where the Hub answers the upstream stub', async () => {
      workflow()
        .get('/api/v1/definitions')
        .reply(200, {
          message: 'Workflow definitions endpoint',
          definitions: [
            { id: 'document-approval', name: 'Document Approval', category: 'approval' },
            { id: 'user-onboarding', name: 'User Onboarding', category: 'onboarding' },
          ],
        });
      const error = await errorOf(createWorkflowClient(testHttp().http).listDefinitions$());
      expect(error).toMatchObject({ code: 'unsupported', service: 'workflow', endpoint: 'GET /api/v1/definitions', retryable: false });
    });

    it.each([
      [404, { detail: 'Not Found' }],
      [405, { detail: 'Method Not Allowed' }],
    ])('is unsupported on %i', async (status, body) => {
      workflow().get('/api/v1/definitions').reply(status, body);
      const error = await errorOf(createWorkflowClient(testHttp().http).listDefinitions$());
      expect(error).toMatchObject({ code: 'unsupported', status });
    });
  });

  describe('getDefinition$ (extension)', () => {
    it('reads one definition', async () => {
      workflow()
        .get(`/api/v1/definitions/${IDS.definition}`)
        .matchHeader('authorization', bearer)
        .reply(200, definition({ description: 'Reviews documents', steps: 4 }));
      const result = await firstValueFrom(createWorkflowClient(testHttp().http).getDefinition$(IDS.definition));
      expect(result).toMatchObject({ id: IDS.definition, is_active: true, description: 'Reviews documents' });
      expect('steps' in result).toBe(false);
    });

    it('keeps a 404 "Definition not found" an http error, while 404 "Not Found" is unsupported', async () => {
      workflow().get(`/api/v1/definitions/${IDS.definition}`).reply(404, { detail: 'Definition not found' });
      const notFound = await errorOf(createWorkflowClient(testHttp().http).getDefinition$(IDS.definition));
      expect(notFound).toMatchObject({ code: 'http', status: 404 });
      expect(notFound.message).toContain('Definition not found');

      workflow().get(`/api/v1/definitions/${IDS.definition}`).reply(404, { detail: 'Not Found' });
      const unsupported = await errorOf(createWorkflowClient(testHttp().http).getDefinition$(IDS.definition));
      expect(unsupported).toMatchObject({ code: 'unsupported', status: 404 });
    });

    it('gives a validation error naming workflow and the endpoint when the definition does not fit', async () => {
      workflow()
        .get(`/api/v1/definitions/${IDS.definition}`)
        .reply(200, definition({ is_active: 'yes' }));
      const error = await errorOf(createWorkflowClient(testHttp().http).getDefinition$(IDS.definition));
      expect(error).toMatchObject({ code: 'validation', endpoint: 'GET /api/v1/definitions/{id}' });
      expect(error.message).toContain('workflow GET /api/v1/definitions/{id}');
    });

    it('keeps a hostile id inside its path segment', async () => {
      const scope = workflow().get('/api/v1/definitions/..%2F..%2Fauth%2Flogin').reply(404, { detail: 'Definition not found' });
      await errorOf(createWorkflowClient(testHttp().http).getDefinition$('../../auth/login'));
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('startWorkflow$', () => {
    it('posts the start request and reads progress_percentage as a number', async () => {
      workflow()
        .post('/api/v1/workflows', { definition_id: IDS.definition, entity_id: IDS.document, context: { title: 'MSA' } })
        .matchHeader('authorization', bearer)
        .reply(200, instance());
      const result = await firstValueFrom(
        createWorkflowClient(testHttp().http).startWorkflow$({
          definition_id: IDS.definition,
          entity_id: IDS.document,
          context: { title: 'MSA' },
        }),
      );
      expect(result.progress_percentage).toBe(0);
      expect(result).toMatchObject({ workflow_id: IDS.instance, status: 'active', available_actions: ['submit'] });
      // The seed's examples read the started instance's id as `id`.
      expect(result.id).toBe(IDS.instance);
    });

    it('sends no context when none is given and accepts a numeric progress too', async () => {
      workflow()
        .post('/api/v1/workflows', { definition_id: IDS.definition, entity_id: 'user-42' })
        .reply(200, instance({ progress_percentage: 12.5 }));
      const result = await firstValueFrom(
        createWorkflowClient(testHttp().http).startWorkflow$({ definition_id: IDS.definition, entity_id: 'user-42' }),
      );
      expect(result.progress_percentage).toBe(12.5);
    });

    it('gives a validation error for a progress that is not a number', async () => {
      workflow()
        .post('/api/v1/workflows')
        .reply(200, instance({ progress_percentage: 'lots' }));
      const error = await errorOf(createWorkflowClient(testHttp().http).startWorkflow$({ definition_id: IDS.definition, entity_id: 'x' }));
      expect(error).toMatchObject({ code: 'validation', endpoint: 'POST /api/v1/workflows' });
      expect(error.issues?.[0]?.path).toBe('progress_percentage');
    });

    it('maps 400 "definition not found or inactive" to a non-retryable http error', async () => {
      workflow().post('/api/v1/workflows').reply(400, { detail: 'Workflow definition not found or inactive' });
      const error = await errorOf(createWorkflowClient(testHttp().http).startWorkflow$({ definition_id: INACTIVE, entity_id: 'x' }));
      expect(error).toMatchObject({ code: 'http', status: 400, retryable: false, idempotent: false });
    });
  });

  describe('getWorkflowStatus$', () => {
    it('reads the instance status', async () => {
      workflow()
        .get(`/api/v1/workflows/${IDS.instance}/status`)
        .matchHeader('authorization', bearer)
        .reply(200, {
          instance_id: IDS.instance,
          definition_id: IDS.definition,
          entity_id: IDS.document,
          current_state: 'review',
          status: 'completed',
          progress_percentage: '100',
          started_at: '2024-06-01T10:00:00',
          completed_at: '2024-06-01T11:00:00',
          available_actions: [],
          context_data: { title: 'MSA' },
        });
      const status = await firstValueFrom(createWorkflowClient(testHttp().http).getWorkflowStatus$(IDS.instance));
      expect(status).toMatchObject({ status: 'completed', progress_percentage: 100, context_data: { title: 'MSA' } });
      expect(new Date(status.completed_at ?? '').toISOString()).toBe('2024-06-01T11:00:00.000Z');
    });

    it('keeps a hostile id inside its path segment', async () => {
      const scope = workflow().get('/api/v1/workflows/..%2F..%2Fauth%2Flogin/status').reply(404, { detail: 'Workflow not found' });
      const error = await errorOf(createWorkflowClient(testHttp().http).getWorkflowStatus$('../../auth/login'));
      expect(scope.isDone()).toBe(true);
      expect(error).toMatchObject({ code: 'http', status: 404 });
    });

    it.each(['..', '.'])('refuses the id %p before any request', async (id) => {
      const scope = workflow().get(/.*/).reply(200, {}).persist();
      const error: unknown = await firstValueFrom(createWorkflowClient(testHttp().http).getWorkflowStatus$(id)).catch(
        (reason: unknown) => reason,
      );
      expect(isOrchestratorError(error) && error.code).toBe('invalid_input');
      expect(scope.isDone()).toBe(false);
    });
  });

  it('honours a route override of the base URL and path', async () => {
    const scope = nock('http://flows.test').get(`/v2/instances/${IDS.instance}`).reply(404, { detail: 'Workflow not found' });
    const { http } = testHttp({
      baseUrls: { ...BASE_URLS, workflow: 'http://flows.test' },
      routes: { workflow: { getWorkflowStatus: '/v2/instances/{id}' } },
    });
    const error = await errorOf(createWorkflowClient(http).getWorkflowStatus$(IDS.instance));
    expect(scope.isDone()).toBe(true);
    expect(error.endpoint).toBe('GET /v2/instances/{id}');
  });

  describeErrorMapping({
    service: 'workflow',
    endpoint: 'POST /api/v1/workflows',
    intercept: () => workflow().post('/api/v1/workflows'),
    call: (http) => createWorkflowClient(http).startWorkflow$({ definition_id: IDS.definition, entity_id: IDS.document }),
  });
});
