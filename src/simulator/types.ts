import type { HealthStatus, ServiceName } from '../hub';

export type { HealthStatus };

/**
 * The behaviours the simulator plays, with their order of kindness:
 * - `extended` serves every row of hub-api.md, the extension endpoints included;
 * - `upstream` answers as the published services do (hub-recorded.md), with a working token validator,
 *   so that the handlers behind the token check are reachable;
 * - `deployed` is the Hub as the repository runs today: identity as upstream, and content,
 *   communication and workflow refusing every token (`401 Token validation failed`), because identity
 *   serves no `/auth/validate`.
 */
export const HUB_MODES = ['extended', 'upstream', 'deployed'] as const;

/** One of {@link HUB_MODES}. */
export type HubMode = (typeof HUB_MODES)[number];

/**
 * One step of an injected fault sequence. Each matching request consumes the next step.
 *
 * @example
 * hub.inject('content', { path: '/api/v1/documents/{id}', faults: [{ kind: 'status', status: 503, retryAfter: 1 }, { kind: 'pass' }] });
 */
export type FaultStep =
  /** Answer with this status. `body` is sent as JSON; by default FastAPI's `{"detail": ...}`, or plain text for 500. */
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: number | string }
  /** Wait `ms`, then serve the request normally. */
  | { kind: 'latency'; ms: number }
  /** Never answer; the socket is destroyed when the hub (or the service) closes. */
  | { kind: 'hang' }
  /** Destroy the socket without answering: the client sees a connection reset. */
  | { kind: 'reset' }
  /** 200, `application/json`, and a truncated JSON body. */
  | { kind: 'malformed' }
  /** 200 with this JSON body, for example one that breaks the client's schema. */
  | { kind: 'body'; body: unknown }
  /** Serve normally. */
  | { kind: 'pass' };

/** Where a fault sequence applies and what it does. */
export interface FaultInjection {
  /** HTTP method to match (case-insensitive); any method but OPTIONS when omitted. */
  method?: string;
  /** A route template (`/api/v1/documents/{id}`, `{x}` matches any one segment), a concrete path, or `*` for every path of the service. */
  path: string;
  /** The steps, consumed one per matching request; afterwards requests are served normally. */
  faults: readonly FaultStep[];
  /** Repeat the last step forever instead of falling back to normal service. */
  repeat?: boolean;
}

/** A live fault injection. */
export interface FaultHandle {
  /** How many requests this injection has intercepted so far. */
  readonly hits: number;
  /** True once every step has been consumed (never with `repeat`) or after `remove()`. */
  readonly exhausted: boolean;
  /** Stops the injection; idempotent. */
  remove(): void;
}

/** One request as the hub received it. Secrets never appear here. */
export interface HubRequest {
  readonly service: ServiceName;
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON, raw text when it is not JSON, or null when empty; `password`-like fields are redacted. */
  readonly body: unknown;
  /** The status answered; null while in flight and for `hang` / `reset` faults. */
  readonly status: number | null;
  /** `Date.now()` on arrival. */
  readonly at: number;
  /** Whether the request carried an access token the hub's identity service issued and still honours. */
  readonly authorized: boolean;
  /** The W3C `traceparent` header the request carried, or null. */
  readonly traceparent: string | null;
}

/** A live fault injection as {@link Hub.snapshot} reports it. */
export interface FaultSummary {
  /** The method it matches, or null for any but OPTIONS. */
  readonly method: string | null;
  /** The route template, path or `*` it matches. */
  readonly path: string;
  /** Requests intercepted so far. */
  readonly hits: number;
  /** Steps still to play, or null when the last one repeats forever. */
  readonly remaining: number | null;
  /** The step the next matching request gets. */
  readonly next: FaultStep;
}

/** One service as {@link Hub.snapshot} reports it. */
export interface ServiceSnapshot {
  readonly url: string;
  /** False after `stopService` until `startService`. */
  readonly running: boolean;
  /** ms every request waits first (`setLatency`). */
  readonly latencyMs: number;
  /** What its `GET /health` reports in `status`. */
  readonly health: HealthStatus;
  /** Its live fault injections, oldest (the one played first) first. */
  readonly faults: readonly FaultSummary[];
}

/** What a hub is doing now, as plain JSON. */
export interface HubSnapshot {
  readonly mode: HubMode;
  readonly services: Readonly<Record<ServiceName, ServiceSnapshot>>;
}

/** Options of {@link startHub}. */
export interface HubOptions {
  /** Port per service; 0 (the default) picks a free port. */
  ports?: Partial<Record<ServiceName, number>>;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Default `extended`. */
  mode?: HubMode;
  /** Time from a request's arrival to its being served, for all services or per service; default 0. Kept to within a turn of the event loop, not a timer's millisecond. */
  latencyMs?: number | Partial<Record<ServiceName, number>>;
}

/** A running in-memory Hub: four HTTP servers on loopback sharing one state. */
export interface Hub {
  /** Base URL per service, e.g. `http://127.0.0.1:53211`. */
  readonly urls: Readonly<Record<ServiceName, string>>;
  /** Bound port per service; kept across `stopService` / `startService`. */
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** Every request received, in arrival order, faulted ones included. */
  readonly requests: readonly HubRequest[];
  /** The current mode. */
  readonly mode: HubMode;
  /** Adds a fault sequence for one service's route. */
  inject(service: ServiceName, injection: FaultInjection): FaultHandle;
  /** Removes every fault injection. */
  clearFaults(): void;
  /** What the hub is doing now: per service whether it listens, its latency, its health and its faults. */
  snapshot(): HubSnapshot;
  /** Switches to another of {@link HUB_MODES}, effective for the next request; an unknown mode throws. */
  setMode(mode: HubMode): void;
  /** Every request to `service` waits `ms` first. */
  setLatency(service: ServiceName, ms: number): void;
  /** Closes that service's server so connections are refused; its port is kept. */
  stopService(service: ServiceName): Promise<void>;
  /** Listens again on the same port. */
  startService(service: ServiceName): Promise<void>;
  /** Every access token issued so far becomes invalid (401); refresh tokens stay valid. */
  expireTokens(): void;
  /** What `GET /health` of `service` reports in `status` (by default healthy, but workflow is degraded outside `extended`). */
  setHealthStatus(service: ServiceName, status: HealthStatus): void;
  /** A fresh access token for a user (by id or email), as if they had logged in. */
  tokenFor(user: string): string;
  /** The first matching request already logged, or the next to arrive (resolved once its body is read). */
  waitForRequest(service: ServiceName, method?: string, pathTemplate?: string): Promise<HubRequest>;
  /** Empties the request log. */
  clearRequests(): void;
  /** The logged requests to one service, optionally one method and one route template. */
  requestsTo(service: ServiceName, method?: string, pathTemplate?: string): HubRequest[];
  /**
   * Back to the start: faults and log cleared, latency and mode as at start, health as the mode has it,
   * data re-seeded. Tokens of users that still exist stay valid; stopped services stay stopped.
   */
  reset(): void;
  /** Closes every server, destroys open sockets (hung ones too) and clears every timer; idempotent. */
  close(): Promise<void>;
}
