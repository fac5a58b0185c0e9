import * as api from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { filter, firstValueFrom } from 'rxjs';
import { createServiceOrchestrator, isOrchestratorError } from '../../src';
import { SEED, startHub, type Hub, type HubRequest } from '../../src/simulator';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const doc = SEED.documents.quarterlyReport.id;
const ai = SEED.definitions.aiProcessing.id;
const alice = SEED.users.alice.id;
const bob = SEED.users.bob.id;

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;
const traceOf = (span: ReadableSpan): string => span.spanContext().traceId;
/** `00-<trace id>-<span id>-<flags>`. */
const parseTraceparent = (header: string | null): { traceId: string; spanId: string } | null => {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header ?? '');
  return match ? { traceId: match[1] as string, spanId: match[2] as string } : null;
};

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
  api.trace.setGlobalTracerProvider(provider);
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(async () => {
  await hub.close();
  api.trace.disable();
  api.propagation.disable();
});
beforeEach(() => {
  hub.reset();
  exporter.reset();
});

/** A signed-in orchestrator with tracing on, whose sign-in is left out of the recorded spans and requests. */
async function tracedOrchestrator(options: Parameters<typeof createServiceOrchestrator>[0] = {}) {
  const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false, retryDelay: 1, tracing: api, ...options });
  const signedIn = await orchestrator.signIn(SEED.users.demo.email, SEED.users.demo.password);
  if (!signedIn.success) throw new Error(signedIn.error);
  exporter.reset();
  hub.clearRequests();
  return orchestrator;
}

describe.each([
  ['with an async context manager', true],
  ['without a context manager (as in a browser without zone.js)', false],
])('tracing an operation %s', (_name, withContextManager) => {
  beforeAll(() => {
    if (withContextManager) api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => api.context.disable());

  it('gives one trace per operation: its span is the root, a span per step, a CLIENT span per request under its step', async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: false });
    const result = await orchestrator.processDocumentWithAI(doc, ai, [alice]);
    orchestrator.dispose();
    expect(result.success).toBe(true);

    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((span) => parentOf(span) === undefined);
    expect(roots.map((span) => span.name)).toEqual(['processDocumentWithAI']);
    const [root] = roots as [ReadableSpan];
    expect(root.attributes).toMatchObject({ 'orchestrator.operation': 'processDocumentWithAI' });
    expect(new Set(spans.map(traceOf))).toEqual(new Set([traceOf(root)]));

    const steps = spans.filter((span) => parentOf(span) === idOf(root));
    expect(steps.map((span) => span.name).sort()).toEqual(
      ['get document', 'get workflow definition', 'notify user', 'start workflow'].sort(),
    );
    const clients = spans.filter((span) => span.kind === api.SpanKind.CLIENT);
    expect(clients).toHaveLength(4);
    for (const client of clients) expect(steps.map(idOf)).toContain(parentOf(client));

    // Every request the Hub received carried the trace, naming its own CLIENT span.
    const requests = hub.requests;
    expect(requests).toHaveLength(4);
    for (const request of requests) {
      const context = parseTraceparent(request.traceparent);
      expect(context?.traceId).toBe(traceOf(root));
      expect(clients.map(idOf)).toContain(context?.spanId);
    }
  });

  it('names each request with the stable HTTP conventions', async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: false });
    await orchestrator.processDocumentWithAI(doc, ai);
    orchestrator.dispose();
    const get = exporter.getFinishedSpans().find((span) => span.name === 'GET /api/v1/documents/{id}');
    const port = Number(new URL(hub.urls.content).port);
    expect(get?.kind).toBe(api.SpanKind.CLIENT);
    expect(get?.attributes).toEqual({
      'http.request.method': 'GET',
      'url.template': '/api/v1/documents/{id}',
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
      'orchestrator.service': 'content',
    });
  });

  it('makes each retry a new CLIENT span, the failed one marked with error.type, and notes the retry on the step', async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: false, retryAttempts: 1 });
    hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503 }, { kind: 'pass' }] });
    const result = await orchestrator.processDocumentWithAI(doc, ai);
    orchestrator.dispose();
    expect(result.success).toBe(true);

    const spans = exporter.getFinishedSpans();
    const attempts = spans.filter((span) => span.name === 'GET /api/v1/documents/{id}');
    expect(attempts.map((span) => [span.attributes['http.response.status_code'], span.attributes['error.type'], span.status.code])).toEqual(
      [
        [503, '503', api.SpanStatusCode.ERROR],
        [200, undefined, api.SpanStatusCode.UNSET],
      ],
    );
    const step = spans.find((span) => span.name === 'get document');
    expect(attempts.map(parentOf)).toEqual([idOf(step as ReadableSpan), idOf(step as ReadableSpan)]);
    expect(step?.events.map((event) => [event.name, event.attributes?.['orchestrator.retry.attempt']])).toEqual([['retry', 1]]);
    // The two requests belong to the one trace, each with its own span.
    const sent = hub.requests
      .filter((request) => request.path.startsWith('/api/v1/documents/'))
      .map((request) => parseTraceparent(request.traceparent));
    expect(sent.map((context) => context?.spanId)).toEqual(attempts.map(idOf));
  });

  it('marks a failed operation and its failed step as errors', async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: false });
    const result = await orchestrator.processDocumentWithAI('99999999-0000-4000-8000-000000000099', ai);
    orchestrator.dispose();
    expect(result.success).toBe(false);
    const spans = exporter.getFinishedSpans();
    const root = spans.find((span) => span.name === 'processDocumentWithAI');
    expect(root?.status.code).toBe(api.SpanStatusCode.ERROR);
    expect(root?.attributes['error.type']).toBe('step_failed');
    expect(spans.find((span) => span.name === 'get document')?.attributes['error.type']).toBe('http');
  });
});

