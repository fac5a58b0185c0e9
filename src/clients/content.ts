import { EMPTY, expand, map, reduce, type Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { HttpClient } from './http';
import { jsonObject, MAX_PAGES, PAGE_SIZE, utcTimestamp, uuid } from './schemas';

/** The life-cycle states of a document. */
export const DocumentStatusSchema = z.enum(['active', 'processing', 'error', 'archived', 'deleted']);
/** The life-cycle states of a document. */
export type DocumentStatus = z.infer<typeof DocumentStatusSchema>;

/** Who may see a document. */
export const ClassificationSchema = z.enum(['public', 'internal', 'confidential', 'restricted']);
/** Who may see a document. */
export type Classification = z.infer<typeof ClassificationSchema>;

/** One document in a list or a search result. */
export const DocumentListItemSchema = z.object({
  id: uuid,
  filename: z.string(),
  content_type: z.string(),
  file_size: z.number(),
  document_type: z.nullish(z.string()),
  created_at: utcTimestamp,
  created_by: z.string(),
  status: DocumentStatusSchema,
  title: z.nullish(z.string()),
  tags: z.array(z.string()),
  classification: ClassificationSchema,
  processing_complete: z.boolean(),
  has_thumbnail: z.boolean(),
  thumbnail_url: z.nullish(z.string()),
});
/** One document in a list or a search result. */
export type DocumentListItem = z.infer<typeof DocumentListItemSchema>;

/** The page a list answers with. */
export const PaginationSchema = z.object({
  limit: z.number(),
  offset: z.number(),
  total: z.number(),
  has_next: z.boolean(),
  has_prev: z.boolean(),
});
/** The page a list answers with. */
export type Pagination = z.infer<typeof PaginationSchema>;

/** `GET /api/v1/documents` response. */
export const DocumentListSchema = z.object({
  documents: z.array(DocumentListItemSchema),
  pagination: PaginationSchema,
  filters_applied: jsonObject,
  total_size: z.number(),
});
/** `GET /api/v1/documents` response. */
export type DocumentList = z.infer<typeof DocumentListSchema>;

/** `GET /api/v1/documents/{id}` response. */
export const DocumentDetailSchema = z.object({
  id: uuid,
  filename: z.string(),
  original_filename: z.string(),
  content_type: z.string(),
  file_size: z.number(),
  file_hash: z.string(),
  organization_id: z.string(),
  status: DocumentStatusSchema,
  metadata: z.object({
    title: z.nullish(z.string()),
    description: z.nullish(z.string()),
    tags: z.array(z.string()),
    classification: ClassificationSchema,
    author: z.nullish(z.string()),
    custom_fields: jsonObject,
  }),
  audit: z.object({
    created_at: utcTimestamp,
    created_by: z.string(),
    updated_at: z.nullish(utcTimestamp),
    version: z.number(),
  }),
  processing: z.object({ status: z.string() }),
  download_url: z.string(),
  preview_url: z.string(),
  text_preview: z.nullish(z.string()),
  current_version: z.number(),
  version_count: z.number(),
  permissions: z.object({
    read: z.boolean(),
    write: z.boolean(),
    delete: z.boolean(),
    share: z.boolean(),
    admin: z.boolean(),
  }),
});
/** `GET /api/v1/documents/{id}` response. */
export type DocumentDetail = z.infer<typeof DocumentDetailSchema>;

/** One search hit: a document and its score. */
export const SearchResultSchema = z.extend(DocumentListItemSchema, { score: z.number() });
/** One search hit. */
export type SearchResult = z.infer<typeof SearchResultSchema>;

/** `GET /api/v1/search` response (extension), hits ordered by score. */
export const SearchResponseSchema = z.object({
  query: z.string(),
  total: z.number(),
  documents: z.array(SearchResultSchema),
});
/** `GET /api/v1/search` response. */
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

/** What the upstream search stub answers: only `{message}`. */
export const SearchStubSchema = z.strictObject({ message: z.string() });

/** The query of `GET /api/v1/documents`; `tag` is the extension filter. */
export type ListDocumentsQuery = { limit?: number; offset?: number; tag?: string };

/** The query of `GET /api/v1/search`. */
export type SearchQuery = { q: string; limit?: number; offset?: number };

/**
 * The content service's calls, each a cold Observable.
 *
 * @example
 * createContentClient(http).getDocument$(id).subscribe((doc) => console.log(doc.metadata.title));
 */
export function createContentClient(http: HttpClient) {
  const client = {
    /**
     * `GET /api/v1/documents`. With `tag`, only documents carrying it are kept, here as well,
     * because upstream ignores the filter.
     */
    listDocuments$(query: ListDocumentsQuery = {}): Observable<DocumentList> {
      const { limit, offset, tag } = query;
      const list$ = http.request$({
        service: 'content',
        route: 'listDocuments',
        query: { limit, offset, tag },
        schema: DocumentListSchema,
      });
      if (tag === undefined) return list$;
      return list$.pipe(map((list) => ({ ...list, documents: list.documents.filter((doc) => doc.tags.includes(tag)) })));
    },

    /**
     * Every document carrying `tag`, read page by page (up to {@link MAX_PAGES} of {@link PAGE_SIZE}):
     * a server that ignores the filter answers with every document, so its pages are read on.
     */
    listTaggedDocuments$(tag: string): Observable<DocumentListItem[]> {
      const page$ = (page: number): Observable<DocumentList> => client.listDocuments$({ tag, limit: PAGE_SIZE, offset: page * PAGE_SIZE });
      return page$(0).pipe(
        expand((list, page) => (list.pagination.has_next && page + 1 < MAX_PAGES ? page$(page + 1) : EMPTY)),
        reduce((documents: DocumentListItem[], list) => documents.concat(list.documents), []),
      );
    },

    /** `GET /api/v1/documents/{id}`. */
    getDocument$(id: string): Observable<DocumentDetail> {
      return http.request$({ service: 'content', route: 'getDocument', params: { id }, schema: DocumentDetailSchema });
    },

    /** `GET /api/v1/search` (extension); `unsupported` where the Hub only serves the stub. */
    search$(query: SearchQuery): Observable<SearchResponse> {
      const { q, limit, offset } = query;
      return http.request$({
        service: 'content',
        route: 'search',
        query: { q, limit, offset },
        schema: SearchResponseSchema,
        stub: SearchStubSchema,
      });
    },
  };
  return client;
}

/** The content service's calls. */
export type ContentClient = ReturnType<typeof createContentClient>;
