// Distributed tracing through OpenTelemetry, when the app hands the library the API module
// (`createServiceOrchestrator({ tracing: api })`, with `import * as api from '@opentelemetry/api'`).
// Nothing here imports OpenTelemetry: the parts used are described structurally below, so that an
// app without tracing loads and pays nothing, and `@opentelemetry/api` stays an optional peer.
import { Observable } from 'rxjs';
import type { ServiceName } from './hub';
import { redactText, type SecretList } from './redact';

/** An OpenTelemetry context: opaque to the library. */
export type TraceContext = object;

/** What a span's context gives: enough to link to it. */
export interface TraceSpanContext {
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  /** Whether it is sampled, as a bit field. */
  readonly traceFlags: number;
}

/** Attribute values the library sets. */
export type TraceAttributes = Record<string, string | number | boolean>;

/** The parts of an OpenTelemetry span the library uses. */
export interface TraceSpan {
  /** Sets one attribute. */
  setAttribute(key: string, value: string | number | boolean): unknown;
  /** Marks the span as failed (or not). */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Adds a timed event, such as a retry. */
  addEvent(name: string, attributes?: TraceAttributes): unknown;
  /** The ids that links and trace headers carry. */
  spanContext(): TraceSpanContext;
  /** Ends the span. */
  end(): void;
}

/** The options of `tracer.startSpan` the library uses. */
export interface TraceSpanOptions {
  /** `SpanKind.CLIENT` for an HTTP attempt, `INTERNAL` otherwise. */
  kind?: number;
  /** Attributes from the start. */
  attributes?: TraceAttributes;
  /** Spans of other traces this one serves. */
  links?: { context: TraceSpanContext }[];
  /** A new trace, whatever is active. */
  root?: boolean;
}

/** The part of an OpenTelemetry tracer the library uses. */
export interface TraceTracer {
  /** Starts a span as a child of the span active in `context`. */
  startSpan(name: string, options?: TraceSpanOptions, context?: TraceContext): TraceSpan;
}

/** The parts of `@opentelemetry/api` the library uses; the module itself fits. */
export interface TracingApi {
  /** `api.trace`: the global tracer provider. */
  readonly trace: {
    /** The library's tracer. */
    getTracer(name: string, version?: string): TraceTracer;
    /** A context with `span` active. */
    setSpan(context: TraceContext, span: TraceSpan): TraceContext;
    /** The span active in a context. */
    getSpan(context: TraceContext): TraceSpan | undefined;
  };
  /** `api.context`: the global context manager. */
  readonly context: {
    /** The context active now. */
    active(): TraceContext;
    /** Runs `fn` with `context` active. */
    with<R>(context: TraceContext, fn: () => R): R;
  };
  /** `api.propagation`: the global propagator, W3C trace context for example. */
  readonly propagation: {
    /** Writes a context's trace headers into `carrier`. */
    inject(context: TraceContext, carrier: Record<string, string>): void;
  };
  /** The empty context, where a new trace starts. */
  readonly ROOT_CONTEXT: TraceContext;
  /** `api.SpanKind`. */
  readonly SpanKind: { readonly INTERNAL: number; readonly CLIENT: number };
  /** `api.SpanStatusCode`. */
  readonly SpanStatusCode: { readonly ERROR: number };
}

/** Whether a value looks like the `@opentelemetry/api` module. */
export function isTracingApi(value: unknown): value is TracingApi {
  const api = value as Partial<Record<keyof TracingApi, Record<string, unknown>>> | null;
  return (
    typeof api === 'object' &&
    api !== null &&
    typeof api.trace?.getTracer === 'function' &&
    typeof api.context?.with === 'function' &&
    typeof api.propagation?.inject === 'function' &&
    typeof api.SpanKind === 'object' &&
    typeof api.SpanStatusCode === 'object'
  );
}

/** What ended a span that failed: the library's error code or the HTTP status, as `error.type`. */
export interface SpanFailure {
  /** The `error.type` attribute: an HTTP status such as `503`, or a code such as `timeout`. */
  readonly type: string;
  /** The status message (scrubbed of secrets when the span ends). */
  readonly message?: string;
}

/** A started span and the context that has it as the active span. */
export interface ActiveSpan {
  /** The context with this span active: the parent of what runs inside. */
  readonly context: TraceContext;
  /** The span. */
  readonly span: TraceSpan;
  /** Ends the span once; with a failure, marks it as an error. */
  end(failure?: SpanFailure): void;
}

