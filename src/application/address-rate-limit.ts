import { isIPv6 } from 'node:net';
import type { LoginLimits } from './login-limits.js';

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  atMs: number;
}

/**
 * A token bucket per client address, in process memory: `addressBurst` logins at once, refilled at
 * `addressPerMinute`. At most `maxTrackedAddresses` buckets are kept; the least recently used goes
 * first (a forgotten address starts again with a full bucket, which is what it would have by then
 * in most cases). Per process: on Lambda each container counts apart, so it is a brake, not a wall.
 */
export class AddressRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly limits: Pick<LoginLimits, 'addressBurst' | 'addressPerMinute' | 'maxTrackedAddresses'>) {
    this.perMs = limits.addressPerMinute / 60_000;
  }

  take(address: string, nowMs: number): RateDecision {
    const key = rateLimitKey(address);
    const found = this.buckets.get(key);
    const bucket = found ?? { tokens: this.limits.addressBurst, atMs: nowMs };
    bucket.tokens = Math.min(this.limits.addressBurst, bucket.tokens + Math.max(0, nowMs - bucket.atMs) * this.perMs);
    bucket.atMs = nowMs;
    // Re-inserting keeps the Map in least-recently-used order.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (!found && this.buckets.size > this.limits.maxTrackedAddresses) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  get trackedAddresses(): number {
    return this.buckets.size;
  }
}

/**
 * One key per client: IPv4 addresses as they are (IPv4-mapped IPv6 unwrapped), IPv6 by /64, the
 * block one subscriber usually holds whole, so cycling through its addresses gains nothing.
 */
export function rateLimitKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
