import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHash } from '../domain/users/user-events.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import { Semaphore } from '../upstream/semaphore.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-limits.js';

/** OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~100+ ms: right for logins. */
export const PRODUCTION_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The answer to a login that found every scrypt slot and queue place taken. */
export const hashingBusy = () => appError('RATE_LIMITED', 'too many logins in progress; retry shortly', { retryAfterSeconds: 1 });

/**
 * Every scrypt run passes one gate (LoginLimits.hashConcurrency at once). Verifications, which
 * anonymous callers trigger, are refused when its queue is full; hashing a new password (admins,
 * startup) waits its turn instead.
 */
export class PasswordHasher {
  private readonly gate: Semaphore;
  private readonly maxWaiting: number;

  /** Tests pass cheaper parameters; the hash records the ones used, so verification always matches. */
  constructor(
    private readonly params: { N: number; r: number; p: number } = PRODUCTION_SCRYPT,
    limits: Pick<LoginLimits, 'hashConcurrency' | 'hashQueue'> = DEFAULT_LOGIN_LIMITS,
  ) {
    this.gate = new Semaphore(limits.hashConcurrency);
    this.maxWaiting = limits.hashQueue;
  }

  /** Whether a verification would be refused now: lets a login give up before any other work. */
  get saturated(): boolean {
    return !this.gate.wouldAdmit(this.maxWaiting);
  }

  async hash(password: string): Promise<PasswordHash> {
    const salt = randomBytes(16);
    const key = await this.gate.run(() => derive(password, salt, this.params));
    return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: key.toString('base64'), ...this.params };
  }

  /** A login's check: refused (RATE_LIMITED) rather than queued when the gate's queue is full. */
  async verify(password: string, stored: PasswordHash): Promise<Result<boolean>> {
    const key = await this.gate.tryRun(() => derive(password, Buffer.from(stored.salt, 'base64'), stored), this.maxWaiting);
    if (!key) return err(hashingBusy());
    const expected = Buffer.from(stored.hash, 'base64');
    return ok(key.length === expected.length && timingSafeEqual(key, expected));
  }

  /** A check the registry makes for itself (the default-password warning): waits its turn, never refused. */
  async matches(password: string, stored: PasswordHash): Promise<boolean> {
    const key = await this.gate.run(() => derive(password, Buffer.from(stored.salt, 'base64'), stored));
    const expected = Buffer.from(stored.hash, 'base64');
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Burns the same time as a real check, so an unknown username is indistinguishable from a wrong password. */
  async verifyNobody(password: string): Promise<Result<false>> {
    const key = await this.gate.tryRun(() => derive(password, randomBytes(16), this.params), this.maxWaiting);
    return key ? ok(false) : err(hashingBusy());
  }
}
