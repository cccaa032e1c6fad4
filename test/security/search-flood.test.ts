import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry } from '../../src/registry.js';
import { createRegistryApp } from '../../src/server/app.js';
import { serveApp } from '../../src/server/http-server.js';
import type { RunningServer } from '../../src/server/yoga.js';
import { DEFAULT_SEARCH_LIMITS, type SearchLimits } from '../../src/application/search-budget.js';
import { DEFAULT_SEARCH_INDEX_OPTIONS } from '../../src/application/search-index.js';
import { MAX_README_BYTES } from '../../src/domain/artifact-metadata.js';
import { postGraphQL, TEST_SCRYPT, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { seedArtifact } from '../support/seed-readme.js';

// Issue 25, item 1: 30 aliased searches with heavy but valid RE2 patterns held the event loop
// 4-9 s in one request. Replayed over HTTP; the assertions are on the registry's counters (work
// spent, scans running, where they ran), never on how fast this machine is.
const t = useTestRegistry();

/** Lines of 900 characters: `[^\n]{998}` never matches, and RE2 carries ~900 threads through every one. */
const LONG_LINES = `${'x'.repeat(900)}\n`.repeat(Math.floor(MAX_README_BYTES / 901));
const README_COUNT = 12;
/** The most one README test can cost with a 1,000-instruction pattern: the overrun a scan may make past its budget. */
const ONE_README_WORK = LONG_LINES.length * 1_000;

/** `count` aliased searches, each with its own heavy pattern. */
const searches = (count: number, selection = 'edges { node { name } matches { snippet } } pageInfo { hasNextPage endCursor } examined readmesExamined') =>
  `{ ${Array.from({ length: count }, (_, i) => `q${i}: searchArtifacts(regex: "[^\\\\n]{${998 - i}}", first: 10) { ${selection} }`).join(' ')} }`;

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  examined: number;
  readmesExamined: number;
}

let searcher: string;

beforeAll(async () => {
  const { store } = await t.scope();
  for (let i = 0; i < README_COUNT; i++) await seedArtifact(store, { type: 'DATASET', name: `long-lines-${i}`, readme: LONG_LINES });
  const registered = await t.gql('mutation { registerUser(input: { username: "flooder", password: "a long enough password", permissions: [SEARCH] }) { user { username } } }');
  expect(registered.errors).toBeUndefined();
  searcher = await t.login('flooder', 'a long enough password');
});

const scanStats = async () => (await t.scope()).search.scanStats();

describe('aliased searches', () => {
  it('refuses 30 in one request before any scan runs', async () => {
    const before = await scanStats();
    const response = await t.gqlAs(searcher, searches(30));
    expect(response.data ?? undefined).toBeUndefined();
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxFieldUses', field: 'Query.searchArtifacts', limit: 5 });
    expect((await scanStats()).scans).toBe(before.scans);
  });

  it('scans off the request thread: health answers while a heavy search is still scanning', async () => {
    const before = await scanStats();
    let settled = false;
    const search = t.gqlAs<Record<string, Page>>(searcher, searches(5)).finally(() => {
      settled = true;
    });
    // Waits (in turns of the event loop, not time) until the scan is running in the worker.
    while ((await scanStats()).running === 0 && !settled) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    for (let probe = 0; probe < 3; probe++) {
      const health = await t.gqlAs<{ health: { status: string } }>(undefined, '{ health { status } }');
      expect(health.data!.health.status).toBe('OK');
    }
    // Every README test of these patterns is RE2 over 100 KB with ~900 live threads: the search
    // is far from done when three health requests have been answered.
    expect(settled).toBe(false);
    await search;
    const after = await scanStats();
    expect(after.place).toBe('worker');
    expect(after.scans).toBeGreaterThan(before.scans);
  });
});

