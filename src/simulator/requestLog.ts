import type { ServiceName } from '../hub';
import { redact, REDACTED } from '../redact';
import type { ParsedBody } from './http';
import { matchTemplate } from './routing';
import type { HubRequest } from './types';

/** A log entry while its request is in flight: body and status are filled in as they become known. */
export type LogEntry = { -readonly [K in keyof HubRequest]: HubRequest[K] };

/** What the log keeps of a body: JSON redacted; raw text as is unless it might hold a secret we cannot locate. */
export function loggedBody(body: ParsedBody): unknown {
  switch (body.kind) {
    case 'empty':
      return null;
    case 'json':
      return redact(body.value);
    case 'text':
      return /password|token/i.test(body.text) ? REDACTED : body.text;
  }
}

/** Every request the hub received, in arrival order. */
export class RequestLog {
  private readonly entries: LogEntry[] = [];
  private readonly waiters = new Set<{ matches: (entry: HubRequest) => boolean; resolve: (entry: HubRequest) => void }>();

  get all(): readonly HubRequest[] {
    return this.entries;
  }

  begin(request: Omit<LogEntry, 'body' | 'status'>): LogEntry {
    const entry: LogEntry = { ...request, body: null, status: null };
    this.entries.push(entry);
    return entry;
  }

  /** Called once a request's body is read: wakes whoever waits for such a request. */
  received(entry: LogEntry): void {
    for (const waiter of this.waiters) {
      if (!waiter.matches(entry)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(entry);
    }
  }

  clear(): void {
    this.entries.length = 0;
  }

  filter(service: ServiceName, method?: string, pathTemplate?: string): HubRequest[] {
    return this.entries.filter(matcher(service, method, pathTemplate));
  }

  /** The first matching request already received, or the next one to arrive. */
  waitFor(service: ServiceName, method?: string, pathTemplate?: string): Promise<HubRequest> {
    const matches = matcher(service, method, pathTemplate);
    const past = this.entries.find(matches);
    if (past) return Promise.resolve(past);
    return new Promise((resolve) => this.waiters.add({ matches, resolve }));
  }
}

function matcher(service: ServiceName, method?: string, pathTemplate?: string): (entry: HubRequest) => boolean {
  const wanted = method?.toUpperCase();
  return (entry) =>
    entry.service === service &&
    (wanted === undefined || entry.method === wanted) &&
    (pathTemplate === undefined || matchTemplate(pathTemplate, entry.path) !== null);
}
