import type { GlobalEntities } from './entities.js';
import { conditionHeld, isConditionalCheckFailed } from './conditional-check.js';

export interface ThrottlePolicy {
  /** Failed logins one client may make at one username before its attempts are spaced out. */
  readonly freeFailures: number;
  /** The wait after the client's `freeFailures`-th failure; each further failure doubles it... */
  readonly firstDelayMs: number;
  /** ...up to this. */
  readonly maxDelayMs: number;
  /** A client's failures at a username are forgotten when this fixed window ends (or at a right password). */
  readonly clientWindowMs: number;
  /**
   * Failed logins of one username, from all clients, within one fixed `usernameWindowMs`, past which
   * only clients that have not failed at it are let in: distributed guessing gets one guess per
   * address, and the right password from a clean address still works.
   */
  readonly usernameFailures: number;
  readonly usernameWindowMs: number;
  /**
   * How long a check in progress holds a client that is past its free failures. Its result releases
   * the hold at once; the hold only matters when a process dies mid-check. Above Lambda's 29 s.
   */
  readonly checkHoldMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  clientWindowMs: 24 * 60 * 60_000,
  usernameFailures: 20,
  usernameWindowMs: 15 * 60_000,
  checkHoldMs: 30_000,
};

/** How long a client that has failed `failures` times in a row waits before its next attempt. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failures - policy.freeFailures));
}

/** The attempt a login holds while its password is checked; settle it with exactly one of the three outcomes. */
export interface Reservation {
  readonly username: string;
  readonly client: string;
  readonly window: number;
  /** The client's attempts in its window, this one included: the settle of the latest is the one that counts. */
  readonly attempt: number;
}

export type ThrottleDecision =
  | { readonly admitted: true; readonly reservation: Reservation }
  /** `username`: the username is past its failure limit and this client has failed at it. */
  | { readonly admitted: false; readonly retryAfterSeconds: number; readonly reason: 'client' | 'username' };

/**
 * Throttles logins by (username, client) so that failing only slows the client that fails, with a
 * per-username limit against guessing from many addresses that never refuses a client with no
 * failures (SECURITY.md, "Lockout policy"). A login reserves its attempt BEFORE its
 * password is checked, with one conditional write: concurrent guesses cannot all pass a check made
 * before any of them counted. Reads come first, so a refused client costs no write.
 */
export class LoginThrottle {
  constructor(
    private readonly entities: GlobalEntities,
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
  ) {}

  async reserve(username: string, client: string, nowMs: number): Promise<ThrottleDecision> {
    const { freeFailures, clientWindowMs, usernameFailures, usernameWindowMs, checkHoldMs } = this.policy;
    const window = Math.floor(nowMs / clientWindowMs);
    const usernameWindow = Math.floor(nowMs / usernameWindowMs);
    // Consistent: a failure just counted must refuse the next guess, whichever replica answers.
    const [{ data: mine }, { data: all }] = await Promise.all([
      this.entities.loginThrottle.get({ username, client, window }).go({ consistent: true }),
      this.entities.loginFailures.get({ username, window: usernameWindow }).go({ consistent: true }),
    ]);
    const attempts = mine?.attempts ?? 0;
    // A check in progress is answered within about a second; its failure's delay is not known before.
    const waitMs = attempts < freeFailures ? 0 : Math.max((mine?.blockedUntilMs ?? 0) - nowMs, (mine?.checkingUntilMs ?? 0) > nowMs ? 1_000 : 0);
    // A clean client is never refused here: strangers cannot lock the right password out.
    const crowded = (all?.failures ?? 0) >= usernameFailures;
    if (crowded && attempts > 0) return refused('username', Math.max(waitMs, (usernameWindow + 1) * usernameWindowMs - nowMs));
    if (waitMs > 0) return refused('client', waitMs);
    try {
      const { data } = await this.entities.loginThrottle
        .update({ username, client, window })
        .add({ attempts: 1 })
        // Every attempt holds the client until it is settled; the hold binds only past freeFailures.
        .set({ checkingUntilMs: nowMs + checkHoldMs, ttl: endOf(window, clientWindowMs) })
        .where((attr, op) =>
          crowded
            ? `${op.notExists(attr.attempts)} OR ${op.eq(attr.attempts, 0)}`
            : `${op.notExists(attr.attempts)} OR ${op.lt(attr.attempts, freeFailures)} OR ` +
              `((${op.notExists(attr.blockedUntilMs)} OR ${op.lte(attr.blockedUntilMs, nowMs)}) AND (${op.notExists(attr.checkingUntilMs)} OR ${op.lte(attr.checkingUntilMs, nowMs)}))`,
        )
        .go({ response: 'all_new' });
      return { admitted: true, reservation: { username, client, window, attempt: data.attempts ?? 1 } };
    } catch (error) {
      // Another login from this client took the turn between the read and the write.
      if (isConditionalCheckFailed(error)) return refused(crowded ? 'username' : 'client', 1_000);
      throw error;
    }
  }

  /**
   * A wrong password: the client waits before its next attempt (none while within its free failures),
   * and the username's failures count one more.
   */
  async failed(reservation: Reservation, nowMs: number): Promise<void> {
    const { username, client, window, attempt } = reservation;
    const usernameWindow = Math.floor(nowMs / this.policy.usernameWindowMs);
    await Promise.all([
      // Only the latest attempt settles the client: an earlier one finishing later must not shorten its wait.
      conditionHeld(
        this.entities.loginThrottle
          .update({ username, client, window })
          .set({ blockedUntilMs: nowMs + delayAfter(attempt, this.policy) })
          .remove(['checkingUntilMs'])
          .where((attr, op) => op.eq(attr.attempts, attempt))
          .go({ response: 'none' }),
      ),
      this.entities.loginFailures
        .update({ username, window: usernameWindow })
        .add({ failures: 1 })
        .set({ ttl: endOf(usernameWindow, this.policy.usernameWindowMs) })
        .go({ response: 'none' }),
    ]);
  }

  /** A right password: the client has shown it knows it, so its failures are forgotten. */
  async succeeded(reservation: Reservation): Promise<void> {
    const { username, client, window } = reservation;
    await this.entities.loginThrottle.delete({ username, client, window }).go({ response: 'none' });
  }

  /**
   * A login whose password was never checked (the scrypt queue filled meanwhile) gives its attempt
   * back. Only while it is the latest: otherwise the count stays one high, which only delays a client
   * that is already racing itself.
   */
  async release(reservation: Reservation): Promise<void> {
    const { username, client, window, attempt } = reservation;
    await conditionHeld(
      this.entities.loginThrottle
        .update({ username, client, window })
        .add({ attempts: -1 })
        .remove(['checkingUntilMs'])
        .where((attr, op) => op.eq(attr.attempts, attempt))
        .go({ response: 'none' }),
    );
  }
}

const refused = (reason: 'client' | 'username', waitMs: number): ThrottleDecision => ({
  admitted: false,
  reason,
  retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
});

/** Epoch seconds at which a fixed window's item may go: DynamoDB TTL deletes it some time after. */
const endOf = (window: number, windowMs: number): number => Math.ceil(((window + 1) * windowMs) / 1000);
