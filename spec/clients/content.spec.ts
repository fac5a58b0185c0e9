import nock from 'nock';
import { firstValueFrom } from 'rxjs';
import { isOrchestratorError } from '../../src/errors';
import { createContentClient } from '../../src/clients';
import { INPUT_LIMITS } from '../../src/hub';
import { BASE_URLS, IDS, TOKEN, describeErrorMapping, errorOf, testHttp, useNock } from './helpers';

const content = () => nock(BASE_URLS.content);
const bearer = `Bearer ${TOKEN}`;
const OTHER_DOC = '0f0e0d0c-0b0a-4909-8807-060504030201';

const listItem = (overrides: Record<string, unknown> = {}) => ({
  id: IDS.document,
  filename: 'contract.pdf',
  content_type: 'application/pdf',
  file_size: 52_431,
  document_type: 'contract',
  created_at: '2024-04-01T12:00:00+00:00',
  created_by: IDS.user,
  status: 'active',
  title: 'Master services agreement',
  tags: ['legal', 'template'],
  classification: 'internal',
  processing_complete: true,
  has_thumbnail: false,
  thumbnail_url: null,
  ...overrides,
});

const documentList = (documents: unknown[]) => ({
  documents,
  pagination: { limit: 20, offset: 0, total: documents.length, has_next: false, has_prev: false },
  filters_applied: {},
  total_size: 104_862,
});

const detail = (overrides: Record<string, unknown> = {}) => ({
  id: IDS.document,
  filename: 'contract.pdf',
  original_filename: 'MSA final v3.pdf',
  content_type: 'application/pdf',
  file_size: 52_431,
  file_hash: 'sha256:abc',
  organization_id: IDS.org,
  status: 'active',
  metadata: {
    title: 'Master services agreement',
    description: null,
    tags: ['legal'],
    classification: 'confidential',
    author: 'Ada',
    custom_fields: { client: 'ACME' },
  },
  audit: { created_at: '2024-04-01T12:00:00Z', created_by: IDS.user, updated_at: null, version: 3 },
  processing: { status: 'completed', ocr: true },
  download_url: `/api/v1/documents/${IDS.document}/download`,
  preview_url: `/api/v1/documents/${IDS.document}/preview`,
  text_preview: 'This agreement…',
  current_version: 3,
  version_count: 3,
  permissions: { read: true, write: true, delete: false, share: true, admin: false },
  ...overrides,
});

