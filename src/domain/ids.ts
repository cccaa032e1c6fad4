import { randomBytes } from 'node:crypto';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A ULID: 26 Crockford base32 characters, time-ordered, URL-safe. */
export type ArtifactId = Brand<string, 'ArtifactId'>;
export type ActorId = Brand<string, 'ActorId'>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function newArtifactId(now: number = Date.now()): ArtifactId {
  return newUlid(now) as ArtifactId;
}

/** A fresh ULID: its first 10 characters are the millisecond time, so string order is time order. */
export function newUlid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i]! % 32];
  return time + random;
}

/**
 * The smallest and largest ULIDs of one millisecond: the bounds of a time range as a key range
 * over ULID sort keys.
 */
export function ulidBounds(now: number): { readonly lowest: string; readonly highest: string } {
  // A ULID holds 48 bits of milliseconds from 1970: instants outside clamp to its ends.
  const time = newUlid(Math.min(Math.max(Math.floor(now), 0), 2 ** 48 - 1)).slice(0, 10);
  return { lowest: `${time}${'0'.repeat(16)}`, highest: `${time}${'Z'.repeat(16)}` };
}

/** True for a well-formed ULID: client-given ids are checked before they become keys. */
export const isUlid = (raw: string): boolean => ULID_PATTERN.test(raw);

export function parseArtifactId(raw: string): ArtifactId | undefined {
  return ULID_PATTERN.test(raw) ? (raw as ArtifactId) : undefined;
}

/** The registry itself, for changes no user asked for (the default administrator, seeding). */
export const SYSTEM_ACTOR = 'system' as ActorId;
