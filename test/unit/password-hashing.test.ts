import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/application/password-hashing.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';

const hasher = new PasswordHasher({ N: 1024, r: 8, p: 1 });

describe('PasswordHasher', () => {
  it('verifies the password it hashed, byte for byte, and nothing else', async () => {
    const stored = await hasher.hash(DEFAULT_ADMIN_PASSWORD);
    expect(await hasher.verify(DEFAULT_ADMIN_PASSWORD, stored)).toBe(true);
    expect(await hasher.verify(DEFAULT_ADMIN_PASSWORD.slice(0, -1), stored)).toBe(false);
    expect(await hasher.verify(`${DEFAULT_ADMIN_PASSWORD} `, stored)).toBe(false);
  });

  it('salts every hash and records its cost parameters', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(a).toMatchObject({ algorithm: 'scrypt', N: 1024, r: 8, p: 1 });
  });

  it('verifies with the parameters stored in the hash, so costs can be raised later', async () => {
    const old = await new PasswordHasher({ N: 512, r: 8, p: 1 }).hash('legacy user');
    expect(await hasher.verify('legacy user', old)).toBe(true);
  });
});