// Where the scan runs (a worker thread, or the request's own thread on Lambda) changes nothing here.
describe.each(['worker', 'inline'] as const)('the request budget, scanning in %s', (scanIn) => {
  // A second registry over the same table, with a budget a tenth of one README's worst case: each
  // request can afford exactly one README test, so the counters show the budget at work.
  const LIMITS: SearchLimits = { ...DEFAULT_SEARCH_LIMITS, workPerRequest: ONE_README_WORK / 10 };
  let small: Registry;
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    small = await createRegistry(
      { region: 'us-east-1', tableName: t.registry.config.tableName, bucketName: t.registry.config.bucketName, dynamodbEndpoint: t.storage.dynamodbEndpoint, s3Endpoint: t.storage.s3Endpoint, emulated: true },
      { scrypt: TEST_SCRYPT, searchLimits: LIMITS, ensureDefaultAdmin: false, searchIndex: { ...DEFAULT_SEARCH_INDEX_OPTIONS, scanIn } },
    );
    server = await serveApp(createRegistryApp(small, { logError: () => {} }), 0);
    const login = await postGraphQL<{ authenticate: { token: string } }>(server.url, 'mutation { authenticate(username: "flooder", password: "a long enough password") { token } }');
    token = login.data!.authenticate.token;
  });

  afterAll(async () => {
    await server.close();
    small.destroy();
  });

  const work = () => small.scope(0).search.scanStats().work;

  afterAll(() => {
    expect(small.scope(0).search.scanStats().place).toBe(scanIn);
  });

  it('ends a page early, with a cursor, where the budget ran out', async () => {
    const before = work();
    const response = await postGraphQL<Record<string, Page>>(server.url, searches(1), undefined, token);
    expect(response.errors).toBeUndefined();
    // The names, then one README: past the budget, the page ends with a cursor where it stopped.
    expect(response.data!['q0']).toMatchObject({ readmesExamined: 1, pageInfo: { hasNextPage: true, endCursor: expect.any(String) } });
    expect(work() - before).toBeLessThanOrEqual(LIMITS.workPerRequest + ONE_README_WORK);
  });

  it('is shared by all the aliases of a request: those after it ran out are refused with a code saying so', async () => {
    const before = work();
    const response = await postGraphQL<Record<string, Page | null>>(server.url, searches(5), undefined, token);
    // They run in document order; searchArtifacts is non-null, so the first refusal ends the answer.
    const refused = response.errors!.map((error) => [error.path?.[0], error.extensions?.['code'], error.extensions?.['limitName']]);
    expect(refused).toEqual([['q1', 'QUERY_TOO_COMPLEX', 'workPerRequest']]);
    expect(response.data).toBeNull();
    expect(work() - before).toBeLessThanOrEqual(LIMITS.workPerRequest + ONE_README_WORK);
  });

  it('lets the next request page on from where the budget stopped the last', async () => {
    const query = 'query($after: String) { searchArtifacts(regex: "[^\\\\n]{998}", first: 10, after: $after) { pageInfo { hasNextPage endCursor } readmesExamined } }';
    let after: string | undefined;
    let readmes = 0;
    for (let page = 0; page < README_COUNT + 2; page++) {
      const response = await postGraphQL<{ searchArtifacts: Page }>(server.url, query, after === undefined ? {} : { after }, token);
      expect(response.errors).toBeUndefined();
      const { pageInfo, readmesExamined } = response.data!.searchArtifacts;
      readmes += readmesExamined;
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor!;
    }
    // Every README tested once, one a request, and the scan reached the end.
    expect(readmes).toBe(README_COUNT);
  });

  it('bounds REST searches the same way: the pages of one byRegEx share it', async () => {
    const before = work();
    const response = await fetch(new URL('/artifact/byRegEx', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${token}` },
      body: JSON.stringify({ regex: '[^\\n]{998}' }),
    });
    // Nothing found within the budget: not a 404, since the rest was never read.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(work() - before).toBeLessThanOrEqual(LIMITS.workPerRequest + ONE_README_WORK);
  });
});

describe('searches of one user at once', () => {
  it('answers RATE_LIMITED past the cap, over GraphQL and REST, and admits again once one ends', async () => {
    const gate = t.registry.searches;
    const held = Array.from({ length: DEFAULT_SEARCH_LIMITS.concurrentPerUser }, () => gate.enter('flooder'));
    try {
      const response: GraphQLResponse<unknown> = await t.gqlAs(searcher, searches(1));
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
      const rest = await fetch(new URL('/artifact/byRegEx', t.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${searcher}` },
        body: JSON.stringify({ regex: 'long-lines-1' }),
      });
      expect(rest.status).toBe(429);
      // Another user is not held up by this one's searches.
      expect((await t.gql(searches(1, 'examined'))).errors).toBeUndefined();
    } finally {
      for (const place of held) if (place.ok) place.value();
    }
    expect((await t.gqlAs(searcher, '{ searchArtifacts(regex: "long-lines-1") { edges { node { name } } } }')).errors).toBeUndefined();
  });
});