describe('content client', () => {
  useNock();

  describe('listDocuments$', () => {
    it('sends limit, offset and the bearer token, and reads the page', async () => {
      content()
        .get('/api/v1/documents')
        .query({ limit: '20', offset: '0' })
        .matchHeader('authorization', bearer)
        .reply(200, documentList([listItem(), listItem({ id: OTHER_DOC, tags: [], title: null })]));
      const page = await firstValueFrom(createContentClient(testHttp().http).listDocuments$({ limit: 20, offset: 0 }));
      expect(page.documents.map((doc) => doc.id)).toEqual([IDS.document, OTHER_DOC]);
      expect(page.pagination).toEqual({ limit: 20, offset: 0, total: 2, has_next: false, has_prev: false });
      expect(page.total_size).toBe(104_862);
    });

    it('sends ?tag= and keeps only documents carrying it when the server ignores the filter', async () => {
      content()
        .get('/api/v1/documents')
        .query({ tag: 'template' })
        .reply(200, documentList([listItem(), listItem({ id: OTHER_DOC, tags: ['legal'] })]));
      const page = await firstValueFrom(createContentClient(testHttp().http).listDocuments$({ tag: 'template' }));
      expect(page.documents.map((doc) => doc.id)).toEqual([IDS.document]);
    });

    it('listTaggedDocuments$ reads every page of a server that ignores the tag, keeping the tagged ones', async () => {
      const page = (offset: number, documents: unknown[], hasNext: boolean) => ({
        ...documentList(documents),
        pagination: { limit: 100, offset, total: 150, has_next: hasNext, has_prev: offset > 0 },
      });
      content()
        .get('/api/v1/documents')
        .query({ tag: 'template', limit: '100', offset: '0' })
        .reply(200, page(0, [listItem(), listItem({ id: OTHER_DOC, tags: ['legal'] })], true));
      content()
        .get('/api/v1/documents')
        .query({ tag: 'template', limit: '100', offset: '100' })
        .reply(200, page(100, [listItem({ id: IDS.definition, tags: ['template', 'hr'] })], false));
      const { listTaggedDocuments$ } = createContentClient(testHttp().http);
      const documents = await firstValueFrom(listTaggedDocuments$('template'));
      expect(documents.map((doc) => doc.id)).toEqual([IDS.document, IDS.definition]);
      expect(nock.isDone()).toBe(true);
    });

    it('maps a 422 for a limit out of range to an http error', async () => {
      content()
        .get('/api/v1/documents')
        .query({ limit: '500' })
        .reply(422, {
          detail: [{ type: 'less_than_equal', loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', input: '500' }],
        });
      const error = await errorOf(createContentClient(testHttp().http).listDocuments$({ limit: 500 }));
      expect(error).toMatchObject({ code: 'http', status: 422 });
      expect(error.message).toContain('query.limit: Input should be less than or equal to 100');
    });
  });

  describe('getDocument$', () => {
    it('reads the nested detail and drops the fields its type does not have', async () => {
      content()
        .get(`/api/v1/documents/${IDS.document}`)
        .matchHeader('authorization', bearer)
        .reply(200, detail({ checksum_algo: 'sha256' }));
      const doc = await firstValueFrom(createContentClient(testHttp().http).getDocument$(IDS.document));
      expect(doc.metadata).toMatchObject({
        title: 'Master services agreement',
        classification: 'confidential',
        custom_fields: { client: 'ACME' },
      });
      expect(doc.audit.version).toBe(3);
      expect(doc.processing).toEqual({ status: 'completed' });
      expect('checksum_algo' in doc).toBe(false);
      expect(doc.permissions.share).toBe(true);
    });

    it('gives a validation error naming content and the endpoint when the detail does not fit', async () => {
      content()
        .get(`/api/v1/documents/${IDS.document}`)
        .reply(200, detail({ permissions: { read: true }, status: 'shredded' }));
      const error = await errorOf(createContentClient(testHttp().http).getDocument$(IDS.document));
      expect(error).toMatchObject({ code: 'validation', service: 'content', endpoint: 'GET /api/v1/documents/{id}' });
      expect(error.message).toContain('content GET /api/v1/documents/{id}');
      expect(error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['status', 'permissions.write']));
    });

    it('keeps a 404 "Document not found" an http error', async () => {
      content().get(`/api/v1/documents/${IDS.document}`).reply(404, { detail: 'Document not found' });
      const error = await errorOf(createContentClient(testHttp().http).getDocument$(IDS.document));
      expect(error).toMatchObject({ code: 'http', status: 404 });
      expect(error.message).toContain('Document not found');
    });

    it('keeps a hostile id inside its path segment', async () => {
      const scope = content()
        .get('/api/v1/documents/..%2F..%2Fauth%2Flogin')
        .reply(422, {
          detail: [{ type: 'uuid_parsing', loc: ['path', 'document_id'], msg: 'Input should be a valid UUID', input: '../../auth/login' }],
        });
      const error = await errorOf(createContentClient(testHttp().http).getDocument$('../../auth/login'));
      expect(scope.isDone()).toBe(true);
      expect(error).toMatchObject({ code: 'http', status: 422 });
    });

    it.each(['..', '.'])('refuses the id %p before any request', async (id) => {
      const scope = content().get(/.*/).reply(200, detail()).persist();
      const error: unknown = await firstValueFrom(createContentClient(testHttp().http).getDocument$(id)).catch((reason: unknown) => reason);
      expect(isOrchestratorError(error) && error.code).toBe('invalid_input');
      expect(scope.isDone()).toBe(false);
    });
  });

  describe('search$ (extension)', () => {
    it('sends q, limit and offset and reads the scored hits', async () => {
      content()
        .get('/api/v1/search')
        .query({ q: 'service agreement', limit: '5', offset: '0' })
        .reply(200, {
          query: 'service agreement',
          total: 2,
          documents: [listItem({ score: 0.92 }), listItem({ id: OTHER_DOC, score: 0.4 })],
        });
      const result = await firstValueFrom(createContentClient(testHttp().http).search$({ q: 'service agreement', limit: 5, offset: 0 }));
      expect(result.total).toBe(2);
      expect(result.documents.map((doc) => [doc.id, doc.score])).toEqual([
        [IDS.document, 0.92],
        [OTHER_DOC, 0.4],
      ]);
    });

    it('refuses a query longer than INPUT_LIMITS.query before any request, naming it', async () => {
      const scope = content().get('/api/v1/search').query(true).reply(200, { query: 'x', total: 0, documents: [] }).persist();
      const { http } = testHttp();
      const error: unknown = await firstValueFrom(createContentClient(http).search$({ q: 'a'.repeat(INPUT_LIMITS.query + 1) })).catch(
        (reason: unknown) => reason,
      );
      expect(isOrchestratorError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'invalid_input',
        details: { issues: [{ path: '(query).q', message: 'must be at most 500 characters' }] },
      });
      expect(scope.isDone()).toBe(false);
      await expect(firstValueFrom(createContentClient(http).search$({ q: 'a'.repeat(INPUT_LIMITS.query) }))).resolves.toMatchObject({
        total: 0,
      });
    });

    it('is unsupported where the Hub answers the {message} stub', async () => {
      content().get('/api/v1/search').query(true).reply(200, { message: 'Search endpoint - to be implemented' });
      const error = await errorOf(createContentClient(testHttp().http).search$({ q: 'x' }));
      expect(error).toMatchObject({ code: 'unsupported', service: 'content', endpoint: 'GET /api/v1/search', retryable: false });
    });

    it('is a validation error (not unsupported) for a body that is neither the stub nor a result', async () => {
      content().get('/api/v1/search').query(true).reply(200, { message: 'hello', total: 'many' });
      const error = await errorOf(createContentClient(testHttp().http).search$({ q: 'x' }));
      expect(error.code).toBe('validation');
    });

    it.each([
      [404, { detail: 'Not Found' }],
      [405, { detail: 'Method Not Allowed' }],
    ])('is unsupported on %i', async (status, body) => {
      content().get('/api/v1/search').query(true).reply(status, body);
      const error = await errorOf(createContentClient(testHttp().http).search$({ q: 'x' }));
      expect(error).toMatchObject({ code: 'unsupported', status });
    });
  });

  describe('route overrides', () => {
    it('sends to an overridden base URL with a path prefix', async () => {
      const scope = nock('http://gateway.test').get(`/content/api/v1/documents/${IDS.document}`).reply(200, detail());
      const { http } = testHttp({ baseUrls: { ...BASE_URLS, content: 'http://gateway.test/content' } });
      await firstValueFrom(createContentClient(http).getDocument$(IDS.document));
      expect(scope.isDone()).toBe(true);
    });

    it('sends to an overridden path, and names it in errors', async () => {
      const scope = content().get('/api/v2/find').query({ q: 'x' }).reply(500, 'Internal Server Error', { 'Content-Type': 'text/plain' });
      const { http } = testHttp({ routes: { content: { search: '/api/v2/find' } } });
      const error = await errorOf(createContentClient(http).search$({ q: 'x' }));
      expect(scope.isDone()).toBe(true);
      expect(error).toMatchObject({ code: 'http', status: 500, endpoint: 'GET /api/v2/find' });
    });

    it('sends to an absolute URL given as the route', async () => {
      const scope = nock('http://search.test').get('/v1/search').query({ q: 'x' }).reply(200, { query: 'x', total: 0, documents: [] });
      const { http } = testHttp({ routes: { content: { search: { path: 'http://search.test/v1/search' } } } });
      await expect(firstValueFrom(createContentClient(http).search$({ q: 'x' }))).resolves.toEqual({ query: 'x', total: 0, documents: [] });
      expect(scope.isDone()).toBe(true);
    });
  });

  describeErrorMapping({
    service: 'content',
    endpoint: 'GET /api/v1/documents/{id}',
    intercept: () => content().get(`/api/v1/documents/${IDS.document}`),
    call: (http) => createContentClient(http).getDocument$(IDS.document),
  });
});
