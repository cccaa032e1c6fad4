import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { DEFAULT_TOKEN_POLICY } from '../../src/application/users/authentication.js';
import { DEFAULT_THROTTLE } from '../../src/store/login-throttle.js';
import { AUTHENTICATE, errorCode, startTestRegistry, useTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';
import { INGEST, LIST, type ArtifactPage } from '../support/operations.js';
import { artifactIdOf } from '../support/ids.js';

const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
const PASSWORD = 'correct horse battery';

const REGISTER = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username permissions } } }';
const VIEWER = '{ viewer { user { username } remainingCalls tokenExpiresAt } }';

const t = useTestRegistry({ clock, throttle: { ...DEFAULT_THROTTLE, freeFailures: 3 } });

/** As the administrator with a fresh token: the shared one expires when the clock jumps 10 hours. */
async function asAdmin<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) {
  return t.gqlAs<T>(await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD), query, variables);
}

async function register(username: string, permissions: string[]): Promise<void> {
  const response = await asAdmin(REGISTER, { input: { username, password: PASSWORD, permissions } });
  expect(response.errors).toBeUndefined();
}

describe('logins', () => {
  it('round-trips the default password, quotes, backtick and semicolon included', async () => {
    expect(DEFAULT_ADMIN_PASSWORD).toContain('`;DROP TABLE');
    const response = await t.gqlAs<{ authenticate: { token: string; remainingCalls: number; expiresAt: string } }>(undefined, AUTHENTICATE, {
      username: DEFAULT_ADMIN_USERNAME,
      password: DEFAULT_ADMIN_PASSWORD,
    });
    expect(response.data!.authenticate).toMatchObject({ remainingCalls: 1000, expiresAt: new Date(clock.now().getTime() + 10 * 3600_000).toISOString() });
    expect(response.data!.authenticate.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers a wrong password and an unknown user identically', async () => {
    await register('alice', ['SEARCH']);
    const wrong = await t.gqlAs(undefined, AUTHENTICATE, { username: 'alice', password: 'not her password' });
    const unknown = await t.gqlAs(undefined, AUTHENTICATE, { username: 'mallory', password: 'not her password' });
    const malformed = await t.gqlAs(undefined, AUTHENTICATE, { username: '../../etc', password: 'not her password' });
    for (const response of [wrong, unknown, malformed]) {
      expect(response.errors).toEqual([expect.objectContaining({ message: 'invalid username or password', extensions: { code: 'UNAUTHENTICATED' } })]);
    }
  });

  it('delays an address after repeated failures at a username, even for the right password, until the delay passes', async () => {
    await register('bob', ['SEARCH']);
    for (let i = 0; i < 3; i++) await t.gqlAs(undefined, AUTHENTICATE, { username: 'bob', password: 'guess' });
    const blocked = await t.gqlAs(undefined, AUTHENTICATE, { username: 'bob', password: PASSWORD });
    expect(blocked.errors![0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 }, message: expect.stringMatching(/too many failed logins/) });
    // Other usernames are unaffected.
    expect((await t.gqlAs(undefined, AUTHENTICATE, { username: 'alice', password: PASSWORD })).errors).toBeUndefined();
    clock.advance(1_000);
    expect((await t.gqlAs(undefined, AUTHENTICATE, { username: 'bob', password: PASSWORD })).errors).toBeUndefined();
  });

  it('never stores a password or a token in the clear', async () => {
    const token = await t.login('alice', PASSWORD);
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const items = await t.registry.dynamo.doc.send(new ScanCommand({ TableName: t.registry.config.tableName }));
    const dump = JSON.stringify(items.Items);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(DEFAULT_ADMIN_PASSWORD);
  });
});

