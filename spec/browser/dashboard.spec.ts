import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFINITIONS, DEMO_USER, DOCUMENTS, PEOPLE } from '../../examples/dashboard/seed';
import { SERVICE_NAMES } from '../../src/hub';
import { createControlHandler, SEED, startHub, type ControlAction, type Hub } from '../../src/simulator';

// The dashboard example (examples/dashboard), built with Vite and driven in Debian's headless
// Chromium against a real simulator, with the simulator's control endpoint on the page's origin as
// `npm run dashboard` mounts it.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const BUILD_SCRIPT = resolve(__dirname, 'build-dashboard.mjs');
/** Gitignored (spec/browser/.gitignore): looked at by people, not compared by the test. */
const SCREENSHOTS = resolve(__dirname, '__screenshots__');

const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && !process.env.CI) {
  console.warn(`Skipping the dashboard's browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
}
// On CI a missing browser is a failure, never a silent skip.
const describeInBrowser = chromiumMissing && !process.env.CI ? describe.skip : describe;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves the built page from `dir` on a free loopback port, with the hub's control endpoint when given one. */
async function serveStatic(dir: string, hub?: Hub): Promise<Server> {
  const control = hub ? createControlHandler(hub) : null;
  const serveFile = (path: string, res: import('node:http').ServerResponse) => {
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (control) control(req, res, () => serveFile(path, res));
    else serveFile(path, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
}

const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Ports nothing listens on: bound once, then closed. */
async function closedPorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

/** The types of one operation's log lines, oldest first (the log shows the newest first). */
function logTypesOf(page: Page, operation: string): Promise<string[]> {
  return page.$$eval(`#event-log li[data-operation="${operation}"]`, (items) =>
    items.map((item) => (item as HTMLElement).dataset.type ?? '').reverse(),
  );
}

/** Whether the page is wider than its viewport, i.e. scrolls sideways. */
function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

