import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { errorCode, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { TestClock } from '../support/clock.js';
import { DEFAULT_LICENSE_CACHE } from '../../src/application/repository-licenses.js';
import { INGEST } from '../support/operations.js';

/**
 * Issue 25, item 5: licenseCheck asks GitHub at most twice per repository and period, however many
 * aliases or requests ask, and one request asks about a few distinct repositories at most.
 */
const GITHUB = 'https://api.github.com/repos';
const licenseFile = (spdx: string) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ path: 'LICENSE', content: Buffer.from(`${spdx} license text`).toString('base64'), encoding: 'base64', license: { spdx_id: spdx, name: spdx } }),
});

const replay = new FixtureReplay()
  .route(`${GITHUB}/registry-tests/flaky/license`, { status: 503, headers: { 'content-type': 'application/json' }, body: '{"message":"unavailable"}' });
const REPOSITORIES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
for (const name of REPOSITORIES) replay.route(`${GITHUB}/registry-tests/${name}/license`, licenseFile('MIT'));

const clock = new TestClock(Date.parse('2026-12-01T00:00:00Z'));
let storage: EmbeddedStorage;
let t: TestRegistry;
let bert: string;

beforeAll(async () => {
  storage = await startStorage();
  t = await startTestRegistry(storage, { replay, clock });
  const ingested = await t.gql<{ ingestArtifact: { artifact: { id: string } } }>(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
  bert = ingested.data!.ingestArtifact.artifact.id;
});
afterAll(async () => {
  await t.close();
  await storage.close();
});

/** One document with a licenseCheck alias per URL. */
function checks(urls: readonly string[]): string {
  const aliases = urls.map((url, i) => `c${i}: licenseCheck(githubUrl: ${JSON.stringify(url)}) { compatible codeLicense }`).join('\n');
  return `query($id: ID!) { artifact(id: $id) { ... on Model { ${aliases} } } }`;
}
const githubCalls = (repository: string) => t.upstream.requests.filter((r) => r.url.startsWith(`${GITHUB}/${repository}/`)).length;

describe('licenseCheck upstream calls', () => {
  it('asks GitHub once for 30 aliases of one repository, and not again for the next request', async () => {
    const url = 'https://github.com/github3py/github3py';
    const first = await t.gql<{ artifact: Record<string, { codeLicense: string }> }>(checks(Array(30).fill(url)), { id: bert });
    expect(first.errors).toBeUndefined();
    expect(Object.values(first.data!.artifact).every((c) => c.codeLicense === 'bsd-3-clause')).toBe(true);
    expect(githubCalls('github3py/github3py')).toBe(1);
    // Any spelling of the repository is the same one.
    expect((await t.gql(checks(['https://github.com/GitHub3py/GitHub3py']), { id: bert })).errors).toBeUndefined();
    expect(githubCalls('github3py/github3py')).toBe(1);
  });

  it('asks again once the answer is older than its lifetime', async () => {
    clock.advance(DEFAULT_LICENSE_CACHE.ttlMs + 1);
    expect((await t.gql(checks(['https://github.com/github3py/github3py']), { id: bert })).errors).toBeUndefined();
    expect(githubCalls('github3py/github3py')).toBe(2);
  });

  it('refuses more distinct repositories in one request than the budget, before asking GitHub for them', async () => {
    const urls = REPOSITORIES.map((name) => `https://github.com/registry-tests/${name}`);
    const answer = await t.gql<{ artifact: Record<string, { compatible: boolean } | null> }>(checks(urls), { id: bert });
    expect(DEFAULT_LICENSE_CACHE.maxRepositoriesPerRequest).toBe(5);
    expect(errorCode(answer)).toBe('QUERY_TOO_COMPLEX');
    expect(answer.errors!.map((e) => e.path)).toEqual([['artifact', 'c5']]);
    expect(REPOSITORIES.map((name) => githubCalls(`registry-tests/${name}`))).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('never remembers a failing GitHub: the next request asks again', async () => {
    for (let i = 1; i <= 2; i++) {
      expect(errorCode(await t.gql(checks(['https://github.com/registry-tests/flaky']), { id: bert }))).toBe('UPSTREAM_UNAVAILABLE');
      expect(githubCalls('registry-tests/flaky')).toBeGreaterThanOrEqual(i);
    }
    const before = githubCalls('registry-tests/flaky');
    await t.gql(checks(['https://github.com/registry-tests/flaky']), { id: bert });
    expect(githubCalls('registry-tests/flaky')).toBeGreaterThan(before);
  });

  it('answers REST license checks from the same cache', async () => {
    const id = Buffer.from(bert, 'base64').toString().split(':')[1]!;
    const before = githubCalls('registry-tests/r0');
    const response = await fetch(`${t.origin}/artifact/model/${id}/license-check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${t.adminToken}` },
      body: JSON.stringify({ github_url: 'https://github.com/registry-tests/r0' }),
    });
    expect(response.status).toBe(200);
    expect(githubCalls('registry-tests/r0')).toBe(before);
  });
});
