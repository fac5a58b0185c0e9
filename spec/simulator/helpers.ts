import { SEED, type Hub } from '../../src/simulator';

/** What a test needs of a response: status, headers and the body, parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Tests read arbitrary fields of the Hub's bodies; the simulator's own types do not describe them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** One real HTTP call over loopback with Node's fetch. */
export async function call(url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown = undefined;
  if (response.headers.get('content-type')?.includes('application/json')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

type SeedUser = { email: string; password: string };

/** Logs a seeded user in through the identity service and returns the session body. */
export async function signIn(hub: Hub, user: SeedUser = SEED.users.demo): Promise<{ access_token: string; refresh_token: string }> {
  const answer = await call(`${hub.urls.identity}/auth/login`, { body: { email: user.email, password: user.password } });
  if (answer.status !== 200) throw new Error(`login failed with ${answer.status}: ${answer.text}`);
  return answer.json;
}

/** Identity and communication send timestamps without an offset; content and workflow with one. */
export const NAIVE_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
export const OFFSET_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
