import type { Observable, Subscription } from 'rxjs';
import type { Logger } from '../config';
import type { OrchestratorEvent } from './events';

/** Writes a line; a logger that throws is ignored, as logging must never break an operation. */
export function safeLog(logger: Logger, level: keyof Logger, message: string, data?: unknown): void {
  try {
    logger[level]?.(message, data);
  } catch {
    // A broken logger has nowhere to report to.
  }
}

/** The level an event is logged at: failures at error, trouble at warn, progress at debug, the rest at info. */
export function levelOf(event: OrchestratorEvent): keyof Logger {
  switch (event.type) {
    case 'operation_error':
      return 'error';
    case 'operation_retry':
    case 'retry_budget_exhausted':
    case 'circuit_state_change':
      return 'warn';
    case 'service_health_change':
      return event.current === 'healthy' ? 'info' : 'warn';
    case 'operation_step':
    case 'batch_flush':
      return 'debug';
    default:
      return 'info';
  }
}

/** Logs every event as `[orchestrator] <type> [<operation>]`, with the (already redacted) event as data. */
export function logEvents(events$: Observable<OrchestratorEvent>, logger: Logger): Subscription {
  return events$.subscribe((event) => {
    const operation = 'operation' in event && event.operation ? ` ${event.operation}` : '';
    safeLog(logger, levelOf(event), `[orchestrator] ${event.type}${operation}`, event);
  });
}
