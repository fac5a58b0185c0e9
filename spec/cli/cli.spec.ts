import { main } from '../../src/cli';
import type { CliIO } from '../../src/cli/io';
import { SERVICE_NAMES } from '../../src/hub';
import { SEED, startHub, type Hub } from '../../src/simulator';

/** A captured terminal; `interrupt()` plays Ctrl-C, `printed(n)` resolves once n lines are out. */
function terminal(env: Record<string, string> = {}, color = false) {
  const out: string[] = [];
  const err: string[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const io: CliIO = {
    out: (line) => {
      out.push(line);
      for (const waiter of waiting.filter((w) => out.length >= w.count)) waiter.resolve();
    },
    err: (line) => err.push(line),
    env,
    color,
    untilInterrupted: () => interrupted,
  };
  const printed = (count: number) =>
    out.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }));
  return { io, out, err, printed, interrupt: () => interrupt() };
}

/** A simulator on four consecutive ports, as `simulate --port N` lays it out; a taken port means another try. */
async function hubOnConsecutivePorts(): Promise<{ hub: Hub; base: number }> {
  for (let attempt = 0; ; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    try {
      const ports = Object.fromEntries(SERVICE_NAMES.map((service, index) => [service, base + index]));
      return { hub: await startHub({ ports }), base };
    } catch (error) {
      if (attempt >= 10) throw error;
    }
  }
}

function urlFlags(hub: Hub): string[] {
  return SERVICE_NAMES.flatMap((service) => [`--${service}`, hub.urls[service]]);
}

