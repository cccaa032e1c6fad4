/** How a loop that lost a race (or was throttled) waits before trying again. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** The cap of the first wait; it doubles per retry up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Full jitter (a uniform wait below the exponential cap): writers that collided at once spread
 * out instead of colliding again in step. `retry` counts from 1 (the wait before the second try).
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const backoff = (policy: RetryPolicy, retry: number): Promise<void> => sleep(backoffDelayMs(policy, retry));