describe('the dashboard example', () => {
  it('uses the simulator’s seeded ids and demo credentials', () => {
    expect(DEMO_USER).toEqual({ email: SEED.users.demo.email, password: SEED.users.demo.password });
    expect(PEOPLE.alice).toEqual({ id: SEED.users.alice.id, email: SEED.users.alice.email });
    expect(PEOPLE.bob).toEqual({ id: SEED.users.bob.id, email: SEED.users.bob.email });
    expect(DOCUMENTS).toEqual({ quarterlyReport: SEED.documents.quarterlyReport.id, serviceContract: SEED.documents.serviceContract.id });
    expect(DEFINITIONS).toEqual({
      aiProcessing: SEED.definitions.aiProcessing.id,
      collaborationTemplate: SEED.definitions.collaborationTemplate.id,
    });
  });

  describeInBrowser('in headless Chromium', () => {
    let outDir: string | undefined;
    let server: Server | undefined;
    let bare: Server | undefined;
    let hub: Hub | undefined;
    let browser: Browser | undefined;
    let desktop: BrowserContext | undefined;
    let page: Page;
    let query: string;
    const pageErrors: string[] = [];
    /** How the desktop page sent each request to the simulator's services: `fetch` or `xhr`, as Chromium tells. */
    const hubRequestTypes: string[] = [];

    /** One action on the control endpoint, over HTTP as the page sends it. */
    async function control(action: ControlAction): Promise<void> {
      const response = await fetch(`${origin(server!)}/__hub/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(action),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }

    /** A fresh page in its own context; the caller closes the context. */
    async function open(options: { width: number; height: number; dark?: boolean }, path: string): Promise<[BrowserContext, Page]> {
      const context = await browser!.newContext({
        viewport: { width: options.width, height: options.height },
        colorScheme: options.dark ? 'dark' : 'light',
      });
      const opened = await context.newPage();
      opened.setDefaultTimeout(10_000);
      opened.on('pageerror', (error) => pageErrors.push(error.message));
      await opened.goto(path);
      return [context, opened];
    }

    beforeAll(async () => {
      if (chromiumMissing) {
        throw new Error(
          `No Chromium at ${CHROMIUM}: the dashboard's browser test needs it on CI. ` +
            'Install it with `apt-get install -y chromium` (.ci/run does), or set CHROMIUM_PATH.',
        );
      }
      outDir = mkdtempSync(join(tmpdir(), 'hub-dashboard-'));
      const [, started, launched] = await Promise.all([
        promisify(execFile)(process.execPath, [BUILD_SCRIPT, outDir], { timeout: 30_000 }),
        startHub(),
        chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
      ]);
      hub = started;
      browser = launched;
      [server, bare] = await Promise.all([serveStatic(outDir, hub), serveStatic(outDir)]);
      // Short health interval and circuit settings, so that a fault shows within a second or two.
      query = new URLSearchParams({ ...hub.urls, interval: '250', threshold: '3', resetTimeout: '1000' }).toString();
      const hubOrigins = Object.values(hub.urls).map((url) => new URL(url).origin);
      [desktop, page] = await open({ width: 1280, height: 900 }, `${origin(server)}/?${query}`);
      page.on('request', (request) => {
        if (hubOrigins.includes(new URL(request.url()).origin)) hubRequestTypes.push(request.resourceType());
      });
    }, 60_000);

    afterAll(async () => {
      await desktop?.close();
      await browser?.close();
      await Promise.all([closeServer(server), closeServer(bare)]);
      await hub?.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    }, 30_000);

    it('shows the four services healthy with their latency and a closed circuit, and signs in as the demo user', async () => {
      for (const service of SERVICE_NAMES) {
        await page.waitForSelector(`[data-service="${service}"][data-status="healthy"][data-circuit="closed"]`);
      }
      await page.waitForSelector('#session[data-state="signed-in"]');
      await page.waitForSelector('#overall[data-status="healthy"]');
      expect(await page.$('[data-banner]')).toBeNull();

      const latencies = await page.$$eval('[data-service]', (tiles) => tiles.map((tile) => (tile as HTMLElement).dataset.latency));
      expect(latencies).toHaveLength(4);
      for (const latency of latencies) expect(latency).toMatch(/^\d+$/);
      // A few checks in, each sparkline has a line.
      await page.waitForFunction(() => document.querySelectorAll('.tile .sparkline polyline').length === 4);
    });

    it.each(['onboardNewUser', 'processDocumentWithAI', 'searchAndTriggerWorkflows', 'setupCollaborativeWorkspace'])(
      'runs %s from its form and logs its start, steps and completion',
      async (operation) => {
        await page.click(`button[data-operation="${operation}"]`);
        await page.waitForSelector(`output[data-result-for="${operation}"][data-outcome="success"]`);
        await page.waitForSelector(`#event-log li[data-type="operation_complete"][data-operation="${operation}"]`);

        const types = await logTypesOf(page, operation);
        expect(types[0]).toBe('operation_start');
        expect(types.at(-1)).toBe('operation_complete');
        expect(types).toContain('operation_step');
        expect(types).not.toContain('operation_error');
      },
    );

    it('sends to the Hub with fetch, the browser build’s default transport, never with XHR (axios’s browser adapter)', () => {
      // Preflights (CORS) are not requests of the page's code, and Chromium does not report them here.
      expect(hubRequestTypes.length).toBeGreaterThan(20);
      expect(new Set(hubRequestTypes)).toEqual(new Set(['fetch']));
    });

    it('disables an operation’s button and inputs while it runs, and only then', async () => {
      // Seen from inside the page at every DOM change, so that no timing decides what is observed.
      await page.evaluate(() => {
        const seen: Array<{ outcome: string | null; button: boolean; input: boolean }> = [];
        const observer = new MutationObserver(() => {
          const form = document.querySelector('[data-form="processDocumentWithAI"]');
          seen.push({
            outcome: form?.querySelector('output')?.getAttribute('data-outcome') ?? null,
            button: form?.querySelector('button')?.matches(':disabled') ?? false,
            input: form?.querySelector('input[name="documentId"]')?.matches(':disabled') ?? false,
          });
        });
        observer.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
        Object.assign(window, { seen, stopWatching: () => observer.disconnect() });
      });
      // Content answers slowly, so that the running state lasts long enough for a person to see.
      await control({ action: 'latency', service: 'content', ms: 300 });
      await page.click('button[data-operation="processDocumentWithAI"]');
      await page.waitForSelector('output[data-result-for="processDocumentWithAI"][data-outcome="success"]');
      const seen = await page.evaluate(() => {
        const watched = window as unknown as {
          seen: Array<{ outcome: string | null; button: boolean; input: boolean }>;
          stopWatching(): void;
        };
        watched.stopWatching();
        return watched.seen;
      });
      await control({ action: 'latency', service: 'content', ms: 0 });

      const running = seen.filter((state) => state.outcome === 'running');
      expect(running.length).toBeGreaterThan(0);
      for (const state of running) expect(state).toEqual({ outcome: 'running', button: true, input: true });
      expect(seen.at(-1)).toEqual({ outcome: 'success', button: false, input: false });
    });

    it('runs an operation with the inputs typed into its form, and refuses a bad one before any request', async () => {
      await page.fill('[data-form="searchAndTriggerWorkflows"] input[name="query"]', 'service contract');
      await page.uncheck('[data-form="searchAndTriggerWorkflows"] input[name="trigger"]');
      hub!.clearRequests();
      await page.click('button[data-operation="searchAndTriggerWorkflows"]');
      await page.waitForSelector('output[data-result-for="searchAndTriggerWorkflows"][data-outcome="success"]');
      const search = hub!.requestsTo('content', 'GET', '/api/v1/search');
      expect(search.map((request) => request.query.q)).toEqual(['service contract']);
      expect(hub!.requestsTo('workflow', 'POST')).toEqual([]);
      expect(await page.textContent('output[data-result-for="searchAndTriggerWorkflows"]')).toMatch(/0 workflows triggered/);

      await page.fill('[data-form="processDocumentWithAI"] input[name="documentId"]', 'not-an-id');
      hub!.clearRequests();
      await page.click('button[data-operation="processDocumentWithAI"]');
      await page.waitForSelector('output[data-result-for="processDocumentWithAI"][data-outcome="failure"]');
      expect(await page.textContent('output[data-result-for="processDocumentWithAI"]')).toMatch(/documentId/);
      expect(hub!.requests.filter((request) => request.path !== '/health')).toEqual([]);
      await page.fill('[data-form="processDocumentWithAI"] input[name="documentId"]', DOCUMENTS.quarterlyReport);
    });

    it('counts the runs in the metrics panel: operations, success rate, percentiles, requests, batches, and the latency chart', async () => {
      const row = page.locator('[data-operation-metrics="processDocumentWithAI"]');
      expect(Number(await row.getAttribute('data-count'))).toBe(3);
      expect(Number(await row.getAttribute('data-failed'))).toBe(1);
      expect(await row.locator('td').nth(1).textContent()).toMatch(/^67% \(1 failed\)$/);
      for (const cell of [2, 3, 4]) expect(await row.locator('td').nth(cell).textContent()).toMatch(/^\d+ ms$/);
      // The demo sign-in, the four operations (onboarding signs the demo user in again), two more runs and the refused one.
      expect(await page.textContent('[data-metric="operations"] dd')).toBe('9');
      expect(await page.textContent('[data-metric="success-rate"] dd')).toBe('89%');
      expect(Number(await page.getAttribute('[data-service-metrics="content"]', 'data-requests'))).toBeGreaterThan(0);
      expect(await page.textContent('[data-metric="batches"] dd')).toMatch(/^[1-9]\d* \(\d+ notifications\)$/);
      expect(await page.locator('.latency-chart circle').count()).toBe(8);
      expect(await page.locator('.latency-chart path.failure').count()).toBe(1);
    });

    it('flips a tile and opens its circuit when the control endpoint injects 503s, and closes it once they run out', async () => {
      await control({ action: 'fail', service: 'workflow', count: 6 });
      await page.waitForSelector('[data-service="workflow"][data-status="unhealthy"]');
      await page.waitForSelector('[data-service="workflow"][data-circuit="open"]');
      expect(await page.textContent('[data-service="workflow"] .circuit')).toMatch(/circuit open/);
      expect(await page.textContent('[data-service="workflow"] .detail')).toMatch(/503/);
      await page.waitForSelector('#event-log li[data-type="circuit_state_change"] >> text=circuit closed → open');
      for (const service of ['identity', 'content', 'communication']) {
        expect(await page.getAttribute(`[data-service="${service}"]`, 'data-status')).toBe('healthy');
      }
      // The six failures are used up by the health checks; the next one succeeds and closes the circuit.
      await page.waitForSelector('[data-service="workflow"][data-status="healthy"][data-circuit="closed"]');
    });

    it('stops a service from the Faults panel: its tile turns red, an operation needing it fails, and Start brings it back', async () => {
      await page.click('[data-fault-service="workflow"] button[data-fault="stop"]');
      await page.waitForSelector('[data-fault-service="workflow"][data-running="false"]');
      await page.waitForSelector('[data-service="workflow"][data-status="unhealthy"]');
      await page.waitForSelector('#event-log li[data-type="service_health_change"] >> text=healthy → unhealthy');

      await page.click('button[data-operation="processDocumentWithAI"]');
      await page.waitForSelector('output[data-result-for="processDocumentWithAI"][data-outcome="failure"]');
      await page.waitForSelector('#event-log li[data-type="operation_error"][data-operation="processDocumentWithAI"]');

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1280-workflow-stopped.png'), fullPage: true });

      await page.click('[data-fault-service="workflow"] button[data-fault="start"]');
      await page.waitForSelector('[data-service="workflow"][data-status="healthy"]');
    });

    it('filters the event log by type, pauses it, and clears it; times carry milliseconds', async () => {
      const times = await page.$$eval('#event-log time', (nodes) => nodes.map((node) => node.textContent));
      expect(times.length).toBeGreaterThan(10);
      for (const time of times) expect(time).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);

      await page.selectOption('#event-filter', 'operation_complete');
      const types = await page.$$eval('#event-log li[data-type]', (items) => items.map((item) => (item as HTMLElement).dataset.type));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(['operation_complete']));
      await page.selectOption('#event-filter', 'all');

      await page.click('button[data-log="pause"]');
      const frozen = await page.locator('#event-log li').count();
      await page.click('button[data-operation="searchAndTriggerWorkflows"]');
      await page.waitForSelector('output[data-result-for="searchAndTriggerWorkflows"][data-outcome="success"]');
      expect(await page.locator('#event-log li').count()).toBe(frozen);
      expect(await page.textContent('.log-count')).toMatch(/paused \([1-9]\d* new\)/);
      await page.click('button[data-log="pause"]');
      expect(await page.locator('#event-log li').count()).toBeGreaterThan(frozen);

      await page.click('button[data-log="clear"]');
      expect(await page.textContent('#event-log')).toMatch(/No events yet/);
      await page.click('button[data-operation="setupCollaborativeWorkspace"]');
      await page.waitForSelector('#event-log li[data-type="operation_complete"][data-operation="setupCollaborativeWorkspace"]');
      expect(await logTypesOf(page, 'searchAndTriggerWorkflows')).toEqual([]);
    });

    it('fits a 390 px phone: no sideways scrolling, the four tiles on screen; screenshots at both widths', async () => {
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1280.png'), fullPage: true });
      expect(await overflowsSideways(page)).toBe(false);

      const [[phone, small], [dark, night]] = await Promise.all([
        open({ width: 390, height: 844 }, `${origin(server!)}/?${query}`),
        open({ width: 390, height: 844, dark: true }, `${origin(server!)}/?${query}`),
      ]);
      try {
        await Promise.all(
          [small, night].map(async (view) => {
            await view.waitForSelector('[data-service="workflow"][data-status="healthy"]');
            await view.waitForSelector('#session[data-state="signed-in"]');
          }),
        );
        // One run, so that an outcome line, the metrics and the chart have something to show.
        await small.click('button[data-operation="processDocumentWithAI"]');
        await small.waitForSelector('output[data-result-for="processDocumentWithAI"][data-outcome="success"]');
        for (const view of [small, night]) {
          expect(await overflowsSideways(view)).toBe(false);
          for (const service of SERVICE_NAMES) {
            const box = await view.locator(`[data-service="${service}"]`).boundingBox();
            expect(box).not.toBeNull();
            expect(box!.x).toBeGreaterThanOrEqual(0);
            expect(box!.x + box!.width).toBeLessThanOrEqual(390);
          }
        }
        // The dark theme follows prefers-color-scheme.
        const background = (view: Page) => view.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        expect(await background(small)).toBe('rgb(246, 248, 250)');
        expect(await background(night)).toBe('rgb(13, 17, 23)');
        await small.screenshot({ path: join(SCREENSHOTS, 'dashboard-390.png'), fullPage: true });
        // The full page is tall at 390 px; each section on its own is easier to look at.
        for (const section of ['services', 'operations-panel', 'faults-panel', 'metrics', 'events']) {
          await small.locator(`.panel.${section}`).screenshot({ path: join(SCREENSHOTS, `dashboard-390-${section}.png`) });
        }
        await night.screenshot({ path: join(SCREENSHOTS, 'dashboard-390-dark.png'), fullPage: true });
      } finally {
        await Promise.all([phone.close(), dark.close()]);
      }
    }, 40_000);

    it('says the Hub cannot be reached when no service answers', async () => {
      const [identity, content, communication, workflow] = (await closedPorts(4)).map((port) => `http://127.0.0.1:${port}`);
      const unreachable = new URLSearchParams({ identity, content, communication, workflow, interval: '250' }).toString();
      const [context, view] = await open({ width: 1280, height: 900 }, `${origin(bare!)}/?${unreachable}`);
      try {
        const banner = view.locator('[data-banner="unreachable"]');
        await banner.waitFor();
        expect(await banner.textContent()).toMatch(/The Hub cannot be reached/);
        expect(await banner.textContent()).toContain(identity);
        expect(await view.textContent('[data-control]')).toMatch(/npm run dashboard/);
        await view.screenshot({ path: join(SCREENSHOTS, 'dashboard-1280-unreachable.png') });
      } finally {
        await context.close();
      }
    });

    it('opened without its query string: explains what it needs, or takes the URLs from the simulator beside it', async () => {
      const [context, view] = await open({ width: 390, height: 844 }, `${origin(bare!)}/`);
      try {
        const banner = view.locator('[data-banner="unconfigured"]');
        await banner.waitFor();
        expect(await banner.textContent()).toMatch(/does not know where the Hub is/);
        expect(await view.textContent('main')).toMatch(/npm run dashboard/);
        expect(await view.$('[data-service]')).toBeNull();
        expect(await overflowsSideways(view)).toBe(false);
        await view.screenshot({ path: join(SCREENSHOTS, 'dashboard-390-unconfigured.png') });

        await view.goto(`${origin(server!)}/`);
        await view.waitForSelector('[data-service="identity"][data-status="healthy"]');
        expect(new URL(view.url()).searchParams.get('identity')).toBe(hub!.urls.identity);
      } finally {
        await context.close();
      }
      expect(pageErrors).toEqual([]);
    });
  });
});
