import { appError, err, ok, type Result } from '../../domain/result.js';
import type { Permission } from '../../domain/users/permission.js';
import { parseUsername, type Username } from '../../domain/users/username.js';
import type { UserState } from '../../domain/users/user-events.js';
import type { TokenStore } from '../../store/token-store.js';
import type { RegistryEpochStore } from '../../store/registry-epoch.js';
import type { LoginThrottle } from '../../store/login-throttle.js';
import type { UserStore } from '../../store/user-store.js';
import type { Clock } from '../clock.js';
import { badCredentials, hashingBusy, type PasswordHasher } from '../password-hashing.js';
import { rateLimitKey, type AddressRateLimiter } from '../address-rate-limit.js';
import type { RecentUsers } from './recent-users.js';
import { hashToken, newToken, tokenHints } from './token-string.js';
import { DEFAULT_ADMIN_USERNAME } from './user-commands.js';

export interface TokenPolicy {
  readonly lifetimeMs: number;
  readonly calls: number;
}

/** Requirements §5: a token lasts 10 hours or 1,000 calls, whichever comes first. */
export const DEFAULT_TOKEN_POLICY: TokenPolicy = { lifetimeMs: 10 * 60 * 60 * 1000, calls: 1000 };

export interface Viewer {
  readonly username: Username;
  readonly permissions: readonly Permission[];
  readonly epoch: number;
  readonly remainingCalls: number;
  readonly expiresAt: string;
}

export interface IssuedAccess {
  readonly token: string;
  readonly expiresAt: string;
  readonly remainingCalls: number;
}

export interface AuthenticationDeps {
  readonly tokens: TokenStore;
  readonly epochs: RegistryEpochStore;
  readonly throttle: LoginThrottle;
  readonly hasher: PasswordHasher;
  /** Logins per client address (see LoginLimits). */
  readonly addressLimiter: AddressRateLimiter;
  readonly clock: Clock;
  readonly usersOf: (epoch: number) => UserStore;
  /** The user (in the token's epoch) and the current epoch, remembered for at most a second. */
  readonly recentUsers: RecentUsers;
  /** A registry that never started the usual way (a fresh Lambda stack) gets its admin on first login. */
  readonly ensureDefaultAdmin: (epoch: number) => Promise<void>;
  readonly tokenPolicy: TokenPolicy;
  /**
   * Spellings of the default password that log in as the default administrator, the first being
   * the one it was created with; empty once ADMIN_PASSWORD is set.
   */
  readonly defaultAdminSpellings: readonly string[];
}

/** Callers whose address the HTTP layer could not tell share one throttle per username. */
const UNKNOWN_CLIENT = 'unknown';

const throttled = (reason: 'client' | 'username', retryAfterSeconds: number) =>
  appError(
    'RATE_LIMITED',
    reason === 'client'
      ? 'too many failed logins for this username from this address; retry later'
      : 'too many failed logins for this username; retry later, or from an address that has not failed',
    { retryAfterSeconds },
  );

/** Logins (password for token) and the token check of every request. */
export class Authentication {
  constructor(private readonly deps: AuthenticationDeps) {}

  /**
   * Exchanges a password for a token. Cheapest refusals first: the caller's address rate (memory),
   * a full scrypt queue (memory), the (username, address) throttle (reads, then one conditional
   * write that reserves the attempt before the password is checked, so concurrent guesses all
   * count), and only then scrypt.
   */
  async authenticate(rawUsername: string, password: string, clientAddress?: string): Promise<Result<IssuedAccess>> {
    const { clock, throttle, hasher, addressLimiter } = this.deps;
    const now = clock.now().getTime();
    if (clientAddress !== undefined) {
      const rate = addressLimiter.take(clientAddress, now);
      if (!rate.allowed) {
        return err(appError('RATE_LIMITED', 'too many logins from this address; retry later', { retryAfterSeconds: rate.retryAfterSeconds }));
      }
    }
    if (hasher.saturated) return err(hashingBusy());
    const username = parseUsername(rawUsername);
    if (!username.ok) {
      const burned = await hasher.verifyNobody(password);
      return burned.ok ? err(badCredentials()) : burned;
    }
    const turn = await throttle.reserve(username.value, clientAddress === undefined ? UNKNOWN_CLIENT : rateLimitKey(clientAddress), now);
    if (!turn.admitted) return err(throttled(turn.reason, turn.retryAfterSeconds));
    const checked = await this.checkPassword(username.value, password);
    // Only a wrong password counts: a right one clears the address's record, one never checked gives its attempt back.
    if (!checked.ok) {
      await throttle.release(turn.reservation);
      return checked;
    }
    if (!checked.value) {
      await throttle.failed(turn.reservation, clock.now().getTime());
      return err(badCredentials());
    }
    const [issued] = await Promise.all([this.issueToken(checked.value, now), throttle.succeeded(turn.reservation)]);
    return ok(issued);
  }

