import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHash } from '../domain/users/user-events.js';

/** OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~100+ ms: right for logins. */
export const PRODUCTION_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export class PasswordHasher {
  /** Tests pass cheaper parameters; the hash records the ones used, so verification always matches. */
  constructor(private readonly params: { N: number; r: number; p: number } = PRODUCTION_SCRYPT) {}

  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.params);
    return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: key.toString('base64'), ...this.params };
  }

  async verify(password: string, stored: PasswordHash): Promise<boolean> {
    const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
    const expected = Buffer.from(stored.hash, 'base64');
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Burns the same time as a real check, so an unknown username is indistinguishable from a wrong password. */
  async verifyNobody(password: string): Promise<false> {
    await derive(password, randomBytes(16), this.params);
    return false;
  }
}
