import { describe, expect, it } from 'vitest';
import { checkStoredHash, PasswordHasher } from '../../src/application/password-hashing.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';

const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });

describe('PasswordHasher', () => {
  it('verifies the password it hashed, byte for byte, and nothing else', async () => {
    const stored = await hasher.hash(DEFAULT_ADMIN_PASSWORD);
    expect(await hasher.verify(DEFAULT_ADMIN_PASSWORD, stored)).toEqual({ ok: true, value: true });
    expect(await hasher.verify(DEFAULT_ADMIN_PASSWORD.slice(0, -1), stored)).toEqual({ ok: true, value: false });
    expect(await hasher.verify(`${DEFAULT_ADMIN_PASSWORD} `, stored)).toEqual({ ok: true, value: false });
  });

  it('salts every hash and records its cost parameters', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(a).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1 });
  });

  it('verifies with the parameters stored in the hash, so costs can be raised later', async () => {
    const old = await new PasswordHasher({ N: 512, r: 8, p: 1 }).hash('legacy user');
    expect(await hasher.verify('legacy user', old)).toEqual({ ok: true, value: true });
  });

  it('runs at most hashConcurrency at once, queues hashQueue more, and refuses the rest at once', async () => {
    const gated = new PasswordHasher({ N: 1024, r: 8, p: 1 }, { hashConcurrency: 1, hashQueue: 2 });
    const stored = await gated.hash('pw');
    const results = await Promise.all(Array.from({ length: 6 }, () => gated.verify('pw', stored)));
    expect(results.filter((r) => r.ok && r.value)).toHaveLength(3);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(
      Array(3).fill({ code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterSeconds: 1 } }),
    );
    // Hashing a new password (admins, startup) waits for a slot instead of being refused.
    const hashes = await Promise.all(Array.from({ length: 6 }, () => gated.hash('pw')));
    expect(hashes).toHaveLength(6);
  });

  it('never runs a stored hash that asks for more than its own cost: the answer to a wrong password, the reason for the log', async () => {
    // The right password, hashed at twice the cost: a login would accept it if the hash were run.
    const costlier = await new PasswordHasher({ N: 2048, r: 8, p: 1 }).hash('pw');
    const refused = await hasher.verify('pw', costlier);
    expect(refused).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'invalid username or password', serverDetail: expect.stringContaining("N=2048, r=8, p=1 exceed this registry's N=1024, r=8, p=1") } });
    expect(await hasher.matches('pw', costlier)).toBe(false);
    // A cost no machine could run (2^40 blocks of 1 KiB) is refused as promptly, never attempted.
    for (const cost of [{ N: 2 ** 40 }, { r: 1 << 20 }, { p: 1 << 20 }]) {
      const result = await hasher.verify('pw', { ...costlier, N: 1024, ...cost });
      expect(result.ok ? result.value : result.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('checks the shape of a stored hash: N a power of two, the salt and key lengths it writes, strict base64', async () => {
    const bound = { N: 1024, r: 8, p: 1 };
    const own = await hasher.hash('pw');
    expect(checkStoredHash(own, bound)).toEqual({ ok: true, value: own });
    expect(checkStoredHash({ ...own, N: 512, r: 4 }, bound).ok).toBe(true);
    const problems = [
      { ...own, N: 1000 },
      { ...own, N: 1 },
      { ...own, r: 0 },
      { ...own, p: 1.5 },
      { ...own, N: 2048 },
      { ...own, r: 9 },
      { ...own, p: 2 },
      { ...own, salt: Buffer.alloc(8).toString('base64') },
      { ...own, salt: Buffer.alloc(65).toString('base64') },
      { ...own, salt: `${own.salt.slice(0, -2)}!!` },
      { ...own, hash: Buffer.alloc(32).toString('base64') },
      { ...own, hash: '' },
    ];
    for (const stored of problems) expect(checkStoredHash(stored, bound)).toMatchObject({ ok: false });
  });
});
