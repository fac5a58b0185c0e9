/**
 * @jest-environment jsdom
 */
// The React bindings in a DOM (jsdom), against the simulator running in this test process over real
// sockets: axios picks its XMLHttpRequest adapter here, as in a browser (the simulator answers CORS).
import { act, configure, render, renderHook, screen, waitFor } from '@testing-library/react';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearImmediate, setImmediate } from 'node:timers';
import { useEffect, type ReactNode } from 'react';
import {
  configureServiceOrchestrator,
  createServiceOrchestrator,
  isOrchestratorError,
  resetServiceOrchestrator,
  type OrchestratorEvent,
  type ServiceOrchestrator,
} from '../../src';
import { OrchestratorProvider, unwrap, useEvents, useHealth, useMetrics, useOperation, useOrchestrator } from '../../src/react';
import { SEED, startHub, type Hub } from '../../src/simulator';

// Every render in StrictMode, at the root (React double-mounts only there, not under a wrapper's
// <StrictMode>): effects mount, unmount and mount again, as in development.
configure({ reactStrictMode: true });

// The simulator is a Node program; jsdom's globals lack setImmediate, which it uses on close.
Object.assign(globalThis, { setImmediate, clearImmediate });

const doc = SEED.documents.quarterlyReport;
const ai = SEED.definitions.aiProcessing;

let hub: Hub;
let orchestrator: ServiceOrchestrator;
let events: OrchestratorEvent[];

beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.close());

beforeEach(async () => {
  hub.reset();
  orchestrator = createServiceOrchestrator({ services: hub.urls, retryDelay: 5, timeout: 5_000, enableLogging: false });
  const signedIn = await orchestrator.signIn(SEED.users.demo.email, SEED.users.demo.password);
  if (!signedIn.success) throw new Error(`sign-in failed: ${signedIn.error}`);
  events = [];
  orchestrator.events$.subscribe((event) => events.push(event));
  hub.clearRequests();
});
afterEach(() => orchestrator.dispose());

/** The provider around a hook. */
function wrapper({ children }: { children?: ReactNode }) {
  return <OrchestratorProvider orchestrator={orchestrator}>{children}</OrchestratorProvider>;
}

/** A local server that never answers and records when the client closes a request: the server's view of an abort. */
async function hangingServer(): Promise<{ url: string; arrived: Promise<void>; closed: Promise<void>; server: Server }> {
  let onArrival!: () => void;
  let onClose!: () => void;
  const arrived = new Promise<void>((resolve) => (onArrival = resolve));
  const closed = new Promise<void>((resolve) => (onClose = resolve));
  const server = createServer((request: IncomingMessage, response) => {
    // The browser's preflight for the Authorization header.
    if (request.method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Allow-Methods': 'GET, POST',
      });
      response.end();
      return;
    }
    onArrival();
    request.socket.once('close', onClose);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived, closed, server };
}

describe('useOperation', () => {
  it('goes idle → pending → success with the data, a state of its own', async () => {
    const { result } = renderHook(() => ({ a: useOperation('searchAndTriggerWorkflows'), b: useOperation('searchAndTriggerWorkflows') }), {
      wrapper,
    });
    expect(result.current.a).toMatchObject({ status: 'idle', data: undefined, error: null, isPending: false });

    let pending!: Promise<unknown>;
    act(() => {
      pending = result.current.a.run('quarterly report', false);
    });
    expect(result.current.a.status).toBe('pending');
    expect(result.current.a.isPending).toBe(true);
    await act(() => pending);

    const { a, b } = result.current;
    expect(a.error).toBeNull();
    expect(a.status).toBe('success');
    if (a.status !== 'success') throw new Error('unreachable');
    expect(a.data.searchResults.total).toBeGreaterThan(0);
    expect(a.result.duration).toBeGreaterThanOrEqual(0);
    // The other hook's state is its own.
    expect(b.status).toBe('idle');

    act(() => a.reset());
    expect(result.current.a.status).toBe('idle');
  });

  it('gives status error with the readable sentence, and nothing was sent for bad input', async () => {
    const { result } = renderHook(() => useOperation('processDocumentWithAI'), { wrapper });
    await act(() => result.current.run('not-a-uuid', ai.id));
    expect(result.current.status).toBe('error');
    expect(result.current.error).toContain('Invalid input');
    expect(result.current.result?.details).toMatchObject({ code: 'invalid_input' });
    expect(hub.requests).toHaveLength(0);
  });

  it('aborts its request at the server when the component unmounts during the call', async () => {
    const content = await hangingServer();
    const local = createServiceOrchestrator({ services: { ...hub.urls, content: content.url }, enableLogging: false, timeout: 10_000 });
    try {
      await local.signIn(SEED.users.demo.email, SEED.users.demo.password);
      const outcomes: string[] = [];
      local.events$.subscribe((event) => {
        if (event.type === 'operation_error') outcomes.push(String(event.code));
      });
      const { result, unmount } = renderHook(() => useOperation('processDocumentWithAI', local), { wrapper });
      let call!: Promise<{ success: boolean; details?: Record<string, unknown> }>;
      act(() => {
        call = result.current.run(doc.id, ai.id);
      });
      await content.arrived;
      unmount();
      // The server sees its request closed; the call ends as aborted.
      await content.closed;
      const ended = await call;
      expect(ended.success).toBe(false);
      expect(ended.details).toMatchObject({ code: 'aborted' });
      expect(outcomes).toEqual(['aborted']);
    } finally {
      local.dispose();
      await new Promise<void>((resolve) => content.server.close(() => resolve()));
    }
  });

  it("survives StrictMode's double mount: the rehearsal's call is aborted, the real one succeeds", async () => {
    function Search() {
      const search = useOperation('searchAndTriggerWorkflows');
      const { run } = search;
      useEffect(() => {
        void run('quarterly report', false);
      }, [run]);
      return <p>{search.status === 'success' ? `found ${search.data.searchResults.total}` : search.status}</p>;
    }
    render(<Search />, { wrapper });
    await screen.findByText(/^found \d+$/);
    const ends = events.filter((event) => event.type === 'operation_complete' || event.type === 'operation_error');
    expect(ends.map((event) => (event.type === 'operation_error' ? event.code : 'complete'))).toEqual(['aborted', 'complete']);
  });

  it('lets a later call win: the earlier one is aborted and does not overwrite the state', async () => {
    const { result } = renderHook(() => useOperation('searchAndTriggerWorkflows'), { wrapper });
    let first!: Promise<{ success: boolean; details?: Record<string, unknown> }>;
    let second!: Promise<unknown>;
    act(() => {
      first = result.current.run('quarterly report', false);
      second = result.current.run('contract', false);
    });
    await act(() => Promise.all([first, second]));
    expect((await first).details).toMatchObject({ code: 'aborted' });
    expect(result.current.status).toBe('success');
    if (result.current.status === 'success') expect(result.current.data.searchResults.query).toBe('contract');
  });
});

