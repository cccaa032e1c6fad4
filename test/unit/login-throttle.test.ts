import { describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE, delayAfter } from '../../src/store/login-throttle.js';

describe('delayAfter', () => {
  it('lets 5 failures go free, then doubles from 1 s up to 15 minutes', () => {
    const seconds = Array.from({ length: 18 }, (_, failures) => delayAfter(failures, DEFAULT_THROTTLE) / 1000);
    expect(seconds).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
    // No overflow however long an address keeps failing.
    expect(delayAfter(10_000, DEFAULT_THROTTLE)).toBe(15 * 60_000);
  });
});
