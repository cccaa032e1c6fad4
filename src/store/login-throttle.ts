import type { GlobalEntities } from './entities.js';

export interface ThrottlePolicy {
  /** Failed logins allowed per username within one window. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000 };

/** Counts failed logins per username in fixed windows, so guessing a password costs time. */
export class LoginThrottle {
  constructor(
    private readonly entities: GlobalEntities,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  async isBlocked(username: string, nowMs: number): Promise<boolean> {
    const { data } = await this.entities.loginThrottle.get({ username }).go({ consistent: true });
    return !!data && nowMs - data.windowStartMs < this.policy.windowMs && data.failures >= this.policy.maxFailures;
  }

  async recordFailure(username: string, nowMs: number): Promise<void> {
    const { data } = await this.entities.loginThrottle.get({ username }).go({ consistent: true });
    const fresh = !data || nowMs - data.windowStartMs >= this.policy.windowMs;
    const ttl = Math.ceil((nowMs + this.policy.windowMs) / 1000);
    if (fresh) {
      await this.entities.loginThrottle.put({ username, failures: 1, windowStartMs: nowMs, ttl }).go({ response: 'none' });
    } else {
      // ADD is atomic, so concurrent failures all count.
      await this.entities.loginThrottle.update({ username }).add({ failures: 1 }).go({ response: 'none' });
    }
  }

  async clear(username: string): Promise<void> {
    await this.entities.loginThrottle.delete({ username }).go({ response: 'none' });
  }
}
