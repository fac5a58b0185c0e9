import { createHash } from 'node:crypto';
import { HttpError } from './http';
import { requireUser, type RequestContext, type Route } from './routing';
import { SEED } from './seed';
import type { DocumentRecord } from './records';
import { CONFIGURED_PORTS, offsetTimestamp } from './state';
import { Inputs } from './validation';

function listItemJson(doc: DocumentRecord): Record<string, unknown> {
  return {
    id: doc.id,
    filename: doc.filename,
    content_type: doc.contentType,
    file_size: doc.fileSize,
    document_type: doc.documentType,
    created_at: offsetTimestamp(doc.createdAt),
    created_by: doc.createdBy,
    status: doc.status,
    title: doc.title,
    tags: [...doc.tags],
    classification: doc.classification,
    processing_complete: doc.processingComplete,
    has_thumbnail: doc.hasThumbnail,
    thumbnail_url: doc.hasThumbnail ? `/api/v1/documents/${doc.id}/thumbnail` : null,
  };
}

function detailJson(doc: DocumentRecord, userId: string, published: boolean): Record<string, unknown> {
  const owner = doc.createdBy === userId;
  const detail: Record<string, unknown> = {
    id: doc.id,
    filename: doc.filename,
    original_filename: doc.filename,
    content_type: doc.contentType,
    file_size: doc.fileSize,
    file_hash: createHash('sha256').update(doc.text).digest('hex'),
    organization_id: doc.organizationId,
    status: doc.status,
    metadata: {
      title: doc.title,
      description: doc.description,
      tags: [...doc.tags],
      classification: doc.classification,
      author: doc.author,
      custom_fields: {},
    },
    audit: {
      created_at: offsetTimestamp(doc.createdAt),
      created_by: doc.createdBy,
      updated_at: offsetTimestamp(doc.updatedAt),
      version: 1,
    },
    processing: {
      status: doc.processingComplete ? 'completed' : 'processing',
      text_extracted: doc.processingComplete,
      thumbnail_generated: doc.hasThumbnail,
    },
    download_url: `/api/v1/documents/${doc.id}/download`,
    preview_url: `/api/v1/documents/${doc.id}/preview`,
    text_preview: doc.text.slice(0, 200),
    current_version: 1,
    version_count: 1,
    permissions: { read: true, write: owner, delete: owner, share: true, admin: false },
  };
  if (!published) return detail;
  // The published service sends more than hub-api.md lists, and counts no versions for a document that has none.
  const metadata = detail.metadata as Record<string, unknown>;
  const audit = detail.audit as Record<string, unknown>;
  return {
    ...detail,
    document_type: doc.documentType,
    metadata: { ...metadata, department: null },
    audit: { ...audit, updated_by: doc.createdBy },
    extracted_text: doc.processingComplete ? doc.text : null,
    version_count: 0,
  };
}

/** The documents of one organisation, newest first. */
function visibleDocuments(ctx: RequestContext, organizationId: string): DocumentRecord[] {
  return [...ctx.state.documents.values()]
    .filter((doc) => doc.organizationId === organizationId && doc.status !== 'deleted')
    .sort((a, b) => b.createdAt - a.createdAt);
}

function health(ctx: RequestContext): unknown {
  const status = ctx.state.healthOf('content');
  return {
    service: 'content-service',
    status,
    version: '1.0.0',
    port: ctx.state.published ? CONFIGURED_PORTS.content : ctx.port,
    dependencies: { redis: status === 'healthy' ? 'healthy' : 'unavailable', 'identity-service': 'healthy', database: 'healthy' },
    metrics: {
      uptime_seconds: Math.floor((Date.now() - ctx.state.startedAt) / 1000),
      active_connections: ctx.activeConnections,
      memory_usage_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    },
  };
}

function listDocuments(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const limit = input.queryInt('limit', { default: 20, ge: 1, le: 100 });
  const offset = input.queryInt('offset', { default: 0, ge: 0 });
  const { published } = ctx.state;
  // Upstream ignores every filter but its own `status=active`; the tag filter is the extension onboarding relies on.
  const tag = published ? undefined : input.queryString('tag');
  input.check();

  const matching = visibleDocuments(ctx, user.organizationId).filter(
    (doc) => (tag === undefined || doc.tags.includes(tag)) && (!published || doc.status === 'active'),
  );
  return {
    documents: matching.slice(offset, offset + limit).map(listItemJson),
    pagination: { limit, offset, total: matching.length, has_next: offset + limit < matching.length, has_prev: offset > 0 },
    filters_applied: published ? { status: 'active' } : tag === undefined ? {} : { tag },
    total_size: matching.reduce((sum, doc) => sum + doc.fileSize, 0),
  };
}

function getDocument(ctx: RequestContext): unknown {
  const user = requireUser(ctx);
  const input = new Inputs(ctx);
  const id = input.pathUuid('document_id');
  input.check();

  const doc = ctx.state.documents.get(id);
  if (!doc || doc.status === 'deleted') throw new HttpError(404, 'Document not found');
  if (doc.organizationId !== user.organizationId) throw new HttpError(403, 'Access denied to this document');
  return detailJson(doc, user.id, ctx.state.published);
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** Where a query term counts most: a hit in the title says more than one in the body text. */
const FIELD_WEIGHTS: ReadonlyArray<[weight: number, field: (doc: DocumentRecord) => string]> = [
  [3, (doc) => doc.title],
  [2, (doc) => doc.tags.join(' ')],
  [2, (doc) => doc.filename],
  [1, (doc) => doc.text],
];

/** A weighted term-frequency score: good enough to rank the seeded documents sensibly. */
function score(doc: DocumentRecord, terms: readonly string[]): number {
  let total = 0;
  for (const [weight, field] of FIELD_WEIGHTS) {
    const fieldWords = words(field(doc));
    for (const term of terms) total += weight * fieldWords.filter((word) => word === term).length;
  }
  return total;
}

function search(ctx: RequestContext): unknown {
  const input = new Inputs(ctx);
  const query = input.requiredQuery('q');
  if (ctx.state.published) {
    // The stub reads `q` only: `limit` and `offset` are not even parsed.
    input.check();
    return { message: `Search '${query}' - will be implemented in Week 3` };
  }
  const limit = input.queryInt('limit', { default: 20, ge: 1, le: 100 });
  const offset = input.queryInt('offset', { default: 0, ge: 0 });
  input.check();

  // Search needs no token; an anonymous caller searches the seeded organisation.
  const organizationId = ctx.user?.organizationId ?? SEED.organizationId;
  const terms = [...new Set(words(query))];
  const ranked = visibleDocuments(ctx, organizationId)
    .map((doc) => ({ doc, score: score(doc, terms) }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score);
  return {
    query,
    total: ranked.length,
    documents: ranked.slice(offset, offset + limit).map((hit) => ({ ...listItemJson(hit.doc), score: hit.score })),
  };
}

/** Content: `/api/v1`, a token on every route but search. */
export const contentRoutes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: health },
  { method: 'GET', path: '/api/v1/documents', handler: listDocuments, auth: true },
  { method: 'GET', path: '/api/v1/documents/{document_id}', handler: getDocument, auth: true },
  { method: 'GET', path: '/api/v1/search', handler: search },
];
