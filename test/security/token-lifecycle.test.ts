import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { LIST } from '../support/operations.js';

/**
 * A token belongs to one registration of a username, not to the name: deleting a user kills its
 * tokens for good, even when the name is registered again (issue 11, item 2).
 */
const t = useTestRegistry();
const PASSWORD = 'correct horse battery';
const REGISTER = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username permissions } } }';
const VIEWER = '{ viewer { user { username permissions } } }';
const USERS = '{ users(first: 10) { edges { node { username } } } }';

type ViewerData = { viewer: { user: { username: string; permissions: string[] } } };

async function register(username: string, permissions: string[], password = PASSWORD): Promise<void> {
  const response = await t.gql(REGISTER, { input: { username, password, permissions } });
  expect(response.errors).toBeUndefined();
}

async function deleteUser(username: string): Promise<void> {
  const response = await t.gql(`mutation { deleteUser(username: "${username}") { deletedUsername } }`);
  expect(response.errors).toBeUndefined();
}

describe('a token dies with its user', () => {
  it('is not revived with ADMIN when the username is registered again as an admin', async () => {
    await register('bob', ['SEARCH']);
    const token = await t.login('bob', PASSWORD);
    expect((await t.gqlAs<ViewerData>(token, VIEWER)).data!.viewer.user.permissions).toEqual(['SEARCH']);

    await deleteUser('bob');
    expect(errorCode(await t.gqlAs(token, VIEWER))).toBe('UNAUTHENTICATED');

    await register('bob', ['ADMIN', 'SEARCH'], 'the new bob has another password');
    expect(errorCode(await t.gqlAs(token, VIEWER))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gqlAs(token, USERS))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gqlAs(token, LIST, { first: 1 }))).toBe('UNAUTHENTICATED');

    // The new bob logs in with his own password and gets his own permissions.
    const fresh = await t.login('bob', 'the new bob has another password');
    expect((await t.gqlAs<ViewerData>(fresh, VIEWER)).data!.viewer.user.permissions.sort()).toEqual(['ADMIN', 'SEARCH']);
  });

  it('stays dead through several deletions and registrations, with the same password each time', async () => {
    await register('carol', ['SEARCH']);
    const first = await t.login('carol', PASSWORD);
    await deleteUser('carol');
    await register('carol', ['SEARCH']);
    const second = await t.login('carol', PASSWORD);
    await deleteUser('carol');
    await register('carol', ['SEARCH', 'UPLOAD']);
    const third = await t.login('carol', PASSWORD);

    expect(errorCode(await t.gqlAs(first, VIEWER))).toBe('UNAUTHENTICATED');
    expect(errorCode(await t.gqlAs(second, VIEWER))).toBe('UNAUTHENTICATED');
    const user = (await t.gqlAs<ViewerData>(third, VIEWER)).data!.viewer.user;
    expect([user.username, user.permissions.sort()]).toEqual(['carol', ['SEARCH', 'UPLOAD']]);
  });

  it('keeps working through permission changes of the same registration, which apply at once', async () => {
    await register('dave', ['SEARCH']);
    const token = await t.login('dave', PASSWORD);
    expect((await t.gqlAs(token, LIST, { first: 1 })).errors).toBeUndefined();

    const changed = await t.gql('mutation { setPermissions(input: { username: "dave", permissions: [UPLOAD] }) { user { username } } }');
    expect(changed.errors).toBeUndefined();
    expect(errorCode(await t.gqlAs(token, LIST, { first: 1 }))).toBe('FORBIDDEN');
    expect((await t.gqlAs<ViewerData>(token, VIEWER)).data!.viewer.user.permissions).toEqual(['UPLOAD']);

    await t.gql('mutation { setPermissions(input: { username: "dave", permissions: [SEARCH, ADMIN] }) { user { username } } }');
    expect((await t.gqlAs(token, USERS)).errors).toBeUndefined();
  });

  it('a user who deletes itself cannot come back through an old token of the same name', async () => {
    await register('erin', ['SEARCH']);
    const [a, b] = [await t.login('erin', PASSWORD), await t.login('erin', PASSWORD)];
    const left = await t.gqlAs(a, 'mutation { deleteUser(username: "erin") { deletedUsername } }');
    expect(left.errors).toBeUndefined();
    const admin = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    expect((await t.gqlAs(admin, REGISTER, { input: { username: 'erin', password: PASSWORD, permissions: ['ADMIN'] } })).errors).toBeUndefined();
    for (const old of [a, b]) expect(errorCode(await t.gqlAs(old, USERS))).toBe('UNAUTHENTICATED');
  });
});
