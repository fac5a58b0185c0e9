import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED, type Hub } from '../../src/simulator';
import type { Exchange } from './exchanges';

/** One recorded answer, as a fixture keeps it. */
export interface Fixture {
  status: number;
  contentType: string;
  /** Parsed JSON, or the text of a plain-text body. */
  body: unknown;
}

/** The fixture files, one per service: exchange name → answer. */
export const FIXTURE_FILES = ['identity', 'content', 'communication', 'workflow'] as const;

/** Every fixture, keyed `service: name`. */
export function loadFixtures(): Map<string, Fixture> {
  const fixtures = new Map<string, Fixture>();
  for (const file of FIXTURE_FILES) {
    const entries = JSON.parse(readFileSync(join(__dirname, 'fixtures', `${file}.json`), 'utf8')) as Record<string, Fixture>;
    for (const [name, fixture] of Object.entries(entries)) fixtures.set(`${file}: ${name}`, fixture);
  }
  return fixtures;
}

/** The value at a dotted path (`detail.0.loc`), or undefined. */
export function at(value: unknown, path: string): unknown {
  if (path === '') return value;
  return path.split('.').reduce<unknown>((current, key) => {
    if (current === null || typeof current !== 'object') return undefined;
    return (current as Record<string, unknown>)[key];
  }, value);
}

/** Whether a value reads as the recorded text: exact, or a `/regex/`. Arrays read as `a,b`, numbers as digits. */
export function readsAs(value: unknown, text: string): boolean {
  const actual = Array.isArray(value) ? value.join(',') : String(value);
  if (text.length > 1 && text.startsWith('/') && text.endsWith('/')) return new RegExp(text.slice(1, -1)).test(actual);
  return actual === text;
}

/** The structure of a JSON value: keys and types, arrays by their first element. */
export function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}

/** The Authorization header an exchange's request carries. */
export function authorization(exchange: Exchange, token: string): Record<string, string> {
  switch (exchange.request.auth) {
    case 'none':
      return {};
    case 'token':
      return { authorization: `Bearer ${token}` };
    case 'basic':
      return { authorization: 'Basic ZGVtbzpkZW1v' };
    case 'forged':
      return { authorization: 'Bearer not-a-token-identity-issued' };
  }
}

/** Sends an exchange's request to the simulator; `{instance}` in its path is a workflow started first. */
export async function replay(hub: Hub, exchange: Exchange, token: string): Promise<Fixture> {
  let path = exchange.request.path;
  if (exchange.setup === 'instance') {
    const started = await fetch(`${hub.urls.workflow}/api/v1/workflows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ definition_id: SEED.definitions.aiProcessing.id, entity_id: SEED.documents.quarterlyReport.id }),
    });
    path = path.replace('{instance}', ((await started.json()) as { workflow_id: string }).workflow_id);
  }
  const { body } = exchange.request;
  const response = await fetch(`${hub.urls[exchange.request.service]}${path}`, {
    method: exchange.request.method,
    headers: { ...authorization(exchange, token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  return { status: response.status, contentType, body: contentType.includes('application/json') ? (JSON.parse(text) as unknown) : text };
}