/** The library's spans, made with the app's global tracer provider and propagator. */
export interface Tracing {
  /** The context the caller is in now. */
  active(): TraceContext;
  /** Runs `fn` with `context` active. */
  within<R>(context: TraceContext, fn: () => R): R;
  /** `source$`, subscribed (on each subscription) with `context` active: what it starts joins that context. */
  within$<T>(context: TraceContext, source$: Observable<T>): Observable<T>;
  /** The root span of an operation, a child of the active span when there is one. */
  startOperation(operation: string, operationId: string, parent: TraceContext): ActiveSpan;
  /** A step of an operation. */
  startStep(step: string, service: ServiceName, critical: boolean, parent: TraceContext): ActiveSpan;
  /** A request that serves several operations: a root of its own, linked to each operation's span. */
  startShared(name: string, service: ServiceName, linked: readonly TraceContext[]): ActiveSpan;
  /** One HTTP attempt, with the stable HTTP client conventions; its trace headers are added to `headers`. */
  startAttempt(attempt: AttemptInfo, parent: TraceContext, headers: Record<string, string>): ActiveSpan;
  /** Notes on the span active in `context` that a call is tried again after `delay` ms. */
  retrying(context: TraceContext, attempt: number, delay: number, reason: string): void;
}

/** What an HTTP attempt's span names. */
export interface AttemptInfo {
  readonly service: ServiceName;
  readonly method: string;
  /** The route template, such as `/api/v1/documents/{id}`. */
  readonly template: string;
  /** The request's base URL, for `server.address` and `server.port`. */
  readonly baseUrl: string;
}

const TRACER_NAME = '@reactdjango-hub/orchestrator';

/**
 * The library's spans over the app's OpenTelemetry API. Every status message is scrubbed of the
 * generic secret patterns and of `secrets()` (the session's tokens, the passwords in flight).
 */
export function createTracing(api: TracingApi, secrets: () => SecretList = () => []): Tracing {
  const tracer = api.trace.getTracer(TRACER_NAME);
  // The context the library's own subscriptions run in. Every call is subscribed synchronously inside
  // `within`, so this holds even where the app registered no context manager (a browser without
  // zone.js), where `api.context.with` keeps nothing.
  let current: TraceContext | null = null;
  const activate = (span: TraceSpan, parent: TraceContext): ActiveSpan => {
    let ended = false;
    return {
      span,
      context: api.trace.setSpan(parent, span),
      end(failure) {
        if (ended) return;
        ended = true;
        if (failure) {
          span.setAttribute('error.type', failure.type);
          const message = failure.message ? redactText(failure.message, secrets()) : undefined;
          span.setStatus({ code: api.SpanStatusCode.ERROR, ...(message ? { message } : {}) });
        }
        span.end();
      },
    };
  };
  const linksOf = (contexts: readonly TraceContext[]): { context: TraceSpanContext }[] =>
    contexts.flatMap((context) => {
      const span = api.trace.getSpan(context);
      return span ? [{ context: span.spanContext() }] : [];
    });

  const within = <R>(context: TraceContext, fn: () => R): R => {
    const previous = current;
    current = context;
    try {
      return api.context.with(context, fn);
    } finally {
      current = previous;
    }
  };

  return {
    active: () => current ?? api.context.active(),
    within,
    within$: (context, source$) => new Observable((subscriber) => within(context, () => source$.subscribe(subscriber))),
    startOperation(operation, operationId, parent) {
      const attributes = { 'orchestrator.operation': operation, 'orchestrator.operation_id': operationId };
      return activate(tracer.startSpan(operation, { kind: api.SpanKind.INTERNAL, attributes }, parent), parent);
    },
    startStep(step, service, critical, parent) {
      const attributes = { 'orchestrator.step': step, 'orchestrator.service': service, 'orchestrator.critical': critical };
      return activate(tracer.startSpan(step, { kind: api.SpanKind.INTERNAL, attributes }, parent), parent);
    },
    startShared(name, service, linked) {
      const options = { kind: api.SpanKind.INTERNAL, root: true, attributes: { 'orchestrator.service': service }, links: linksOf(linked) };
      return activate(tracer.startSpan(name, options, api.ROOT_CONTEXT), api.ROOT_CONTEXT);
    },
    startAttempt(attempt, parent, headers) {
      const server = serverOf(attempt.baseUrl);
      const attributes: TraceAttributes = {
        'http.request.method': attempt.method,
        'url.template': attempt.template,
        'server.address': server.address,
        'server.port': server.port,
        'orchestrator.service': attempt.service,
      };
      const span = tracer.startSpan(`${attempt.method} ${attempt.template}`, { kind: api.SpanKind.CLIENT, attributes }, parent);
      const active = activate(span, parent);
      api.propagation.inject(active.context, headers);
      return active;
    },
    retrying(context, attempt, delay, reason) {
      api.trace
        .getSpan(context)
        ?.addEvent('retry', { 'orchestrator.retry.attempt': attempt, 'orchestrator.retry.delay_ms': delay, 'error.type': reason });
    },
  };
}

/** The host and port of a base URL, the port filled in from the scheme where the URL leaves it out. */
function serverOf(baseUrl: string): { address: string; port: number } {
  try {
    const url = new URL(baseUrl);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { address: url.hostname, port };
  } catch {
    return { address: baseUrl, port: 0 };
  }
}