  /** The user (in the current epoch) whose password this is, false for a wrong password or unknown user. */
  private async checkPassword(username: Username, password: string): Promise<Result<{ user: UserState; epoch: number } | false>> {
    const { hasher, epochs } = this.deps;
    const epoch = await epochs.current();
    let user = await this.deps.usersOf(epoch).get(username);
    if (!user && username === DEFAULT_ADMIN_USERNAME) {
      await this.deps.ensureDefaultAdmin(epoch);
      user = await this.deps.usersOf(epoch).get(username);
    }
    if (!user || user.deleted) return hasher.verifyNobody(password);
    // Another spelling stands for the first one, still checked against the stored hash: an
    // administrator whose password was set otherwise is not opened by any of them.
    const spellings = this.deps.defaultAdminSpellings;
    const candidate = username === DEFAULT_ADMIN_USERNAME && spellings.includes(password) ? spellings[0]! : password;
    const verified = await hasher.verify(candidate, user.password);
    if (!verified.ok) return verified;
    return ok(verified.value ? { user, epoch } : false);
  }

  private async issueToken({ user, epoch }: { user: UserState; epoch: number }, now: number): Promise<IssuedAccess> {
    const { tokens, tokenPolicy } = this.deps;
    const token = newToken(epoch, user.username);
    const expiresAtMs = now + tokenPolicy.lifetimeMs;
    await tokens.issue({
      tokenHash: hashToken(token),
      username: user.username,
      epoch,
      registeredVersion: user.registeredVersion,
      issuedAt: new Date(now).toISOString(),
      expiresAtMs,
      remainingCalls: tokenPolicy.calls,
    });
    // Just read consistently: the token's first requests need not read it again.
    await this.deps.recentUsers.remember(epoch, user);
    return { token, expiresAt: new Date(expiresAtMs).toISOString(), remainingCalls: tokenPolicy.calls };
  }

  /**
   * Spends one call of `token` and returns its user. A token from before a reset (its epoch is no
   * longer current), of a deleted user, or of an earlier registration of its username (deleted,
   * then registered again) is as invalid as an unknown one. The spend is one conditional update
   * every time (the call budget is never exceeded); the user and epoch come from RecentUsers, so a
   * warm request costs that one DynamoDB call.
   */
  async viewerFor(token: string): Promise<Result<Viewer>> {
    const invalid = err(appError('UNAUTHENTICATED', 'token is invalid, expired or used up; authenticate again'));
    const hints = tokenHints(token);
    if (!hints) return invalid;
    const [consumed, read] = await Promise.all([
      this.deps.tokens.consume(hashToken(token), this.deps.clock.now().getTime()),
      this.deps.recentUsers.get(hints.epoch, hints.username),
    ]);
    if (!consumed || consumed.username !== hints.username) return invalid;
    // Only carryToken moves a token out of the epoch its string names (the default administrator's
    // token across the reset it performed); its user lives in the token's new epoch.
    const { user, epoch } = consumed.epoch === hints.epoch ? read : await this.deps.recentUsers.get(consumed.epoch, hints.username);
    if (epoch !== consumed.epoch || !user || user.deleted) return invalid;
    if (consumed.registeredVersion !== user.registeredVersion) return invalid;
    return ok({
      username: user.username,
      permissions: user.permissions,
      epoch,
      remainingCalls: consumed.remainingCalls,
      expiresAt: new Date(consumed.expiresAtMs).toISOString(),
    });
  }

  /**
   * Keeps the default administrator's token working in `epoch` (a reset it performed): clients log
   * in once, reset, and go on with the same token (requirements §5). Any other token is left to end.
   */
  async carryToken(token: string, epoch: number): Promise<void> {
    if (tokenHints(token)?.username !== DEFAULT_ADMIN_USERNAME) return;
    const admin = await this.deps.usersOf(epoch).get(DEFAULT_ADMIN_USERNAME);
    if (!admin || admin.deleted) return;
    await this.deps.tokens.carry(hashToken(token), epoch, admin.registeredVersion);
  }
}
