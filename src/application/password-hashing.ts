import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHash } from '../domain/users/user-events.js';
import { appError, err, ok, withServerDetail, type Result } from '../domain/result.js';
import { Semaphore } from '../upstream/semaphore.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-limits.js';

export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~100+ ms: right for logins. */
export const PRODUCTION_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** Room for another implementation's longer salts; nothing a hash of this registry needs. */
const MAX_SALT_LENGTH = 64;

/** Strict base64 of `min` to `max` bytes: Buffer.from alone skips any character it does not know. */
function base64Bytes(text: string, min: number, max: number): boolean {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text && bytes.length >= min && bytes.length <= max;
}

const describeCost = ({ N, r, p }: ScryptCost): string => `N=${N}, r=${r}, p=${p}`;

/**
 * A stored hash names the cost it is run at, so whoever can write one (an import file, a table
 * write) could otherwise make a single login take seconds of CPU and gigabytes of memory: a hash is
 * run only within this registry's own cost, with the salt and key lengths it writes.
 */
export function checkStoredHash(stored: PasswordHash, bound: ScryptCost): Result<PasswordHash, string> {
  const { N, r, p } = stored;
  if (!Number.isSafeInteger(N) || N < 2 || !Number.isInteger(Math.log2(N)) || !Number.isSafeInteger(r) || r < 1 || !Number.isSafeInteger(p) || p < 1) {
    return err(`scrypt parameters ${describeCost(stored)} are not valid (N a power of two above 1, r and p at least 1)`);
  }
  if (N > bound.N || r > bound.r || p > bound.p) return err(`scrypt parameters ${describeCost(stored)} exceed this registry's ${describeCost(bound)}`);
  if (!base64Bytes(stored.salt, SALT_LENGTH, MAX_SALT_LENGTH)) return err(`the salt is not ${SALT_LENGTH} to ${MAX_SALT_LENGTH} bytes of base64`);
  if (!base64Bytes(stored.hash, KEY_LENGTH, KEY_LENGTH)) return err(`the hash is not ${KEY_LENGTH} bytes of base64`);
  return ok(stored);
}

function derive(password: string, salt: Buffer, params: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The answer to a login that found every scrypt slot and queue place taken. */
export const hashingBusy = () => appError('RATE_LIMITED', 'too many logins in progress; retry shortly', { retryAfterSeconds: 1 });

/** One answer for unknown users, wrong passwords, malformed usernames and stored hashes that are never run. */
export const badCredentials = () => appError('UNAUTHENTICATED', 'invalid username or password');

/**
 * Every scrypt run passes one gate (LoginLimits.hashConcurrency at once). Verifications, which
 * anonymous callers trigger, are refused when its queue is full; hashing a new password (admins,
 * startup) waits its turn instead.
 */
export class PasswordHasher {
  private readonly gate: Semaphore;
  private readonly maxWaiting: number;

  /**
   * Tests pass cheaper parameters; the hash records the ones used, so verification always matches.
   * `cost` is also the most a stored hash may ask for (see checkStoredHash).
   */
  constructor(
    readonly cost: ScryptCost = PRODUCTION_SCRYPT,
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
    const key = await this.gate.run(() => derive(password, salt, this.cost));
    return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: key.toString('base64'), ...this.cost };
  }

  /**
   * A login's check: refused (RATE_LIMITED) rather than queued when the gate's queue is full. A
   * stored hash beyond this registry's cost is never run: the caller gets the answer to a wrong
   * password, the server's log the reason.
   */
  async verify(password: string, stored: PasswordHash): Promise<Result<boolean>> {
    const runnable = checkStoredHash(stored, this.cost);
    if (!runnable.ok) return err(withServerDetail(badCredentials(), `stored password hash not run: ${runnable.error}`));
    const key = await this.gate.tryRun(() => derive(password, Buffer.from(stored.salt, 'base64'), stored), this.maxWaiting);
    if (!key) return err(hashingBusy());
    const expected = Buffer.from(stored.hash, 'base64');
    return ok(key.length === expected.length && timingSafeEqual(key, expected));
  }

  /** A check the registry makes for itself (the default-password warning): waits its turn, never refused. */
  async matches(password: string, stored: PasswordHash): Promise<boolean> {
    if (!checkStoredHash(stored, this.cost).ok) return false;
    const key = await this.gate.run(() => derive(password, Buffer.from(stored.salt, 'base64'), stored));
    const expected = Buffer.from(stored.hash, 'base64');
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** Burns the same time as a real check, so an unknown username is indistinguishable from a wrong password. */
  async verifyNobody(password: string): Promise<Result<false>> {
    const key = await this.gate.tryRun(() => derive(password, randomBytes(16), this.cost), this.maxWaiting);
    return key ? ok(false) : err(hashingBusy());
  }
}
