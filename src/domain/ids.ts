import { randomBytes } from 'node:crypto';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A ULID: 26 Crockford base32 characters, time-ordered, URL-safe. */
export type ArtifactId = Brand<string, 'ArtifactId'>;
export type ActorId = Brand<string, 'ActorId'>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function newArtifactId(now: number = Date.now()): ArtifactId {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i]! % 32];
  return (time + random) as ArtifactId;
}

export function parseArtifactId(raw: string): ArtifactId | undefined {
  return ULID_PATTERN.test(raw) ? (raw as ArtifactId) : undefined;
}

/** The registry itself, for changes no user asked for (the default administrator, seeding). */
export const SYSTEM_ACTOR = 'system' as ActorId;
