import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { RECENT_USERS_MAX_AGE_MS } from '../../src/application/users/recent-users.js';
import { errorCode, startTestRegistry, useTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';
import { recordDynamoCommands } from '../support/dynamo-commands.js';
import { GET, INGEST, type ArtifactView } from '../support/operations.js';

/**
 * A token check spends the token (one conditional UpdateItem, every request) and takes the user and
 * the current epoch from what the process remembers for at most RECENT_USERS_MAX_AGE_MS (1 s).
 * The process that makes a change applies it at once; another process (another Lambda container)
 * within that second. Two registries on one table stand for two processes; the other one's clock
 * for remembered users is moved by hand, so nothing here depends on machine speed.
 */
const t = useTestRegistry();
const otherClock = new TestClock(Date.parse('2026-12-01T12:00:00Z'));
let other: TestRegistry;

beforeAll(async () => {
  other = await startTestRegistry(t.storage, { tableName: t.registry.config.tableName, recentUsers: { clock: otherClock } });
});
afterAll(async () => {
  expect(other.serverErrors).toEqual([]);
  await other.close();
});

const PASSWORD = 'correct horse battery';
const VIEWER = '{ viewer { remainingCalls } }';
type ViewerData = { viewer: { remainingCalls: number } };
/** Needs SEARCH, and reads no user: what the token check decided is what answers. */
const SEARCH = '{ artifacts(first: 1) { edges { node { id } } } }';

async function register(username: string, permissions: string[]): Promise<void> {
  const response = await t.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', { input: { username, password: PASSWORD, permissions } });
  expect(response.errors).toBeUndefined();
}

/** What a request with `token` gets: through, or the error code. */
async function outcome(registry: TestRegistry, token: string, query: string): Promise<unknown> {
  const response = await registry.gqlAs(token, query);
  return response.errors ? errorCode(response) : 'ok';
}

describe('a revocation made by one process', () => {
  it('applies a permission change there at once, and in another process within a second', async () => {
    await register('rita', ['SEARCH', 'UPLOAD']);
    const token = await other.login('rita', PASSWORD);
    expect(await outcome(other, token, SEARCH)).toBe('ok');

    expect((await t.gql('mutation { setPermissions(input: { username: "rita", permissions: [UPLOAD] }) { user { username } } }')).errors).toBeUndefined();
    expect(await outcome(t, token, SEARCH)).toBe('FORBIDDEN');
    // The other process still holds what it read less than a second ago...
    otherClock.advance(RECENT_USERS_MAX_AGE_MS - 1);
    expect(await outcome(other, token, SEARCH)).toBe('ok');
    // ...and reads again once that second is over.
    otherClock.advance(1);
    expect(await outcome(other, token, SEARCH)).toBe('FORBIDDEN');
  });

  it('refuses a deleted user there at once, and in another process within a second', async () => {
    await register('dave', ['SEARCH']);
    const token = await other.login('dave', PASSWORD);
    expect(await outcome(other, token, SEARCH)).toBe('ok');

    expect((await t.gql('mutation { deleteUser(username: "dave") { deletedUsername } }')).errors).toBeUndefined();
    expect(await outcome(t, token, SEARCH)).toBe('UNAUTHENTICATED');
    otherClock.advance(RECENT_USERS_MAX_AGE_MS - 1);
    expect(await outcome(other, token, SEARCH)).toBe('ok');
    // `viewer` reads the user itself: a user deleted elsewhere is refused there even within the second, never a server error.
    expect(await outcome(other, token, '{ viewer { user { username } } }')).toBe('UNAUTHENTICATED');
    otherClock.advance(1);
    expect(await outcome(other, token, SEARCH)).toBe('UNAUTHENTICATED');
  });

  it('never lets a remembered user spend more calls than the token has', async () => {
    await register('cal', ['SEARCH']);
    const token = await other.login('cal', PASSWORD);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) counts.push((await other.gqlAs<ViewerData>(token, VIEWER)).data!.viewer.remainingCalls);
    expect(counts).toEqual([999, 998, 997]);
  });

  it('ends every old token but the resetting default admin\'s at a reset: there at once, in another process within a second', async () => {
    const here = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const there = await other.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    expect(await outcome(other, there, SEARCH)).toBe('ok');

    expect((await t.gqlAs(here, 'mutation { resetRegistry { ok } }')).errors).toBeUndefined();
    // The default administrator's token that reset goes on (requirements §5); every other one ends.
    expect(await outcome(t, here, SEARCH)).toBe('ok');
    expect(await outcome(t, there, SEARCH)).toBe('UNAUTHENTICATED');
    otherClock.advance(RECENT_USERS_MAX_AGE_MS);
    expect(await outcome(other, there, SEARCH)).toBe('UNAUTHENTICATED');
    expect(await outcome(other, here, SEARCH)).toBe('ok');
    // The new epoch's administrator works in both.
    const fresh = await other.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    expect(await outcome(other, fresh, SEARCH)).toBe('ok');
  });
});

describe('authentication on the hot path', () => {
  it('costs one DynamoDB call on an authenticated artifact(id) read: the token spend', async () => {
    const token = await other.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const ingested = await other.gqlAs<{ ingestArtifact: { artifact: ArtifactView } }>(token, INGEST, {
      input: { type: 'DATASET', url: 'https://www.kaggle.com/datasets/org/one-call' },
    });
    const { id } = ingested.data!.ingestArtifact.artifact;
    const recorder = recordDynamoCommands(other.registry);
    const commands = await recorder.during(async () => {
      const read = await other.gqlAs<{ artifact: ArtifactView }>(token, GET, { id });
      expect(read.data!.artifact.id).toBe(id);
    });
    const tokenPk = commands.find((c) => c.command === 'UpdateItemCommand')?.keyPks[0];
    expect(tokenPk).toMatch(/^\$registry-global#tokenhash_/i);
    // Everything else the request sent reads the artifact's projection.
    const rest = commands.filter((c) => c.keyPks[0] !== tokenPk);
    expect(rest.map((c) => c.command)).toEqual(['BatchGetItemCommand']);
    expect(rest[0]!.keyPks.every((pk) => pk.includes('#artifactid_'))).toBe(true);
    expect(commands).toHaveLength(2);
  });

  it('reads user and epoch once a second per user, in one BatchGetItem beside the spend', async () => {
    const token = await other.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    otherClock.advance(RECENT_USERS_MAX_AGE_MS);
    const recorder = recordDynamoCommands(other.registry);
    // `__typename` reads nothing: what the request sends is authentication alone.
    const cold = await recorder.during(() => other.gqlAs(token, '{ __typename }'));
    expect(cold.map((c) => c.command).sort()).toEqual(['BatchGetItemCommand', 'UpdateItemCommand']);
    // Consistent: a permission change committed before the read is in it.
    expect(cold.find((c) => c.command === 'BatchGetItemCommand')!.consistent).toBe(true);
    const warm = await recorder.during(() => other.gqlAs(token, '{ __typename }'));
    expect(warm.map((c) => c.command)).toEqual(['UpdateItemCommand']);
  });
});
