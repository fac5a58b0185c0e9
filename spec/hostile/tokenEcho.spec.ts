import fc from 'fast-check';
import { firstValueFrom } from 'rxjs';
import { REDACTED } from '../../src';
import { DOC_ID, hostileOrchestrator, startHostile, USER_ID, WORKFLOW_ID, type HostileServer } from './support';

// Defect 2: a service that put the Authorization header, or the bare token, into its error body
// leaked it into serviceErrors, the $ form's error and cause, events$ and the log lines. These
// cases failed before redaction by value.

/** What the echoing service knows this round, and how it echoes. */
interface Round {
  access: string;
  refresh: string;
  password: string;
  /** How the service puts what it got back in its error body. */
  echo: 'json-detail' | 'json-message' | 'plain' | 'url-encoded';
}

let round: Round;

/** Every string inside a value, keys included, and an error's message, stack and cause chain. */
function strings(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
    strings((value as { cause?: unknown }).cause, out, seen);
  }
  for (const [key, item] of Object.entries(value)) {
    out.push(key);
    strings(item, out, seen);
  }
  return out;
}

/** The secrets of this round that appear anywhere in `outputs`. */
function leaks(outputs: unknown[]): string[] {
  const texts = strings(outputs);
  const found = [round.access, round.refresh, round.password].filter((secret) => texts.some((text) => text.includes(secret)));
  if (process.env.DEBUG_LEAKS) for (const s of found) console.log(texts.filter((t) => t.includes(s)));
  return found;
}

function echoBody(req: { headers: Record<string, unknown>; url?: string }, body: string): { type: string; text: string } {
  const got = `Authorization: ${String(req.headers.authorization)}; token ${round.access}; refresh ${round.refresh}; body ${body}`;
  switch (round.echo) {
    case 'json-detail':
      return { type: 'application/json', text: JSON.stringify({ detail: `rejected (${got})` }) };
    case 'json-message':
      return { type: 'application/json', text: JSON.stringify({ message: got }) };
    case 'plain':
      return { type: 'text/plain', text: `rejected ${got}`.slice(0, 180) };
    case 'url-encoded':
      return { type: 'text/plain', text: `see /debug?token=${encodeURIComponent(round.access)}&r=${encodeURIComponent(round.refresh)}` };
  }
}

const LOGIN = () => ({
  access_token: round.access,
  refresh_token: round.refresh,
  token_type: 'bearer',
  expires_in: 3600,
  user_id: USER_ID,
  user: { id: USER_ID, email: 'ada@example.com', first_name: 'Ada', last_name: 'L', is_verified: true, status: 'active' },
});

describe('a service that echoes the token, the refresh token or the password', () => {
  let server: HostileServer;
  beforeAll(async () => {
    server = await startHostile((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'POST' && path === '/auth/login' && body.includes('"ada@example.com"')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(LOGIN()));
        } else if (path === '/api/v1/search') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ query: 'q', total: 0, documents: [] }));
        } else {
          const { type, text } = echoBody(req, body);
          res.writeHead(path === '/auth/login' ? 401 : 500, { 'content-type': type }).end(text);
        }
      });
    });
  });
  afterAll(() => server.close());

  /** Signs in, then fails a critical step, a best-effort step and a sign-in; every output gathered. */
  async function everyOutput(): Promise<unknown[]> {
    const { orchestrator, events, logs } = hostileOrchestrator(server.url, { auth: {}, enableBatching: false });
    const outputs: unknown[] = [events, logs];
    try {
      const signedIn = await orchestrator.signIn('ada@example.com', round.password);
      expect(signedIn.success).toBe(true);
      // A critical step fails with the echo: result, and the $ form's error with its cause chain.
      const failed = await orchestrator.processDocumentWithAI(DOC_ID, WORKFLOW_ID);
      expect(failed.success).toBe(false);
      outputs.push(failed);
      outputs.push(await firstValueFrom(orchestrator.processDocumentWithAI$(DOC_ID, WORKFLOW_ID)).catch((error: unknown) => error));
      // A best-effort step fails with the echo: serviceErrors of a partial success.
      const partial = await orchestrator.searchAndTriggerWorkflows('q', false, [USER_ID]);
      expect(partial).toMatchObject({ success: true, details: { partial: true } });
      outputs.push(partial);
      // The clients' own errors.
      outputs.push(await firstValueFrom(orchestrator.clients.content.getDocument$(DOC_ID)).catch((error: unknown) => error));
      // A sign-in refused with the password echoed.
      outputs.push(await orchestrator.signIn('bob@example.com', round.password));
      outputs.push(await firstValueFrom(orchestrator.signIn$('bob@example.com', round.password)).catch((error: unknown) => error));
      outputs.push(await orchestrator.performHealthCheck());
    } finally {
      orchestrator.dispose();
    }
    return outputs;
  }

  it.each(['json-detail', 'json-message', 'plain', 'url-encoded'] as const)('scrubs every output when it echoes as %s', async (echo) => {
    round = { access: 'acc-9d2f7c1e4b8a6d3f5e0c2a9b', refresh: 'ref-1a2b3c4d5e6f7a8b9c0d', password: 'correct horse battery', echo };
    const outputs = await everyOutput();
    expect(leaks(outputs)).toEqual([]);
    // The echo is still told, with the secret replaced.
    expect(strings(outputs).some((text) => text.includes(REDACTED))).toBe(true);
  });

  it('keeps the $ error a ServiceError-derived OrchestratorError with its cause, scrubbed', async () => {
    round = {
      access: 'acc-0f1e2d3c4b5a69788796a5b4',
      refresh: 'ref-ffeeddccbbaa99887766',
      password: 'hunter2hunter2',
      echo: 'json-detail',
    };
    const { orchestrator } = hostileOrchestrator(server.url, { auth: {} });
    await orchestrator.signIn('ada@example.com', round.password);
    const error = await firstValueFrom(orchestrator.processDocumentWithAI$(DOC_ID, WORKFLOW_ID)).catch((failure: unknown) => failure);
    orchestrator.dispose();
    expect(error).toMatchObject({ name: 'OrchestratorError', code: 'step_failed', details: { status: 500 } });
    const cause = (error as { cause?: unknown }).cause;
    expect(cause).toMatchObject({ name: 'ServiceError', code: 'http', status: 500 });
    expect((cause as Error).message).toContain(REDACTED);
    expect(leaks([error])).toEqual([]);
  });

  it('leaks nothing over random tokens, passwords and echo forms (property)', async () => {
    const visible = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
      minLength: 12,
      maxLength: 48,
    });
    let tried = 0;
    const found: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        visible,
        visible,
        fc.string({ minLength: 8, maxLength: 64, unit: 'grapheme' }),
        fc.constantFrom<Round['echo']>('json-detail', 'json-message', 'plain', 'url-encoded'),
        async (access, refresh, password, echo) => {
          fc.pre(![access, refresh, password].some((secret) => REDACTED.includes(secret) || secret.trim() !== secret));
          round = { access, refresh, password, echo };
          tried += 3;
          const leaked = leaks(await everyOutput());
          found.push(...leaked);
          expect(leaked).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
    expect(found).toEqual([]);
    // Reported in the note: how many secret-bearing cases were tried.
    expect(tried).toBeGreaterThanOrEqual(75);
  });
});
