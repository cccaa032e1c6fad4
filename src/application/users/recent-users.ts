import type { Username } from '../../domain/users/username.js';
import type { UserState } from '../../domain/users/user-events.js';
import type { Clock } from '../clock.js';

/** What authentication reads besides the token: the user in the token's epoch, and the current epoch. */
export interface UserAndEpoch {
  readonly user: UserState | undefined;
  readonly epoch: number;
}

/** How long another process's change (permissions, deletion, reset) may go unseen here. */
export const RECENT_USERS_MAX_AGE_MS = 1_000;

export interface RecentUsersOptions {
  readonly maxAgeMs?: number;
  /** Defaults to the registry's clock; tests pass a clock they move by hand. */
  readonly clock?: Clock;
}

interface Entry {
  /** When the read started: the answer is at least this fresh. */
  readonly readAtMs: number;
  readonly value: Promise<UserAndEpoch>;
}

/** Far more users than one process serves in a second; beyond it, expired entries are dropped. */
const MAX_ENTRIES = 10_000;

/**
 * Per process, the user and epoch each authenticated request needs, for at most `maxAgeMs`: the
 * token spend is then the request's only DynamoDB call. This process's own changes (user commands,
 * logins, resets) update or clear it at once; another process's show here within `maxAgeMs`.
 * Concurrent requests of one user share one read.
 */
export class RecentUsers {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;

  constructor(
    private readonly read: (epoch: number, username: Username) => Promise<UserAndEpoch>,
    private readonly clock: Clock,
    options: RecentUsersOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? RECENT_USERS_MAX_AGE_MS;
    if (options.clock) this.clock = options.clock;
  }

  get(epoch: number, username: Username): Promise<UserAndEpoch> {
    const key = keyOf(epoch, username);
    const now = this.clock.now().getTime();
    const hit = this.entries.get(key);
    if (hit && this.fresh(hit, now)) return hit.value;
    if (this.entries.size >= MAX_ENTRIES) this.dropExpired(now);
    const entry: Entry = { readAtMs: now, value: this.read(epoch, username) };
    this.entries.set(key, entry);
    // A failed read is not remembered: the next request reads again.
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  /** A user state this process just read consistently or committed; an older version never replaces a newer one. */
  async remember(epoch: number, user: UserState): Promise<void> {
    const key = keyOf(epoch, user.username);
    const held = this.entries.get(key);
    const heldUser = held ? await held.value.then((v) => v.user, () => undefined) : undefined;
    if (heldUser && heldUser.version > user.version && this.entries.get(key) === held) return;
    this.entries.set(key, { readAtMs: this.clock.now().getTime(), value: Promise.resolve({ user, epoch }) });
  }

  /** After a reset: every remembered epoch is stale. */
  clear(): void {
    this.entries.clear();
  }

  private fresh(entry: Entry, now: number): boolean {
    // A clock that went backwards does not make an entry fresh forever.
    return now >= entry.readAtMs && now - entry.readAtMs < this.maxAgeMs;
  }

  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) if (!this.fresh(entry, now)) this.entries.delete(key);
  }
}

const keyOf = (epoch: number, username: Username) => `${epoch}\u0000${username}`;
