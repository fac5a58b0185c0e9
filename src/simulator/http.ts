import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error a handler throws to answer with FastAPI's `{"detail": ...}` shape. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Sent on every response so that a browser page can call the simulator directly. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Max-Age': '600',
};

/** Starlette's body for an uncaught exception: plain text, not JSON. */
export const INTERNAL_SERVER_ERROR = 'Internal Server Error';

/**
 * Writes a complete response with the CORS headers; false when nothing could be written because
 * a response was already sent or the socket is gone (client aborted, service stopped).
 */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string | null,
  headers: Readonly<Record<string, string>> = {},
): boolean {
  if (res.headersSent || res.destroyed || res.socket === null || res.socket.destroyed) return false;
  res.statusCode = status;
  for (const [name, value] of Object.entries({ ...CORS_HEADERS, server: 'uvicorn', ...headers })) res.setHeader(name, value);
  if (contentType) res.setHeader('content-type', contentType);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
  return true;
}

/** Reads the whole request body as UTF-8 text. */
export function readRequestBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The JSON value of a body, or why there is none. */
export type ParsedBody = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'text'; text: string };

/** Parses a body as JSON when it is JSON; the raw text is kept otherwise. */
export function parseBody(raw: string): ParsedBody {
  if (raw.trim().length === 0) return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: 'text', text: raw };
  }
}

/** The bearer token of an `Authorization` header, if any. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1] : null;
}
