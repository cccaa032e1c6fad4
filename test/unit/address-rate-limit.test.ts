import { describe, expect, it } from 'vitest';
import { AddressRateLimiter, rateLimitKey } from '../../src/application/address-rate-limit.js';

describe('AddressRateLimiter', () => {
  it('allows a burst, then refills at the configured rate, per address', () => {
    const limiter = new AddressRateLimiter({ addressBurst: 3, addressPerMinute: 6, maxTrackedAddresses: 100 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1', t0).allowed)).toEqual([true, true, true]);
    expect(limiter.take('10.0.0.1', t0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    expect(limiter.take('10.0.0.2', t0).allowed).toBe(true);
    expect(limiter.take('10.0.0.1', t0 + 10_000).allowed).toBe(true);
    expect(limiter.take('10.0.0.1', t0 + 10_000).allowed).toBe(false);
  });

  it('tracks at most maxTrackedAddresses, forgetting the least recently seen', () => {
    const limiter = new AddressRateLimiter({ addressBurst: 1, addressPerMinute: 1, maxTrackedAddresses: 2 });
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('a', 0);
    limiter.take('c', 0);
    expect(limiter.trackedAddresses).toBe(2);
    // a is still tracked (and empty); b was forgotten, so it starts again with a full bucket.
    expect(limiter.take('a', 0).allowed).toBe(false);
    expect(limiter.take('b', 0).allowed).toBe(true);
  });

  it('keys IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    expect(rateLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(rateLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(rateLimitKey('192.0.2.7')).toBe('192.0.2.7');
  });
});