describe('tokens', () => {
  // The call budget is configuration (TokenPolicy): a registry whose tokens carry 20 calls tests the
  // same counting as 1,000 would, in 20 requests instead of 1,000 (whose time depends on the machine).
  const BUDGET = 20;
  let small: TestRegistry;
  beforeAll(async () => {
    small = await startTestRegistry(t.storage, { clock, tokenPolicy: { ...DEFAULT_TOKEN_POLICY, calls: BUDGET } });
    const admin = await small.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const created = await small.gqlAs(admin, REGISTER, { input: { username: 'alice', password: PASSWORD, permissions: ['SEARCH'] } });
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    expect(small.serverErrors).toEqual([]);
    await small.close();
  });

  it('spend one call per request and refuse the one past the budget', async () => {
    const token = await small.login('alice', PASSWORD);
    let last: { viewer: { remainingCalls: number } } | undefined;
    for (let i = 0; i < BUDGET; i++) last = (await small.gqlAs<{ viewer: { remainingCalls: number } }>(token, VIEWER)).data;
    expect(last!.viewer.remainingCalls).toBe(0);
    expect(errorCode(await small.gqlAs(token, VIEWER))).toBe('UNAUTHENTICATED');
  });

  it('count atomically: 50 concurrent calls on a token with 10 left give exactly 10 successes', async () => {
    const token = await small.login('alice', PASSWORD);
    for (let i = 0; i < BUDGET - 10; i++) await small.gqlAs(token, '{ health { status } }');
    const responses = await Promise.all(Array.from({ length: 50 }, () => small.gqlAs<{ viewer: { remainingCalls: number } }>(token, VIEWER)));
    const successes = responses.filter((r) => r.data?.viewer);
    expect(successes).toHaveLength(10);
    expect(responses.filter((r) => r.errors?.[0]?.extensions?.['code'] === 'UNAUTHENTICATED')).toHaveLength(40);
    expect(successes.map((r) => r.data!.viewer.remainingCalls).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('expire after 10 hours', async () => {
    const token = await t.login('alice', PASSWORD);
    clock.advance(10 * 3600_000 - 1);
    expect((await t.gqlAs(token, VIEWER)).errors).toBeUndefined();
    clock.advance(1);
    expect(errorCode(await t.gqlAs(token, VIEWER))).toBe('UNAUTHENTICATED');
  });

  it('let one user hold several', async () => {
    const [a, b] = [await t.login('alice', PASSWORD), await t.login('alice', PASSWORD)];
    expect(a).not.toBe(b);
    expect((await t.gqlAs(a, VIEWER)).errors).toBeUndefined();
    expect((await t.gqlAs(b, VIEWER)).errors).toBeUndefined();
  });
});

describe('users', () => {
  it('records the acting user on every event', async () => {
    await register('uploader', ['UPLOAD', 'SEARCH']);
    const token = await t.login('uploader', PASSWORD);
    const created = await t.gqlAs<{ ingestArtifact: { artifact: { id: string } } }>(token, INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/actor' } });
    const events = await (await t.scope()).store.events.readStream(artifactIdOf(created.data!.ingestArtifact.artifact.id));
    expect(events.map((e) => e.actor)).toEqual(['uploader']);
  });

  it('lets a user delete itself, and its tokens die with it', async () => {
    await register('leaver', ['SEARCH']);
    const token = await t.login('leaver', PASSWORD);
    const deleted = await t.gqlAs<{ deleteUser: { deletedUsername: string } }>(token, 'mutation { deleteUser(username: "leaver") { deletedUsername } }');
    expect(deleted.data!.deleteUser.deletedUsername).toBe('leaver');
    expect(errorCode(await t.gqlAs(token, VIEWER))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gqlAs(undefined, AUTHENTICATE, { username: 'leaver', password: PASSWORD }))).toBe('UNAUTHENTICATED');
  });

  it('rejects duplicate usernames and invalid input', async () => {
    await register('carol', ['SEARCH']);
    expect(errorCode(await asAdmin(REGISTER, { input: { username: 'carol', password: PASSWORD, permissions: [] } }))).toBe('CONFLICT');
    expect(errorCode(await asAdmin(REGISTER, { input: { username: 'dave', password: 'short', permissions: [] } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await asAdmin(REGISTER, { input: { username: 'has space', password: PASSWORD, permissions: [] } }))).toBe('BAD_USER_INPUT');
  });

  it('applies permission changes to existing tokens at once', async () => {
    await register('erin', ['SEARCH']);
    const token = await t.login('erin', PASSWORD);
    expect((await t.gqlAs(token, LIST, { first: 1 })).errors).toBeUndefined();
    await asAdmin('mutation { setPermissions(input: { username: "erin", permissions: [UPLOAD] }) { user { username } } }');
    expect(errorCode(await t.gqlAs(token, LIST, { first: 1 }))).toBe('FORBIDDEN');
  });
});

describe('health', () => {
  it('warns admins while the default password is in use', async () => {
    const response = await asAdmin<{ health: { warnings: string[] } }>('{ health { warnings } }');
    expect(response.data!.health.warnings).toEqual([expect.stringMatching(/default password/)]);
  });
});

describe('resetRegistry', () => {
  it('leaves only the default administrator, whose password still works; old tokens die but the resetting one; twice is fine', async () => {
    await register('frank', ['SEARCH', 'UPLOAD']);
    const frank = await t.login('frank', PASSWORD);
    await t.gqlAs(frank, INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/before-reset' } });

    const oldAdmin = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const otherAdmin = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const reset = await t.gqlAs<{ resetRegistry: { ok: boolean } }>(oldAdmin, 'mutation { resetRegistry { ok } }');
    expect(reset.data!.resetRegistry.ok).toBe(true);
    expect(errorCode(await t.gqlAs(frank, VIEWER))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gqlAs(otherAdmin, VIEWER))).toBe('UNAUTHENTICATED');
    // The default administrator's token that reset goes on in the new registry (requirements §5).
    expect((await t.gqlAs(oldAdmin, VIEWER)).errors).toBeUndefined();
    expect(errorCode(await t.gqlAs(undefined, AUTHENTICATE, { username: 'frank', password: PASSWORD }))).toBe('UNAUTHENTICATED');

    const admin = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const users = await t.gqlAs<{ users: { edges: { node: { username: string } }[] } }>(admin, '{ users(first: 100) { edges { node { username } } } }');
    expect(users.data!.users.edges.map((e) => e.node.username)).toEqual([DEFAULT_ADMIN_USERNAME]);
    const artifacts = await t.gqlAs<ArtifactPage>(admin, LIST, { first: 100 });
    expect(artifacts.data!.artifacts.edges).toEqual([]);
    // The old epoch's items are gone from the table, not just hidden.
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const items = await t.registry.dynamo.doc.send(new ScanCommand({ TableName: t.registry.config.tableName }));
    expect((items.Items ?? []).filter((item) => String(item['pk']).startsWith('$registry#'))).toEqual([]);

    const again = await t.gqlAs<{ resetRegistry: { ok: boolean } }>(admin, 'mutation { resetRegistry { ok } }');
    expect(again.data!.resetRegistry.ok).toBe(true);
    expect(await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD)).toBeTruthy();
  });
});

// Last: whichever admin survives the race, the default one may be gone afterwards.
describe('the last administrator', () => {
  let survivor: { name: string; token: string };

  it('keeps the last administrator, even when two admins delete each other at once', async () => {
    await register('admin-two', ['ADMIN', 'SEARCH']);
    const two = await t.login('admin-two', PASSWORD);
    const [first, second] = await Promise.all([
      t.gqlAs(two, `mutation { deleteUser(username: "${DEFAULT_ADMIN_USERNAME}") { deletedUsername } }`),
      asAdmin('mutation { deleteUser(username: "admin-two") { deletedUsername } }'),
    ]);
    expect([first, second].filter((r) => !r.errors)).toHaveLength(1);
    // The loser is refused by the admin count (CONFLICT) or, when the other deletion landed first,
    // because its own user is gone (UNAUTHENTICATED). Either way one admin remains.
    const loser = [first, second].find((r) => r.errors)!;
    expect(['CONFLICT', 'UNAUTHENTICATED']).toContain(loser.errors![0]!.extensions!['code']);
    survivor = first.errors ? { name: DEFAULT_ADMIN_USERNAME, token: await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD) } : { name: 'admin-two', token: two };
    const admins = await t.gqlAs<{ users: { edges: { node: { username: string; permissions: string[] } }[] } }>(
      survivor.token,
      '{ users(first: 100) { edges { node { username permissions } } } }',
    );
    expect(admins.data!.users.edges.filter((e) => e.node.permissions.includes('ADMIN'))).toHaveLength(1);
  });

  it('refuses to let the only administrator delete itself or drop ADMIN', async () => {
    const drop = await t.gqlAs(survivor.token, `mutation { setPermissions(input: { username: "${survivor.name}", permissions: [SEARCH] }) { user { username } } }`);
    expect(errorCode(drop)).toBe('CONFLICT');
    const leave = await t.gqlAs(survivor.token, `mutation { deleteUser(username: "${survivor.name}") { deletedUsername } }`);
    expect(errorCode(leave)).toBe('CONFLICT');
    expect((await t.gqlAs<{ viewer: { user: { username: string } } }>(survivor.token, VIEWER)).data!.viewer.user.username).toBe(survivor.name);
  });
});

describe('a deployment with its own admin password', () => {
  it('uses it for the default administrator and raises no warning', async () => {
    const own = await startTestRegistry(t.storage, { adminPassword: 'a deployment secret' });
    try {
      const health = await own.gql<{ health: { warnings: string[] } }>('{ health { warnings } }');
      expect(health.data!.health.warnings).toEqual([]);
      expect(errorCode(await own.gqlAs(undefined, AUTHENTICATE, { username: DEFAULT_ADMIN_USERNAME, password: DEFAULT_ADMIN_PASSWORD }))).toBe('UNAUTHENTICATED');
    } finally {
      await own.close();
    }
  });
});