describe('hub-orchestrator health', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterEach(() => hub.reset());
  afterAll(() => hub.close());

  it('prints a table and exits 0 when all four are healthy', async () => {
    const t = terminal();
    expect(await main(['health', ...urlFlags(hub)], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const service of SERVICE_NAMES) expect(text).toMatch(new RegExp(`${service}\\s+healthy`));
    expect(text).toContain('overall: healthy');
  });

  it('reads the URLs from the env vars', async () => {
    const env = Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_SERVICE_URL`, hub.urls[s]]));
    const t = terminal(env);
    expect(await main(['health', '--json'], t.io)).toBe(0);
    expect(JSON.parse(t.out[0]!)).toMatchObject({ overall: 'healthy', identity: { status: 'healthy' } });
  });

  it('exits 1 when degraded and 2 when unhealthy, saying why', async () => {
    hub.setHealthStatus('workflow', 'degraded');
    const degraded = terminal();
    expect(await main(['health', ...urlFlags(hub)], degraded.io)).toBe(1);
    const unreachable = terminal();
    const flags = urlFlags(hub).map((value) => (value === hub.urls.identity ? 'http://127.0.0.1:1' : value));
    expect(await main(['health', '--json', ...flags], unreachable.io)).toBe(2);
    const line = JSON.parse(unreachable.out[0]!);
    expect(line.identity).toMatchObject({ status: 'unhealthy' });
    expect(line.identity.error).toMatch(/ECONNREFUSED/);
  });

  it('watches, printing one JSON line per check until interrupted', async () => {
    const t = terminal();
    const running = main(['health', '--watch', '--json', '--interval', '20', ...urlFlags(hub)], t.io);
    await t.printed(2);
    t.interrupt();
    expect(await running).toBe(0);
    expect(t.out.every((line) => JSON.parse(line).overall === 'healthy')).toBe(true);
  });

  it.each([
    [['health', '--interval', 'soon'], /^hub-orchestrator health: --interval takes a whole number \(ms\) from 1 to 2147483647, not "soon"/],
    [['health', '--interval', '-5'], /--interval takes a whole number \(ms\) from 1 to 2147483647, not "-5"/],
    [['health', '--timeout', '1.5'], /--timeout takes a whole number \(ms\)/],
    [['health', '--identity', 'identity:8001'], /--identity takes an http\(s\) URL such as http:\/\/localhost:8001, not "identity:8001"/],
    [['health', '--port', '-1'], /--port takes a whole number \(the first port\) from 1 to 65532, not "-1"/],
    [['health', '--bogus'], /unknown flag --bogus; it takes --json, --watch, --interval/],
    [['health', '--interval'], /--interval needs a value/],
    [['fly'], /unknown command "fly" \(commands: simulate, health, doctor, demo\)/],
    [['health', '--mode', 'upstream'], /unknown flag --mode/],
    [['demo', '--json'], /^hub-orchestrator demo: unknown flag --json; it takes --mode/],
    [['simulate', '--port', '70000'], /--port takes a whole number \(a port\) from 0 to 65532, not "70000"/],
    [['simulate', '--latency', '-20'], /--latency takes a whole number \(ms\) from 0 to 60000, not "-20"/],
    [['simulate', '--mode', 'legacy'], /--mode takes "extended", "upstream", "deployed", not "legacy"/],
  ])('rejects %j with exit code 64, a message naming the flag, and a pointer to the help (not the whole usage)', async (argv, message) => {
    const t = terminal();
    expect(await main(argv, t.io)).toBe(64);
    const text = t.err.join('\n');
    expect(text).toMatch(message);
    expect(text).toMatch(/Run `hub-orchestrator (\w+ )?--help` for usage\.$/);
    expect(text.split('\n')).toHaveLength(2);
    expect(t.out).toEqual([]);
  });

  it('checks the simulator at --port N, the layout of `simulate --port N`', async () => {
    const { hub: laidOut, base } = await hubOnConsecutivePorts();
    try {
      const t = terminal();
      expect(await main(['health', '--port', String(base), '--host', '127.0.0.1', '--json'], t.io)).toBe(0);
      expect(JSON.parse(t.out[0]!)).toMatchObject({ overall: 'healthy', workflow: { reportedName: 'workflow-intelligence-service' } });
      expect(laidOut.requests.map((request) => request.service).sort()).toEqual([...SERVICE_NAMES].sort());
    } finally {
      await laidOut.close();
    }
  });

  it('gives the same JSON fields for every service, answering or not', async () => {
    const t = terminal();
    const flags = urlFlags(hub).map((value) => (value === hub.urls.content ? 'http://127.0.0.1:1' : value));
    expect(await main(['health', '--json', ...flags], t.io)).toBe(1);
    const line = JSON.parse(t.out[0]!) as Record<string, Record<string, unknown>>;
    const keys = SERVICE_NAMES.map((service) => Object.keys(line[service]!).sort());
    expect(new Set(keys.map((list) => list.join(','))).size).toBe(1);
    expect(line.content).toMatchObject({ service: 'content', reportedName: null, status: 'unhealthy', version: null });
    expect(line.identity).toMatchObject({ service: 'identity', reportedName: 'auth-service', status: 'healthy', error: null });
  });

  it('colours the statuses on a terminal, and not otherwise', async () => {
    const plain = terminal({}, false);
    await main(['health', ...urlFlags(hub)], plain.io);
    expect(plain.out.join('\n')).not.toContain('\u001b[');
    const coloured = terminal({}, true);
    await main(['health', ...urlFlags(hub)], coloured.io);
    const text = coloured.out.join('\n');
    expect(text).toContain('\u001b[32mhealthy\u001b[0m');
    // The colour codes do not count towards the column widths: without them, every row's latency starts under its heading.
    // eslint-disable-next-line no-control-regex -- the ANSI colour codes are what is taken out
    const [header, , ...rows] = text.replace(/\u001b\[\d+m/g, '').split('\n') as [string, string, ...string[]];
    for (const row of rows.slice(0, SERVICE_NAMES.length)) expect(row.search(/\d+ ms/)).toBe(header.indexOf('latency'));
  });
});

describe('hub-orchestrator itself', () => {
  it('prints its version with --version and -v', async () => {
    const { version } = jest.requireActual<{ version: string }>('../../package.json');
    for (const flag of ['--version', '-v']) {
      const t = terminal();
      expect(await main([flag], t.io)).toBe(0);
      expect(t.out).toEqual([version]);
    }
  });

  it.each(['simulate', 'health', 'doctor', 'demo'])('gives the help of %s alone, with --help, -h or help <command>', async (command) => {
    for (const argv of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
    ]) {
      const t = terminal();
      expect(await main(argv, t.io)).toBe(0);
      const text = t.out.join('\n');
      expect(text.startsWith(`Usage: hub-orchestrator ${command}`)).toBe(true);
      for (const other of ['simulate', 'health', 'doctor', 'demo'].filter((name) => name !== command))
        expect(text).not.toContain(`hub-orchestrator ${other}`);
    }
  });

  it('lists the commands with --help, and exits 64 with the usage when given none', async () => {
    const help = terminal();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(/Commands:\n {2}simulate .*\n {2}health .*\n {2}doctor .*\n {2}demo /);
    const none = terminal();
    expect(await main([], none.io)).toBe(64);
    expect(none.err.join('\n')).toContain('Usage: hub-orchestrator <command>');
  });
});

describe('hub-orchestrator simulate', () => {
  it('serves the four services until interrupted, then stops', async () => {
    const t = terminal();
    const running = main(['simulate', '--port', '0', '--mode', 'upstream'], t.io);
    await t.printed(3);
    expect(t.out.join('\n')).toContain('Ctrl-C');
    const url = /IDENTITY_SERVICE_URL=(\S+)/.exec(t.out.join('\n'))?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toMatchObject({ service: 'auth-service', status: 'healthy' });
    t.interrupt();
    expect(await running).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

describe('hub-orchestrator demo', () => {
  it('runs the four operations with a retry, an open circuit, health and metrics, and exits 0', async () => {
    const t = terminal();
    expect(await main(['demo'], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const operation of ['onboardNewUser', 'processDocumentWithAI', 'searchAndTriggerWorkflows', 'setupCollaborativeWorkspace']) {
      expect(text).toContain(`${operation} complete`);
    }
    expect(text).toMatch(/retry #1 of content GET \/api\/v1\/documents\/\{id\}/);
    expect(text).toContain('circuit workflow: closed -> open');
    expect(text).toContain('circuit workflow: half_open -> closed');
    expect(text).toContain('overall: healthy');
    expect(text).toMatch(/operation\s+count\s+ok\s+failed\s+p50 ms/);
  });
});

describe('hub-orchestrator demo --mode', () => {
  it.each(['upstream', 'deployed'] as const)(
    'runs against the %s hub and exits 0 when every operation came out as doctor said',
    async (mode) => {
      const t = terminal();
      expect(await main(['demo', '--mode', mode], t.io)).toBe(0);
      const text = t.out.join('\n');
      expect(text).toContain(`simulator in ${mode} mode`);
      expect(text).toMatch(/setupCollaborativeWorkspace \(doctor: unavailable\)\n=> failure/);
      expect(text).toMatch(/onboardNewUser \(doctor: partial\)\n=> success/);
      expect(text).not.toContain('NOT AS DOCTOR SAID');
      expect(text).toContain('overall: degraded');
    },
  );
});

describe('hub-orchestrator doctor', () => {
  const password = SEED.users.demo.password;
  const login = ['--email', SEED.users.demo.email, '--password', password];
  let hub: Hub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterEach(() => hub.reset());
  afterAll(() => hub.close());

  it('extended, with --token: every operation full, exit 0, and the token is never printed', async () => {
    const token = hub.tokenFor(SEED.users.demo.id);
    const t = terminal();
    expect(await main(['doctor', '--token', token, ...urlFlags(hub)], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const operation of ['onboardNewUser', 'processDocumentWithAI', 'searchAndTriggerWorkflows', 'setupCollaborativeWorkspace']) {
      expect(text).toMatch(new RegExp(`${operation}\\s+full`));
    }
    expect(text).toContain("identity's tokens (from the given token): content accepts, communication accepts, workflow accepts");
    expect(text).not.toContain(token);
  });

  it('upstream, --json: the machine report, exit 1', async () => {
    hub.setMode('upstream');
    const t = terminal();
    expect(await main(['doctor', '--json', ...login, ...urlFlags(hub)], t.io)).toBe(1);
    expect(t.out).toHaveLength(1);
    const report = JSON.parse(t.out[0]!);
    expect(report.operations).toEqual({
      onboardNewUser: 'partial',
      processDocumentWithAI: 'unavailable',
      searchAndTriggerWorkflows: 'unavailable',
      setupCollaborativeWorkspace: 'unavailable',
      signIn: 'full',
    });
    expect(report.endpoints).toContainEqual(
      expect.objectContaining({
        service: 'content',
        endpoint: 'GET /api/v1/search',
        state: 'stub',
        neededBy: ['searchAndTriggerWorkflows'],
      }),
    );
    expect(t.out[0]).not.toContain(password);
  });

  it('deployed, with the password from HUB_PASSWORD: every token refused outside identity, exit 1', async () => {
    hub.setMode('deployed');
    const t = terminal({ HUB_PASSWORD: password });
    expect(await main(['doctor', '--email', SEED.users.demo.email, ...urlFlags(hub)], t.io)).toBe(1);
    const text = t.out.join('\n');
    expect(text).toContain("identity's tokens (from a login): content REFUSES, communication REFUSES, workflow REFUSES");
    expect(text).toMatch(
      /setupCollaborativeWorkspace\s+unavailable\s+!content\.getDocument auth_refused, !communication\.createConversation missing/,
    );
    expect(text).toMatch(/identity\s+POST \/auth\/validate\s+missing\s+404/);
    expect(text).not.toContain(password);
  });

  it('reads the URLs from the env vars, as health does, and says when nothing was probed with a token', async () => {
    const env = Object.fromEntries(SERVICE_NAMES.map((s) => [`${s.toUpperCase()}_SERVICE_URL`, hub.urls[s]]));
    const t = terminal(env);
    expect(await main(['doctor'], t.io)).toBe(1);
    expect(t.out.join('\n')).toMatch(/identity's tokens: not probed \(no token: pass --token/);
    expect(hub.requests.length).toBeGreaterThan(0);
  });

  it.each([
    [['doctor', '--token', 't', '--email', 'a@b.c', '--password', 'p'], /either --token or --email and --password, not both/],
    [['doctor', '--email', 'a@b.c'], /--email needs --password \(or HUB_PASSWORD/],
    [['doctor', '--password', 'p'], /--password needs --email/],
    [['doctor', '--timeout', '0'], /--timeout takes a whole number \(ms\) from 1 to 2147483647, not "0"/],
    [['doctor', '--identity', 'nowhere'], /--identity takes an http\(s\) URL/],
    [['doctor', '--mode', 'upstream'], /unknown flag --mode/],
    [['health', '--token', 't'], /unknown flag --token/],
  ])('rejects %j with exit code 64', async (argv, message) => {
    const t = terminal();
    expect(await main(argv, t.io)).toBe(64);
    expect(t.err.join('\n')).toMatch(message);
    expect(t.err.join('\n')).not.toMatch(/--password p\b/);
  });
});