describe('useOrchestrator', () => {
  it("has the seed's shape: isLoading, error, the operations resolving to data or null, the orchestrator", async () => {
    const { result } = renderHook(() => useOrchestrator(), { wrapper });
    expect(result.current).toMatchObject({ isLoading: false, error: null, orchestrator });

    let found!: Promise<unknown>;
    act(() => {
      found = result.current.searchAndTrigger('quarterly report', false);
    });
    expect(result.current.isLoading).toBe(true);
    const data = (await act(() => found)) as { searchResults: { total: number } } | null;
    expect(data?.searchResults.total).toBeGreaterThan(0);
    expect(result.current.isLoading).toBe(false);

    const failed = await act(() => result.current.processDocument(doc.id, SEED.users.alice.id));
    expect(failed).toBeNull();
    expect(result.current.error).toMatch(/workflow/i);
  });

  it('aborts the calls still running when it unmounts', async () => {
    const content = await hangingServer();
    const local = createServiceOrchestrator({ services: { ...hub.urls, content: content.url }, enableLogging: false });
    try {
      await local.signIn(SEED.users.demo.email, SEED.users.demo.password);
      const { result, unmount } = renderHook(() => useOrchestrator(local), { wrapper });
      let call!: Promise<unknown>;
      act(() => {
        call = result.current.processDocument(doc.id, ai.id);
      });
      await content.arrived;
      unmount();
      await content.closed;
      expect(await call).toBeNull();
    } finally {
      local.dispose();
      await new Promise<void>((resolve) => content.server.close(() => resolve()));
    }
  });

  it('uses the default instance without a provider, configured before first use', async () => {
    configureServiceOrchestrator({ services: hub.urls, enableLogging: false });
    try {
      const { result } = renderHook(() => useOrchestrator());
      expect(result.current.orchestrator.config.services).toEqual(hub.urls);
      const health = await result.current.orchestrator.performHealthCheck();
      expect(health.overall).toBe('healthy');
    } finally {
      resetServiceOrchestrator();
    }
  });
});

describe('useHealth, useEvents, useMetrics', () => {
  it('useHealth: null, then the check; any number of components cause one round of checks', async () => {
    const { result } = renderHook(() => ({ one: useHealth(), two: useHealth() }), { wrapper });
    expect(result.current.one).toBeNull();
    await waitFor(() => expect(result.current.one?.overall).toBe('healthy'));
    expect(result.current.two).toBe(result.current.one);
    expect(hub.requests.filter((request) => request.path === '/health')).toHaveLength(4);
  });

  it('useEvents keeps only what the filter passes, with the filter of the latest render', async () => {
    const { result, rerender } = renderHook(({ type }) => useEvents(type), {
      wrapper,
      initialProps: { type: 'operation_complete' as 'operation_complete' | 'operation_start' },
    });
    await act(() => orchestrator.searchAndTriggerWorkflows('quarterly report', false));
    expect(result.current.map((event) => event.type)).toEqual(['operation_complete']);
    rerender({ type: 'operation_start' });
    await act(() => orchestrator.searchAndTriggerWorkflows('contract', false));
    expect(result.current.map((event) => event.type)).toEqual(['operation_complete', 'operation_start']);
  });

  it('useEvents with a test and a limit', async () => {
    const { result } = renderHook(() => useEvents((event) => event.type === 'operation_step', { limit: 2 }), { wrapper });
    await act(() => orchestrator.processDocumentWithAI(doc.id, ai.id));
    expect(result.current).toHaveLength(2);
    expect(result.current.every((event) => event.type === 'operation_step')).toBe(true);
  });

  it('useMetrics: a new snapshot after each operation', async () => {
    const { result } = renderHook(() => useMetrics(), { wrapper });
    const before = result.current.totalOperations;
    await act(() => orchestrator.searchAndTriggerWorkflows('quarterly report', false));
    expect(result.current.totalOperations).toBe(before + 1);
    expect(result.current.successfulOperations).toBeGreaterThan(0);
  });
});

describe('unwrap', () => {
  it('gives the data, or rejects with an OrchestratorError keeping the code', async () => {
    await expect(unwrap(orchestrator.searchAndTriggerWorkflows('quarterly report', false))).resolves.toMatchObject({
      searchResults: { query: 'quarterly report' },
    });
    const error = await unwrap(orchestrator.processDocumentWithAI('nope', ai.id)).catch((caught: unknown) => caught);
    expect(isOrchestratorError(error) && error.code).toBe('invalid_input');
  });
});
