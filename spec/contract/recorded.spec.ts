import nock from 'nock';
import { firstValueFrom } from 'rxjs';
import type * as z from 'zod/mini';
import * as clients from '../../src/clients';
import type { ServiceName } from '../../src/hub';
import type { RouteOverrides } from '../../src/hub/routes';
import { SEED, startHub, type Hub } from '../../src/simulator';
import { BASE_URLS, errorOf, testHttp, useNock } from '../clients/helpers';
import { EXCHANGES, type Exchange } from './exchanges';
import { at, loadFixtures, readsAs, replay, shape, type Fixture } from './support';

/**
 * The contract from hub-recorded.md, three ways: each fixture holds what the recording says of its
 * row; the simulator (upstream or deployed mode) answers the row's request like the fixture; and the
 * library reads the fixture as documented: parsed by its schema, or failing with the named error.
 */

const fixtures = loadFixtures();
const fixtureOf = (exchange: Exchange): Fixture => {
  const fixture = fixtures.get(`${exchange.request.service}: ${exchange.name}`);
  if (!fixture) throw new Error(`no fixture for "${exchange.name}"`);
  return fixture;
};
const rows = EXCHANGES.map((exchange) => [`${exchange.request.service}: ${exchange.name}`, exchange] as const);

/** What the recording says of a row holds for an answer. */
function expectRecorded(exchange: Exchange, answer: Fixture): void {
  const { recorded } = exchange;
  expect(answer.status).toBe(recorded.status);
  expect(answer.contentType).toMatch(recorded.kind === 'json' ? /^application\/json/ : /^text\/plain/);
  for (const key of recorded.keys) expect({ key, present: at(answer.body, key) !== undefined }).toEqual({ key, present: true });
  for (const [path, text] of Object.entries(recorded.texts)) {
    expect({ path, value: at(answer.body, path), reads: readsAs(at(answer.body, path), text) }).toMatchObject({ path, reads: true });
  }
}

describe('the fixtures', () => {
  it('hold one answer per row of hub-recorded.md, and no other', () => {
    expect([...fixtures.keys()].sort()).toEqual(rows.map(([key]) => key).sort());
  });

  it.each(rows)('%s: fits what the recording says', (_key, exchange) => {
    expectRecorded(exchange, fixtureOf(exchange));
  });
});

describe('the simulator answers every recorded row as recorded', () => {
  const hubs: Partial<Record<Exchange['mode'], { hub: Hub; token: string }>> = {};
  beforeAll(async () => {
    for (const mode of ['upstream', 'deployed'] as const) {
      const hub = await startHub({ mode });
      const login = await fetch(`${hub.urls.identity}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: SEED.users.demo.email, password: SEED.users.demo.password }),
      });
      hubs[mode] = { hub, token: ((await login.json()) as { access_token: string }).access_token };
    }
  });
  afterAll(() => Promise.all(Object.values(hubs).map((entry) => entry.hub.close())));

  it.each(rows)('%s', async (_key, exchange) => {
    const entry = hubs[exchange.mode]!;
    entry.hub.reset();
    const answer = await replay(entry.hub, exchange, entry.token);
    expectRecorded(exchange, answer);
    expect(shape(answer.body)).toEqual(shape(fixtureOf(exchange).body));
  });
});

describe('the library reads every recorded answer as documented', () => {
  useNock();
  const INSTANCE = '0f0f0f0f-0000-4000-8000-000000000001';
  const withLibrary = rows.filter(([, exchange]) => exchange.library !== null);

  function schema(name: string | undefined): z.ZodMiniType | undefined {
    if (name === undefined) return undefined;
    const found = (clients as Record<string, unknown>)[name];
    if (!found) throw new Error(`src/clients exports no ${name}`);
    return found as z.ZodMiniType;
  }

  it.each(withLibrary)('%s', async (_key, exchange) => {
    const library = exchange.library!;
    const fixture = fixtureOf(exchange);
    if (!library.route) {
      // A body no route of the library fetches, read with the schema of what it is.
      expect(schema(library.schema)!.safeParse(fixture.body).success).toBe(true);
      return;
    }
    const [service, route] = library.route.split('.') as [ServiceName, string];
    const url = new URL(exchange.request.path.replace('{instance}', INSTANCE), 'http://x');
    // The route pointed at the concrete path, so that the HTTP layer reads the answer as it would the real one.
    const routes = { [service]: { [route]: url.pathname } } as RouteOverrides;
    const { http } = testHttp({ routes });
    const body = typeof fixture.body === 'string' ? fixture.body : JSON.stringify(fixture.body);
    nock(BASE_URLS[service])
      .intercept(url.pathname, exchange.request.method)
      .query(true)
      .reply(fixture.status, body, { 'content-type': fixture.contentType });
    const call$ = http.request$({
      service,
      route: route as never,
      query: Object.fromEntries(url.searchParams),
      body: exchange.request.body,
      schema: schema(library.schema)!,
      stub: schema(library.stub),
    });

    if (library.expect === 'ok') {
      await expect(firstValueFrom(call$)).resolves.toBeDefined();
      return;
    }
    const error = await errorOf(call$);
    expect({ code: error.code, status: error.status }).toEqual({ code: library.expect.code, status: library.expect.status });
    if (library.expect.reason) expect(error.message).toContain(library.expect.reason);
    expect(error.message).toContain(`${service} ${exchange.request.method} ${url.pathname}`);
  });
});
