import type { Observable, Subscription } from 'rxjs';
import { LOG_LEVELS, type Logger, type LogLevel } from '../config';
import type { OrchestratorEvent } from './events';

/** Writes a line; a logger that throws is ignored, as logging must never break an operation. */
export function safeLog(logger: Logger, level: keyof Logger, message: string, data?: unknown): void {
  try {
    logger[level]?.(message, data);
  } catch {
    // A broken logger has nowhere to report to.
  }
}

/**
 * The level an event is logged at: failures at warn (a failed operation, a circuit that changed,
 * a service that turned degraded or unhealthy), the lifecycle (starts, steps, completions,
 * retries, batches, a service turning healthy) at debug. A retry is not a failure yet: the
 * operation's own end says whether it was one.
 */
export function levelOf(event: OrchestratorEvent): LogLevel {
  switch (event.type) {
    case 'operation_error':
    case 'circuit_state_change':
      return 'warn';
    case 'service_health_change':
      return event.current === 'healthy' ? 'debug' : 'warn';
    default:
      return 'debug';
  }
}

/** Whether a line at `level` is written when the threshold is `threshold`. */
export function logs(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);
}

/**
 * Logs every event at or above `threshold` as `[orchestrator] <type> [<operation>]`, with the
 * (already redacted) event as data. The threshold is read at each event, so a changed option counts.
 */
export function logEvents(events$: Observable<OrchestratorEvent>, logger: () => Logger, threshold: () => LogLevel): Subscription {
  return events$.subscribe((event) => {
    const level = levelOf(event);
    if (!logs(level, threshold())) return;
    const operation = 'operation' in event && event.operation ? ` ${event.operation}` : '';
    safeLog(logger(), level, `[orchestrator] ${event.type}${operation}`, event);
  });
}

/** The options {@link switchedLogging} follows. */
export interface LoggingOptions {
  readonly enableLogging: boolean;
  readonly logger: Logger;
  readonly logLevel: LogLevel;
}

/** Logging of `events$` that follows the options: `apply()` after they change, `stop()` at the end. */
export function switchedLogging(events$: Observable<OrchestratorEvent>, options: () => LoggingOptions): { apply(): void; stop(): void } {
  let subscription: Subscription | null = null;
  const stop = (): void => {
    subscription?.unsubscribe();
    subscription = null;
  };
  const apply = (): void => {
    if (!options().enableLogging) stop();
    else
      subscription ??= logEvents(
        events$,
        () => options().logger,
        () => options().logLevel,
      );
  };
  apply();
  return { apply, stop };
}
