import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/application/password-hashing.js';
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
});
