import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { DEFAULT_THROTTLE } from '../../src/store/login-throttle.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { AUTHENTICATE, startStorage, startTestRegistry, TEST_LOGIN_LIMITS, TEST_SCRYPT, type GraphQLResponse, type TestRegistry } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';
import { postFrom, requestFrom } from '../support/from-address.js';
import { HoldingHasher } from '../support/holding-hasher.js';

/**
 * Lockout by strangers (issue 25, item 2): wrong passwords from other addresses must never keep
 * the right password out of an address that has not failed. Every login here is real HTTP from its
 * own loopback source address (the server sees each as a client); time moves by hand.
 */
let storage: EmbeddedStorage;
beforeAll(async () => {
  storage = await startStorage();
});
afterAll(async () => {
  await storage.close();
});

interface Lockout {
  readonly t: TestRegistry;
  readonly clock: TestClock;
  readonly hasher: HoldingHasher;
  /** A GraphQL login from `address`. */
  login(address: string, username: string, password: string): Promise<GraphQLResponse<{ authenticate: { token: string } }>>;
}

async function withLockout(run: (l: Lockout) => Promise<void>): Promise<void> {
  // On a window boundary, so the username's 15-minute window ends 15 minutes from the start.
  const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
  const hasher = new HoldingHasher(TEST_SCRYPT, TEST_LOGIN_LIMITS);
  const t = await startTestRegistry(storage, { clock, passwordHasher: hasher });
  try {
    const login = (address: string, username: string, password: string) =>
      postFrom(address, t.url, { query: AUTHENTICATE, variables: { username, password } }) as Promise<GraphQLResponse<{ authenticate: { token: string } }>>;
    await run({ t, clock, hasher, login });
    expect(t.serverErrors).toEqual([]);
  } finally {
    await t.close();
  }
}

const restLogin = (t: TestRegistry, address: string, name: string, password: string) =>
  requestFrom(address, `${t.origin}/authenticate`, { method: 'PUT', body: { user: { name, is_admin: true }, secret: { password } } });

const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['code'];
const retryAfterOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['retryAfterSeconds'];
const succeeded = (response: GraphQLResponse<{ authenticate: { token: string } }>) => typeof response.data?.authenticate.token === 'string';
const ADMIN = DEFAULT_ADMIN_USERNAME;
const WRONG = 'not the password';
const FREE = DEFAULT_THROTTLE.freeFailures;

async function register(t: TestRegistry, username: string, password: string): Promise<void> {
  const created = await t.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', { input: { username, password, permissions: ['SEARCH'] } });
  expect(created.errors).toBeUndefined();
}

describe('wrong passwords from other addresses', () => {
  it('never keep the default administrator out of an address that has not failed, over GraphQL and REST, however long they go on', async () => {
    await withLockout(async ({ t, clock, login }) => {
      const attackers = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
      const answers: unknown[] = [];
      for (const attacker of attackers) {
        for (let i = 0; i < FREE + 1; i++) answers.push(codeOf(await login(attacker, ADMIN, WRONG)));
      }
      // The first four addresses: 5 guesses checked, the sixth delayed. Then the username has its 20
      // failures, and the fifth address gets one guess before it, too, has failed.
      expect(answers).toEqual([...Array<string[]>(4).fill([...Array<string>(FREE).fill('UNAUTHENTICATED'), 'RATE_LIMITED']).flat(), 'UNAUTHENTICATED', ...Array<string>(FREE).fill('RATE_LIMITED')]);
      // Past the username's limit, yet a fresh address is let in...
      expect(succeeded(await login('127.0.0.7', ADMIN, DEFAULT_ADMIN_PASSWORD))).toBe(true);
      const rest = await restLogin(t, '127.0.0.8', ADMIN, DEFAULT_ADMIN_PASSWORD);
      expect(rest.status).toBe(200);
      expect(rest.body).toMatch(/^bearer /);
      // ...and so is the address the administrator logged in from before (the harness, 127.0.0.1).
      expect(succeeded(await login('127.0.0.1', ADMIN, DEFAULT_ADMIN_PASSWORD))).toBe(true);

      // The finding: 5 wrong passwords every 15 minutes kept the administrator out forever.
      for (let round = 0; round < 4; round++) {
        clock.advance(15 * 60_000);
        for (const attacker of attackers) expect(codeOf(await login(attacker, ADMIN, WRONG))).toBe('UNAUTHENTICATED');
        expect(succeeded(await login('127.0.0.1', ADMIN, DEFAULT_ADMIN_PASSWORD))).toBe(true);
        expect((await restLogin(t, `127.0.0.${10 + round}`, ADMIN, DEFAULT_ADMIN_PASSWORD)).status).toBe(200);
      }
    });
  });
});

