import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_SCRYPT } from '../../src/application/password-hashing.js';
import { DEFAULT_LOGIN_LIMITS } from '../../src/application/login-limits.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { AUTHENTICATE, errorCode, postGraphQL, startStorage, startTestRegistry, TEST_LOGIN_LIMITS, TEST_SCRYPT, type GraphQLResponse, type TestRegistry } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';
import { postFrom } from '../support/from-address.js';
import { HoldingHasher } from '../support/holding-hasher.js';

/** Logins are the one expensive thing anonymous callers can ask for (issue 11, item 4). */
let storage: EmbeddedStorage;
beforeAll(async () => {
  storage = await startStorage();
});
afterAll(async () => {
  await storage.close();
});

async function withRegistry(options: Parameters<typeof startTestRegistry>[1], run: (t: TestRegistry) => Promise<void>): Promise<void> {
  const t = await startTestRegistry(storage, options);
  try {
    await run(t);
    expect(t.serverErrors).toEqual([]);
  } finally {
    await t.close();
  }
}

const randomName = () => `flood-${randomBytes(6).toString('hex')}`;
const login = (t: TestRegistry, username: string, password: string) => t.gqlAs<{ authenticate: { token: string } }>(undefined, AUTHENTICATE, { username, password });
const codeOf = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.['code'];

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Health, probed one request after another until `done` settles; the latency of each, in ms. */
async function probeHealthUntil(t: TestRegistry, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const latencies: number[] = [];
  while (!finished || latencies.length < 5) {
    const started = performance.now();
    const health = await t.gqlAs<{ health: { status: string } }>(undefined, '{ health { status } }');
    latencies.push(performance.now() - started);
    expect(health.data?.health.status).toBe('OK');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies;
}

describe('a flood of anonymous logins', () => {
  it('leaves health answering promptly (16 concurrent logins, production scrypt)', async () => {
    await withRegistry({ scrypt: PRODUCTION_SCRYPT, loginLimits: DEFAULT_LOGIN_LIMITS }, async (t) => {
      // Warm up (the first health check verifies the default password once) and take a baseline.
      await t.gqlAs(undefined, '{ health { warnings } }');
      const quiet = await probeHealthUntil(t, Promise.resolve());

      const flood = Promise.all(Array.from({ length: 16 }, () => login(t, randomName(), 'a password guess')));
      const latencies = await probeHealthUntil(t, flood);
      const responses = await flood;

      const p99 = percentile(latencies, 99);
      console.log(`health p99 ${p99.toFixed(0)} ms during the flood (${latencies.length} probes), ${percentile(quiet, 99).toFixed(0)} ms quiet`);
      // Before the scrypt gate, health stalled for seconds (3 to 8 s). The bound is generous so a
      // busy machine does not fail it; the measured figure is printed above.
      expect(p99).toBeLessThan(Math.max(1_000, 4 * percentile(quiet, 99)));
      // Every login got a clean answer: a wrong password, or a request to retry.
      const codes = responses.map(codeOf);
      expect(codes.every((code) => code === 'UNAUTHENTICATED' || code === 'RATE_LIMITED')).toBe(true);
      // 2 hash at once and 8 wait: the other 6 are told to retry, with a delay.
      expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(16 - DEFAULT_LOGIN_LIMITS.hashConcurrency - DEFAULT_LOGIN_LIMITS.hashQueue);
      const limited = responses.find((r) => codeOf(r) === 'RATE_LIMITED')!;
      expect(limited.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    });
    // Production scrypt is ~0.2 s idle but several seconds on a loaded 2-core machine: setup and the
    // 10 admitted logins are ~15 scrypt runs, 2 at a time. Only the timeout scales with it.
  }, 240_000);
});

describe('the (username, address) throttle', () => {
  it('counts before checking: of 30 concurrent wrong passwords from one address at most 5 are evaluated; the right one meanwhile waits there, not elsewhere', async () => {
    const hasher = new HoldingHasher(TEST_SCRYPT, TEST_LOGIN_LIMITS);
    await withRegistry({ passwordHasher: hasher }, async (t) => {
      const created = await t.gql('mutation { registerUser(input: { username: "target", password: "the right password", permissions: [SEARCH] }) { user { username } } }');
      expect(created.errors).toBeUndefined();
      const from = (address: string, password: string) => postFrom(address, t.url, { query: AUTHENTICATE, variables: { username: 'target', password } });
      const before = hasher.evaluations;
      hasher.hold();

      let answered = 0;
      const guesses = Promise.all(Array.from({ length: 30 }, (_, i) => from('127.0.0.2', `guess number ${i}`).then((response) => ((answered += 1), response))));
      // Wait until every guess is either answered or being evaluated: then the right password arrives.
      while (answered + (hasher.evaluations - before) < 30) await new Promise((resolve) => setTimeout(resolve, 20));
      const evaluated = hasher.evaluations - before;
      const right = from('127.0.0.2', 'the right password');
      // Give the right password time to reach the hasher if it is let through (it must not be).
      await Promise.race([right, new Promise((resolve) => setTimeout(resolve, 500))]);
      const evaluatedWithRight = hasher.evaluations - before;
      // Another address has failed nothing: its login is checked even now.
      const elsewhere = from('127.0.0.3', 'the right password');
      while (hasher.evaluations - before === evaluatedWithRight) await new Promise((resolve) => setTimeout(resolve, 20));
      hasher.releaseAll();
      const [answers, refused, admitted] = await Promise.all([guesses, right, elsewhere]);

      expect(evaluated).toBeLessThanOrEqual(5);
      expect(evaluatedWithRight).toBe(evaluated);
      expect(answers.filter((r) => codeOf(r) === 'UNAUTHENTICATED')).toHaveLength(evaluated);
      for (const r of answers.filter((r) => codeOf(r) !== 'UNAUTHENTICATED')) {
        expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) }, message: expect.stringMatching(/from this address/) });
      }
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' }, message: expect.stringMatching(/too many failed logins/) });
      expect(admitted.errors).toBeUndefined();
      expect(hasher.evaluations - before).toBe(evaluated + 1);
    });
  });
});

describe('the per-address login rate', () => {
  it('answers RATE_LIMITED with a retry delay past the burst, per client address, ignoring X-Forwarded-For', async () => {
    const clock = new TestClock(Date.parse('2026-11-23T12:00:00Z'));
    const limits = { ...DEFAULT_LOGIN_LIMITS, addressBurst: 3, addressPerMinute: 6 };
    await withRegistry({ clock, loginLimits: limits }, async (t) => {
      const variables = { username: 'nobody-here', password: 'a guess' };
      const from = (address: string, headers?: Record<string, string>) => postFrom(address, t.url, { query: AUTHENTICATE, variables }, headers);
      // The harness logged the admin in from 127.0.0.1 already: 2 more fit in its burst of 3.
      expect(codeOf(await from('127.0.0.1'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await from('127.0.0.1'))).toBe('UNAUTHENTICATED');
      const limited = await from('127.0.0.1');
      expect(errorCode(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 10 });
      // A forged X-Forwarded-For does not make a new client.
      expect(codeOf(await from('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toBe('RATE_LIMITED');
      // Another address has its own allowance, even for the same username.
      expect(codeOf(await from('127.0.0.2'))).toBe('UNAUTHENTICATED');
      // The allowance refills with time: one login per 10 s at 6 a minute.
      clock.advance(10_000);
      expect(codeOf(await from('127.0.0.1'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await from('127.0.0.1'))).toBe('RATE_LIMITED');
      // Other operations are not limited.
      expect((await postGraphQL(t.url, '{ health { status } }')).errors).toBeUndefined();
    });
  });
});
