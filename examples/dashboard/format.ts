import type { OrchestratorEvent } from '@reactdjango-hub/orchestrator';

/** `14:03:07.042`: local time with milliseconds, as an operator compares events that close together. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A whole number of ms, or `–` when there is nothing to show. */
export function ms(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${Math.round(value)} ms`;
}

/** `97%`, or `–` with nothing counted. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`;
}

/** What a log line says after its type: who (operation or service) and what (step or detail). */
export function describeEvent(event: OrchestratorEvent): { subject: string; detail: string } {
  switch (event.type) {
    case 'operation_start':
      return { subject: event.operation, detail: '' };
    case 'operation_step':
      return {
        subject: event.operation,
        detail: `${event.step} (${event.service}) ${event.outcome}${event.error ? `: ${event.error}` : ''}`,
      };
    case 'operation_complete':
      return { subject: event.operation, detail: `${Math.round(event.duration)} ms${event.partial ? ', partial' : ''}` };
    case 'operation_error':
      return { subject: event.operation, detail: `${Math.round(event.duration)} ms: ${event.error}` };
    case 'operation_retry':
      return {
        subject: event.operation ?? event.service,
        detail: `${event.service} ${event.endpoint}, attempt ${event.attempt} in ${Math.round(event.delay)} ms`,
      };
    case 'service_health_change':
      return { subject: event.service, detail: `${event.previous} → ${event.current}` };
    case 'circuit_state_change':
      return { subject: event.service, detail: `circuit ${event.previous} → ${event.current}` };
    case 'batch_flush':
      return { subject: event.service, detail: `${event.size} notification(s), ${event.reason}` };
    case 'retry_budget_exhausted':
      return {
        subject: event.operation ?? event.service,
        detail: `${event.service} ${event.endpoint}: retry ${event.attempt} refused, budget spent`,
      };
  }
}
