import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD_SPELLINGS } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { AUTHENTICATE, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { DEFAULT_THROTTLE } from '../../src/store/login-throttle.js';

/** PUT /authenticate as the course's clients send it. */
async function restLogin(t: TestRegistry, password: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${t.origin}/authenticate`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { name: DEFAULT_ADMIN_USERNAME, is_admin: true }, secret: { password } }),
  });
  return { status: response.status, body: await response.json() };
}

const graphqlLogin = (t: TestRegistry, password: string) =>
  t.gqlAs<{ authenticate: { token: string } | null }>(undefined, AUTHENTICATE, { username: DEFAULT_ADMIN_USERNAME, password });

/** The published spellings, and near misses of them that must never work. */
const SPELLINGS = DEFAULT_ADMIN_PASSWORD_SPELLINGS;
const NEAR_MISSES = [
  ...SPELLINGS.map((spelling) => `${spelling} `),
  ...SPELLINGS.map((spelling) => spelling.toUpperCase()),
  SPELLINGS[2]!.replace('packages', 'artifacts'),
  SPELLINGS[1]!.normalize('NFKD').replace('`', '\u2018'),
];

describe.each([
  { configured: undefined, works: SPELLINGS, fails: NEAR_MISSES },
  { configured: 'a password the operator chose', works: ['a password the operator chose'], fails: [...SPELLINGS] },
])('the default administrator with ADMIN_PASSWORD $configured', ({ configured, works, fails }) => {
  let storage: EmbeddedStorage;
  let t: TestRegistry;
  beforeAll(async () => {
    storage = await startStorage();
    // A throttle this test never reaches: every refusal below is the password check's.
    const throttle = { ...DEFAULT_THROTTLE, freeFailures: 1_000, usernameFailures: 10_000 };
    t = await startTestRegistry(storage, configured === undefined ? { throttle } : { throttle, adminPassword: configured });
  });
  afterAll(async () => {
    await t.close();
    await storage.close();
  });

  it.each(works)('logs in with %j over REST and GraphQL, and the token works', async (password) => {
    const rest = await restLogin(t, password);
    expect(rest).toMatchObject({ status: 200, body: expect.stringMatching(/^bearer \S+$/) });
    const graphql = await graphqlLogin(t, password);
    expect(graphql.errors).toBeUndefined();
    const viewer = await t.gqlAs<{ viewer: { user: { username: string } } }>(graphql.data!.authenticate!.token, '{ viewer { user { username } } }');
    expect(viewer.data?.viewer.user.username).toBe(DEFAULT_ADMIN_USERNAME);
  });

  it('refuses every other spelling with 401 and UNAUTHENTICATED', async () => {
    for (const password of fails) {
      expect((await restLogin(t, password)).status, password).toBe(401);
      expect((await graphqlLogin(t, password)).errors?.[0]?.extensions?.['code'], password).toBe('UNAUTHENTICATED');
    }
  });
});