describe('tracing across operations', () => {
  beforeAll(() => api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => api.context.disable());

  it('joins the trace of the span active when the operation is called', async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: false });
    const outer = api.trace.getTracer('app').startSpan('page load');
    const result = await api.context.with(api.trace.setSpan(api.context.active(), outer), () =>
      orchestrator.searchAndTriggerWorkflows('contract', false),
    );
    outer.end();
    orchestrator.dispose();
    expect(result.success).toBe(true);
    const operation = exporter.getFinishedSpans().find((span) => span.name === 'searchAndTriggerWorkflows');
    expect(parentOf(operation as ReadableSpan)).toBe(outer.spanContext().spanId);
    expect(traceOf(operation as ReadableSpan)).toBe(outer.spanContext().traceId);
  });

  it("gives a bulk request that serves two operations a trace of its own, linked to each operation's", async () => {
    const orchestrator = await tracedOrchestrator({ enableBatching: true, batchSize: 2, batchWindow: 60_000 });
    // A first notification hangs at the hub: while it is out, the batcher gathers the next two into one bulk request.
    hub.inject('communication', { method: 'POST', path: '/api/v1/notifications', faults: [{ kind: 'hang' }] });
    const cancel = new AbortController();
    const sentAlone = firstValueFrom(orchestrator.events$.pipe(filter((event) => event.type === 'batch_flush')));
    const hanging = orchestrator.processDocumentWithAI(doc, ai, [SEED.users.carol.id], { signal: cancel.signal });
    await sentAlone;
    const results = await Promise.all([
      orchestrator.processDocumentWithAI(doc, ai, [alice]),
      orchestrator.processDocumentWithAI(SEED.documents.productRoadmap.id, ai, [bob]),
    ]);
    cancel.abort();
    await hanging;
    orchestrator.dispose();
    expect(results.every((result) => result.success)).toBe(true);

    const spans = exporter.getFinishedSpans();
    const operations = spans.filter((span) => span.name === 'processDocumentWithAI');
    expect(new Set(operations.map(traceOf)).size).toBe(3);
    const bulk = spans.find((span) => span.name === 'notifications bulk') as ReadableSpan;
    expect(parentOf(bulk)).toBeUndefined();
    expect(operations.map(traceOf)).not.toContain(traceOf(bulk));
    const linked = bulk.links.map((link) => link.context.traceId);
    expect(new Set(linked).size).toBe(2);
    for (const trace of linked) expect(operations.map(traceOf)).toContain(trace);
    const request = spans.find((span) => span.name === 'POST /api/v1/notifications/bulk') as ReadableSpan;
    expect(parentOf(request)).toBe(idOf(bulk));
    const [sent] = hub.requests.filter((entry: HubRequest) => entry.path === '/api/v1/notifications/bulk');
    expect(parseTraceparent(sent?.traceparent ?? null)).toEqual({ traceId: traceOf(bulk), spanId: idOf(request) });
  });
});

describe('with tracing off', () => {
  it('sends no trace header and records no span', async () => {
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const orchestrator = createServiceOrchestrator({ services: hub.urls, enableLogging: false });
    await orchestrator.searchAndTriggerWorkflows('contract', false);
    orchestrator.dispose();
    api.context.disable();
    expect(hub.requests.length).toBeGreaterThan(0);
    expect(hub.requests.every((request) => request.traceparent === null)).toBe(true);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('refuses a tracing option that is not the OpenTelemetry API', () => {
    let error: unknown;
    try {
      createServiceOrchestrator({ tracing: {} as never });
    } catch (caught) {
      error = caught;
    }
    expect(isOrchestratorError(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toContain('"tracing"');
  });
});
