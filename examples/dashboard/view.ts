import type {
  OperationName,
  OperationResult,
  OrchestratorEvent,
  ServiceHealth,
  ServiceName,
  SystemHealthCheck,
} from '@reactdjango-hub/orchestrator';

/** The most entries the event log keeps; older ones drop off the bottom. */
const LOG_LIMIT = 200;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function required<T extends Element>(selector: string): T {
  const node = document.querySelector<T>(selector);
  if (!node) throw new Error(`The page lacks ${selector}`);
  return node;
}

/** One tile per service: `data-service`, `data-status` and `data-latency` are what tests read. */
export function renderTiles(services: readonly ServiceName[]): void {
  const container = required<HTMLElement>('#services');
  for (const service of services) {
    const tile = element('article', { class: 'tile', 'data-service': service, 'data-status': 'unknown' });
    tile.append(
      element('h3', {}, service),
      element('p', { class: 'status' }, 'checking…'),
      element('p', { class: 'latency' }, '–'),
      element('p', { class: 'detail' }, ''),
    );
    container.append(tile);
  }
}

function updateTile(service: ServiceName, health: ServiceHealth): void {
  const tile = required<HTMLElement>(`[data-service="${service}"]`);
  tile.dataset.status = health.status;
  tile.dataset.latency = String(health.latencyMs);
  required<HTMLElement>(`[data-service="${service}"] .status`).textContent = health.status;
  required<HTMLElement>(`[data-service="${service}"] .latency`).textContent = `${health.latencyMs} ms`;
  required<HTMLElement>(`[data-service="${service}"] .detail`).textContent = health.error ?? `${health.service} ${health.version}`;
}

/** Shows one round of health checks: every tile and the overall verdict. */
export function showHealth(health: SystemHealthCheck, services: readonly ServiceName[]): void {
  for (const service of services) updateTile(service, health[service]);
  const overall = required<HTMLElement>('#overall');
  overall.dataset.status = health.overall;
  overall.textContent = `Hub ${health.overall} · checked ${new Date(health.timestamp).toLocaleTimeString()}`;
}

/** The session line: `data-state` is `signing-in`, `signed-in` or `failed`. */
export function showSession(state: 'signing-in' | 'signed-in' | 'failed', text: string): void {
  const session = required<HTMLElement>('#session');
  session.dataset.state = state;
  session.textContent = text;
}

/** A button per operation, with an `<output>` under it for its last result. */
export function renderOperations(
  operations: ReadonlyArray<{ name: OperationName; label: string }>,
  onClick: (name: OperationName) => void,
): void {
  const container = required<HTMLElement>('#operations');
  for (const { name, label } of operations) {
    const button = element('button', { type: 'button', 'data-operation': name }, label);
    button.addEventListener('click', () => onClick(name));
    const row = element('div', { class: 'operation' });
    row.append(button, element('output', { 'data-result-for': name }, ''));
    container.append(row);
  }
}

/** Marks an operation as running, then shows its result (`data-outcome` is `running`, `success` or `failure`). */
export function showResult(name: OperationName, result: OperationResult<unknown> | 'running', summary = ''): void {
  const output = required<HTMLOutputElement>(`output[data-result-for="${name}"]`);
  if (result === 'running') {
    output.dataset.outcome = 'running';
    output.textContent = 'running…';
    return;
  }
  const time = `${Math.round(result.duration ?? 0)} ms`;
  output.dataset.outcome = result.success ? 'success' : 'failure';
  const partial = result.serviceErrors ? ` (partial: ${Object.keys(result.serviceErrors).join(', ')} failed)` : '';
  output.textContent = result.success ? `ok in ${time}: ${summary}${partial}` : `failed in ${time}: ${result.error ?? 'unknown error'}`;
}

/** What a log line says after its type: who (operation or service) and what (step or detail). */
function describe(event: OrchestratorEvent): { subject: string; detail: string } {
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
      return { subject: event.operation, detail: event.error };
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
  }
}

/** Adds an event at the top of the log: newest first. */
export function logEvent(event: OrchestratorEvent): void {
  const log = required<HTMLOListElement>('#event-log');
  const { subject, detail } = describe(event);
  const attributes: Record<string, string> = { 'data-type': event.type };
  if ('operation' in event && event.operation) attributes['data-operation'] = event.operation;
  if (event.type === 'operation_step') attributes['data-step'] = event.step;
  const item = element('li', attributes);
  item.append(
    element('time', { datetime: event.timestamp }, new Date(event.timestamp).toLocaleTimeString()),
    element('span', { class: 'type' }, event.type),
    element('span', { class: 'subject' }, subject),
    element('span', { class: 'detail' }, detail),
  );
  log.prepend(item);
  while (log.children.length > LOG_LIMIT) log.lastElementChild?.remove();
}

/** A problem the page cannot work around, such as a bad service URL in the query string. */
export function showFatal(message: string): void {
  const banner = required<HTMLElement>('#fatal');
  banner.hidden = false;
  banner.textContent = message;
}
