import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { createServiceOrchestrator, isOrchestratorError, isServiceError, OPERATION_NAMES, type ServiceOrchestrator } from '../../src';
import {
  DOC_ID,
  itSentThrough,
  sendWith,
  TRANSPORTS,
  hostileOrchestrator,
  startHostile,
  TOKEN,
  USER_ID,
  WORKFLOW_ID,
  type HostileServer,
} from './support';

const LIMIT = 64 * 1024;

/** One hostile answer: any status, odd headers, any body, any size up to twice the limit, maybe cut short. */
interface Answer {
  status: number;
  contentType: string | null;
  encoding: 'gzip' | 'deflate' | 'br' | 'bogus' | null;
  encodeForReal: boolean;
  retryAfter: string | null;
  location: string | null;
  body: Buffer;
  closeEarly: boolean;
}

const bodies = fc.oneof(
  fc.string().map((text) => Buffer.from(text)),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.integer({ min: LIMIT - 16, max: LIMIT * 2 }).map((size) => Buffer.alloc(size, '{')),
  fc.constant(Buffer.from(JSON.stringify({ detail: `echo Bearer ${TOKEN} ${TOKEN}` }))),
);

const answers: fc.Arbitrary<Answer> = fc.record({
  status: fc.integer({ min: 200, max: 599 }),
  contentType: fc.constantFrom(null, 'application/json', 'text/plain', 'text/html; charset=utf-16', 'application/octet-stream'),
  encoding: fc.constantFrom(null, 'gzip', 'deflate', 'br', 'bogus'),
  encodeForReal: fc.boolean(),
  retryAfter: fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 30 }),
    fc.nat().map(String),
    fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toUTCString())),
  ),
  location: fc.oneof(fc.constant(null), fc.webUrl(), fc.string({ maxLength: 40 })),
  body: bodies,
  closeEarly: fc.boolean(),
});

let answer: Answer;
let server: HostileServer;
beforeAll(async () => {
  server = await startHostile((_req, res) => {
    const headers: Record<string, string | number> = {};
    let body = answer.body;
    if (answer.contentType) headers['content-type'] = answer.contentType;
    if (answer.encoding) {
      headers['content-encoding'] = answer.encoding;
      if (answer.encodeForReal && answer.encoding === 'gzip') body = gzipSync(body);
      if (answer.encodeForReal && answer.encoding === 'deflate') body = deflateSync(body);
    }
    // Header values must be sendable: a control character would make Node refuse to write them.
    const sendable = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);
    if (answer.retryAfter !== null && sendable(answer.retryAfter)) headers['retry-after'] = answer.retryAfter;
    if (answer.location !== null && sendable(answer.location)) headers.location = answer.location;
    if (answer.closeEarly) {
      headers['content-length'] = body.length + 100;
      res.writeHead(answer.status, headers);
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setImmediate(() => res.socket?.destroy());
    } else {
      res.writeHead(answer.status, headers).end(body);
    }
  });
});
afterAll(() => server.close());

/** Every string inside a value, an error's message and stack too. */
function texts(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Error) out.push(value.message, value.stack ?? '');
  for (const item of Object.values(value)) texts(item, out, seen);
  return out;
}

describe.each(TRANSPORTS)('hostile responses (%s, property)', (transport) => {
  it('settle every call and operation with a known failure or a parsed success, and never leak the token', async () => {
    await fc.assert(
      fc.asyncProperty(answers, async (given) => {
        answer = given;
        const { orchestrator, events, logs } = hostileOrchestrator(server.url, {
          maxResponseBytes: LIMIT,
          timeout: 2_000,
          ...sendWith(transport),
        });
        try {
          const call = await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if ('error' in call) {
            expect(isServiceError(call.error)).toBe(true);
            expect(['network', 'timeout', 'http', 'auth', 'validation', 'unsupported']).toContain((call.error as { code: string }).code);
          }
          // The promise form never rejects.
          const result = await orchestrator.processDocumentWithAI(DOC_ID, WORKFLOW_ID, [USER_ID]);
          expect(typeof result.success).toBe('boolean');
          expect(texts([call, result, events, logs]).filter((text) => text.includes(TOKEN))).toEqual([]);
          const starts = events.filter((event) => event.type === 'operation_start').length;
          const ends = events.filter((event) => event.type === 'operation_complete' || event.type === 'operation_error').length;
          expect(ends).toBe(starts);
        } finally {
          orchestrator.dispose();
        }
      }),
      { numRuns: transport === 'axios http' ? 60 : 30 },
    );
  });

  itSentThrough(transport);
});

describe('every public entry point, any arguments (property)', () => {
  let hub: HostileServer;
  beforeAll(async () => {
    hub = await startHostile((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}'));
  });
  afterAll(() => hub.close());

  let orchestrator: ServiceOrchestrator;
  let starts = 0;
  let ends = 0;
  beforeAll(() => {
    orchestrator = createServiceOrchestrator({
      services: { identity: hub.url, content: hub.url, communication: hub.url, workflow: hub.url },
      retryAttempts: 0,
      enableLogging: false,
    });
    orchestrator.events$.subscribe((event) => {
      if (event.type === 'operation_start') starts += 1;
      if (event.type === 'operation_complete' || event.type === 'operation_error') ends += 1;
    });
  });
  afterAll(() => orchestrator.dispose());

  const anyArgs = fc.array(fc.oneof(fc.anything(), fc.string({ maxLength: 3000 }), fc.emailAddress(), fc.uuid()), { maxLength: 5 });

  it('promise forms resolve, never reject; $ forms error with an OrchestratorError; every start has one end and is counted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATION_NAMES), anyArgs, async (name, args) => {
        const before = orchestrator.getMetrics().totalOperations;
        const startsBefore = starts;
        const method = orchestrator[name] as (...rest: unknown[]) => Promise<{ success: boolean }>;
        const result = await method.apply(orchestrator, args);
        expect(typeof result.success).toBe('boolean');
        const observable = orchestrator[`${name}$`] as (...rest: unknown[]) => ReturnType<ServiceOrchestrator['signIn$']>;
        const outcome = await lastValueFrom(observable.apply(orchestrator, args)).then(
          () => null,
          (error: unknown) => error,
        );
        if (outcome !== null) expect(isOrchestratorError(outcome)).toBe(true);
        expect(ends).toBe(starts);
        expect(orchestrator.getMetrics().totalOperations - before).toBe(starts - startsBefore);
      }),
      { numRuns: 150 },
    );
  });

  it('createServiceOrchestrator takes any value: an orchestrator, or an invalid_config error', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ timeout: fc.anything(), routes: fc.anything(), services: fc.anything(), auth: fc.anything() })),
        (config) => {
          let created: ServiceOrchestrator | undefined;
          try {
            created = createServiceOrchestrator(config as never);
          } catch (error) {
            expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
          }
          created?.dispose();
        },
      ),
      { numRuns: 300 },
    );
  });
});
