import type { GlobalEntities } from './entities.js';
import { conditionHeld } from './conditional-check.js';

export interface ThrottlePolicy {
  /** Failed logins allowed per username within one window. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 };

/**
 * Counts logins per username in fixed windows, so guessing a password costs time. A login takes
 * an attempt BEFORE its password is checked, with one conditional ADD: concurrent guesses cannot
 * all pass a check made before any of them counted. A correct password gives its attempt back.
 */
export class LoginThrottle {
  constructor(
    private readonly entities: GlobalEntities,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  /** Takes one attempt of the current window; false when the window's attempts are used up. */
  async reserve(username: string, nowMs: number): Promise<boolean> {
    const window = Math.floor(nowMs / this.policy.windowMs);
    const ttl = Math.ceil(((window + 1) * this.policy.windowMs) / 1000);
    return conditionHeld(
      this.entities.loginThrottle
        .update({ username, window })
        .add({ failures: 1 })
        .set({ ttl })
        .where((attr, op) => `${op.notExists(attr.failures)} OR ${op.lt(attr.failures, this.policy.maxFailures)}`)
        .go({ response: 'none' }),
    );
  }

  /** Gives back the attempt `reserve` took at `reservedAtMs` (a correct password, or a login never checked). */
  async release(username: string, reservedAtMs: number): Promise<void> {
    const window = Math.floor(reservedAtMs / this.policy.windowMs);
    await conditionHeld(
      this.entities.loginThrottle
        .update({ username, window })
        .add({ failures: -1 })
        .where((attr, op) => op.gt(attr.failures, 0))
        .go({ response: 'none' }),
    );
  }
}
