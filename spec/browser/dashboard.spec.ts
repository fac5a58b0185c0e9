import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFINITIONS, DEMO_USER, DOCUMENTS, PEOPLE } from '../../examples/dashboard/seed';
import { SERVICE_NAMES } from '../../src/hub';
import { SEED, startHub, type Hub } from '../../src/simulator';

// The dashboard example (examples/dashboard), built with Vite and driven in Debian's headless
// Chromium against a real simulator.

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
const SCREENSHOT = resolve(__dirname, '__screenshots__', 'dashboard.png');

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

/** Serves the built page from `dir` on a free loopback port. */
async function serveStatic(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

/** The types of one operation's log lines, oldest first (the log shows the newest first). */
function logTypesOf(page: Page, operation: string): Promise<string[]> {
  return page.$$eval(`#event-log li[data-operation="${operation}"]`, (items) =>
    items.map((item) => (item as HTMLElement).dataset.type ?? '').reverse(),
  );
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
    let hub: Hub | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];

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
      server = await serveStatic(outDir);

      page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      const { port } = server.address() as AddressInfo;
      const query = new URLSearchParams({ ...hub.urls, interval: '300' });
      await page.goto(`http://127.0.0.1:${port}/?${query.toString()}`);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      server?.closeAllConnections();
      await new Promise((done) => (server ? server.close(done) : done(undefined)));
      await hub?.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    }, 30_000);

    it('shows the four services healthy, with their latency, and signs in as the demo user', async () => {
      for (const service of SERVICE_NAMES) await page.waitForSelector(`[data-service="${service}"][data-status="healthy"]`);
      await page.waitForSelector('#session[data-state="signed-in"]');
      await page.waitForSelector('#overall[data-status="healthy"]');

      const latencies = await page.$$eval('[data-service]', (tiles) => tiles.map((tile) => (tile as HTMLElement).dataset.latency));
      expect(latencies).toHaveLength(4);
      for (const latency of latencies) expect(latency).toMatch(/^\d+$/);
    });

    it.each(['onboardNewUser', 'processDocumentWithAI', 'searchAndTriggerWorkflows', 'setupCollaborativeWorkspace'])(
      'runs %s from its button and logs its start, steps and completion',
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

    it('turns the workflow tile unhealthy when the service stops, and an operation that needs it fails', async () => {
      await hub!.stopService('workflow');

      await page.waitForSelector('[data-service="workflow"][data-status="unhealthy"]');
      await page.waitForSelector('#event-log li[data-type="service_health_change"] >> text=healthy → unhealthy');
      for (const service of ['identity', 'content', 'communication']) {
        expect(await page.getAttribute(`[data-service="${service}"]`, 'data-status')).toBe('healthy');
      }

      await page.click('button[data-operation="processDocumentWithAI"]');
      await page.waitForSelector('output[data-result-for="processDocumentWithAI"][data-outcome="failure"]');
      await page.waitForSelector('#event-log li[data-type="operation_error"][data-operation="processDocumentWithAI"]');

      mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(pageErrors).toEqual([]);
    });
  });
});
