// The simulator's control endpoint (src/simulator/control.ts), which `npm run dashboard` mounts on
// the page's own origin. Against a real Hub there is none, and the fault controls say so.
import type { ControlAction, HubSnapshot } from '@reactdjango-hub/orchestrator/simulator';

/** Where serve.mjs (and the browser test) mount the control endpoint. */
export const CONTROL_PREFIX = '/__hub';

/** The hub's state, or null when this origin has no control endpoint (or it does not answer JSON). */
export async function readControlState(signal?: AbortSignal): Promise<HubSnapshot | null> {
  try {
    const response = await fetch(`${CONTROL_PREFIX}/state`, { signal, cache: 'no-store' });
    if (!response.ok || !response.headers.get('content-type')?.includes('application/json')) return null;
    return ((await response.json()) as { state: HubSnapshot }).state;
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

/** Sends one action; resolves to the new state, or throws the endpoint's own words. */
export async function sendControlAction(action: ControlAction): Promise<HubSnapshot> {
  const response = await fetch(`${CONTROL_PREFIX}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(action),
  });
  const body = (await response.json().catch(() => ({}))) as { state?: HubSnapshot; error?: string };
  if (!response.ok || !body.state) throw new Error(body.error ?? `the control endpoint answered ${response.status}`);
  return body.state;
}