describe('the failing address', () => {
  it('waits 1 s, 2 s, 4 s ... up to 15 minutes between its guesses, and no password is checked while it waits', async () => {
    await withLockout(async ({ t, clock, hasher, login }) => {
      await register(t, 'target', 'the right password');
      const attacker = '127.0.0.2';
      for (let i = 0; i < FREE; i++) expect(codeOf(await login(attacker, 'target', `guess ${i}`))).toBe('UNAUTHENTICATED');
      const waits = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900];
      for (const [i, seconds] of waits.entries()) {
        const checked = hasher.evaluations;
        const early = await login(attacker, 'target', `early guess ${i}`);
        expect(early.errors?.[0]).toMatchObject({ message: expect.stringMatching(/from this address/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } });
        clock.advance(seconds * 1000 - 1);
        expect(retryAfterOf(await login(attacker, 'target', `still early ${i}`))).toBe(1);
        expect(hasher.evaluations).toBe(checked);
        clock.advance(1);
        expect(codeOf(await login(attacker, 'target', `guess ${FREE + i}`))).toBe('UNAUTHENTICATED');
        expect(hasher.evaluations).toBe(checked + 1);
      }
      // The REST contract answers the same refusal with 429 and the delay.
      const rest = await restLogin(t, attacker, 'target', 'a REST guess');
      expect(rest).toEqual({ status: 429, body: { code: 'RATE_LIMITED', message: expect.any(String), retry_after_seconds: 900 }, retryAfter: '900' });
      // Only this username is delayed for that address, and only that address for this username.
      expect(succeeded(await login(attacker, ADMIN, DEFAULT_ADMIN_PASSWORD))).toBe(true);
      expect(succeeded(await login('127.0.0.3', 'target', 'the right password'))).toBe(true);
    });
  });

  it('waits out its delay for the right password too; the right password then clears its failures', async () => {
    await withLockout(async ({ t, clock, hasher, login }) => {
      await register(t, 'owner', 'the right password');
      const own = '127.0.0.2';
      for (let i = 0; i < FREE; i++) await login(own, 'owner', WRONG);
      clock.advance(1_000);
      expect(codeOf(await login(own, 'owner', WRONG))).toBe('UNAUTHENTICATED');
      // Six failures: the next attempt waits 2 s, whatever its password (checking it would be a guess).
      const checked = hasher.evaluations;
      const early = await login(own, 'owner', 'the right password');
      expect(early.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 2 });
      expect(hasher.evaluations).toBe(checked);
      clock.advance(2_000);
      expect(succeeded(await login(own, 'owner', 'the right password'))).toBe(true);
      // The address starts over: five free failures again, then 1 s (not 4 s).
      for (let i = 0; i < FREE; i++) expect(codeOf(await login(own, 'owner', WRONG))).toBe('UNAUTHENTICATED');
      expect(retryAfterOf(await login(own, 'owner', 'the right password'))).toBe(1);
      // A right password between wrong ones keeps the count from ever reaching the delay (in a fresh
      // username window: this is about the address alone, not the username's limit).
      clock.advance(15 * 60_000);
      for (let i = 0; i < 3; i++) {
        expect(succeeded(await login(own, 'owner', 'the right password'))).toBe(true);
        for (let j = 0; j < FREE - 1; j++) expect(codeOf(await login(own, 'owner', WRONG))).toBe('UNAUTHENTICATED');
      }
    });
  });
});

describe('a username past its failure limit', () => {
  it('refuses only the addresses that have failed at it, until its 15-minute window ends', async () => {
    await withLockout(async ({ t, clock, login }) => {
      await register(t, 'popular', 'the right password');
      // 20 failures, 5 from each of 4 addresses; a second later none of them is delayed on its own.
      for (const attacker of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']) {
        for (let i = 0; i < FREE; i++) expect(codeOf(await login(attacker, 'popular', WRONG))).toBe('UNAUTHENTICATED');
      }
      clock.advance(1_000);
      const refused = await login('127.0.0.2', 'popular', 'the right password');
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/from an address that has not failed/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 15 * 60 - 1 },
      });
      // A clean address gets its password checked: one guess, then it has failed too.
      expect(codeOf(await login('127.0.0.6', 'popular', WRONG))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login('127.0.0.6', 'popular', 'the right password'))).toBe('RATE_LIMITED');
      // The owner, from any address that has not failed, gets in.
      expect(succeeded(await login('127.0.0.7', 'popular', 'the right password'))).toBe(true);
      // Other usernames are not touched.
      expect(succeeded(await login('127.0.0.2', ADMIN, DEFAULT_ADMIN_PASSWORD))).toBe(true);
      clock.advance(15 * 60_000 - 1_000);
      expect(succeeded(await login('127.0.0.2', 'popular', 'the right password'))).toBe(true);
    });
  });
});

describe('clients by address', () => {
  it('counts one IPv6 /64 as one client, and an IPv4-mapped address as its IPv4 address', async () => {
    await withLockout(async ({ t }) => {
      const { authentication } = t.registry;
      for (let i = 0; i < FREE; i++) expect((await authentication.authenticate(ADMIN, WRONG, `2001:db8:1:2::${i + 1}`)).ok).toBe(false);
      const sameBlock = await authentication.authenticate(ADMIN, DEFAULT_ADMIN_PASSWORD, '2001:db8:1:2:ffff:ffff:ffff:ffff');
      expect(sameBlock.ok ? undefined : sameBlock.error.code).toBe('RATE_LIMITED');
      expect((await authentication.authenticate(ADMIN, DEFAULT_ADMIN_PASSWORD, '2001:db8:1:3::1')).ok).toBe(true);

      for (let i = 0; i < FREE; i++) await authentication.authenticate(ADMIN, WRONG, '192.0.2.7');
      const mapped = await authentication.authenticate(ADMIN, DEFAULT_ADMIN_PASSWORD, '::ffff:192.0.2.7');
      expect(mapped.ok ? undefined : mapped.error.code).toBe('RATE_LIMITED');
    });
  });
});
