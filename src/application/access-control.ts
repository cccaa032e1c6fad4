import { createHash, randomBytes } from 'node:crypto';
import { SYSTEM_ACTOR, type ActorId } from '../domain/ids.js';
import { appError, err, ok, type AppError, type Result } from '../domain/result.js';
import { normalizePermissions, PERMISSIONS, type Permission } from '../domain/users/permission.js';
import { checkPassword, parseUsername, type Username } from '../domain/users/username.js';
import { foldUserEvents, applyUserEvent, type UserEvent, type UserEventBody, type UserState } from '../domain/users/user-events.js';
import type { TokenStore } from '../store/token-store.js';
import type { RegistryEpochStore } from '../store/registry-epoch.js';
import type { LoginThrottle } from '../store/login-throttle.js';
import type { UserStore } from '../store/user-store.js';
import type { Clock } from './clock.js';
import { hashingBusy, type PasswordHasher } from './password-hashing.js';
import type { AddressRateLimiter } from './address-rate-limit.js';

export const DEFAULT_ADMIN_USERNAME = 'ece30861defaultadminuser' as Username;

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

export interface UserView {
  readonly username: Username;
  readonly permissions: readonly Permission[];
  readonly createdAt: string;
}

export interface AccessControlDeps {
  readonly tokens: TokenStore;
  readonly epochs: RegistryEpochStore;
  readonly throttle: LoginThrottle;
  readonly hasher: PasswordHasher;
  /** Logins per client address (see LoginLimits). */
  readonly addressLimiter: AddressRateLimiter;
  readonly clock: Clock;
  readonly usersOf: (epoch: number) => UserStore;
  /** The user (in `epoch`) and the current epoch, in one round trip. */
  readonly readUserAndEpoch: (epoch: number, username: Username) => Promise<{ user: UserState | undefined; epoch: number }>;
  readonly adminPassword: string;
  readonly tokenPolicy: TokenPolicy;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Tokens read `tmr1.<epoch>.<base64url username>.<secret>`. The epoch and username are hints that
 * let a request read its user while it spends the token, in parallel; the stored token item (found
 * by the hash of the whole string) is the authority and must agree with them.
 */
function newToken(epoch: number, username: Username): string {
  return `tmr1.${epoch}.${Buffer.from(username).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

function tokenHints(token: string): { epoch: number; username: Username } | undefined {
  const match = /^tmr1\.(\d{1,9})\.([A-Za-z0-9_-]{1,100})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { epoch: Number(match[1]), username: Buffer.from(match[2]!, 'base64url').toString('utf8') as Username } : undefined;
}
/** One answer for unknown users, wrong passwords and malformed usernames alike. */
const badCredentials = () => err(appError('UNAUTHENTICATED', 'invalid username or password'));
/** Events record who acted by username. */
export const actorOf = (viewer: Pick<Viewer, 'username'>): ActorId => viewer.username as string as ActorId;
const toView = (user: UserState): UserView => ({ username: user.username, permissions: user.permissions, createdAt: user.createdAt });

/** Who may do what: logins, tokens, and the users themselves. */
export class AccessControl {
  constructor(private readonly deps: AccessControlDeps) {}

  /**
   * Exchanges a password for a token. Cheapest refusals first: the caller's address rate (memory),
   * a full scrypt queue (memory), the username's attempts (one conditional write, taken before the
   * password is checked so concurrent guesses all count), and only then scrypt.
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
      return burned.ok ? badCredentials() : burned;
    }
    if (!(await throttle.reserve(username.value, now))) {
      return err(appError('UNAUTHENTICATED', 'too many failed logins for this username; try again later'));
    }
    const checked = await this.checkPassword(username.value, password);
    // The attempt counts only as a failure: a right password, or one never checked, gives it back.
    if (!checked.ok || checked.value) await throttle.release(username.value, now);
    if (!checked.ok) return checked;
    return checked.value ? ok(await this.issueToken(checked.value, now)) : badCredentials();
  }

  /** The user (in the current epoch) whose password this is, false for a wrong password or unknown user. */
  private async checkPassword(username: Username, password: string): Promise<Result<{ user: UserState; epoch: number } | false>> {
    const { hasher, epochs } = this.deps;
    const epoch = await epochs.current();
    let user = await this.deps.usersOf(epoch).get(username);
    if (!user && username === DEFAULT_ADMIN_USERNAME) {
      // A registry that never started the usual way (a fresh Lambda stack) gets its admin on first login.
      await this.ensureDefaultAdmin(epoch);
      user = await this.deps.usersOf(epoch).get(username);
    }
    if (!user || user.deleted) return hasher.verifyNobody(password);
    const verified = await hasher.verify(password, user.password);
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
    return { token, expiresAt: new Date(expiresAtMs).toISOString(), remainingCalls: tokenPolicy.calls };
  }

  /**
   * Spends one call of `token` and returns its user. A token from before a reset (its epoch is no
   * longer current), of a deleted user, or of an earlier registration of its username (deleted,
   * then registered again) is as invalid as an unknown one.
   */
  async viewerFor(token: string): Promise<Result<Viewer>> {
    const invalid = err(appError('UNAUTHENTICATED', 'token is invalid, expired or used up; authenticate again'));
    const hints = tokenHints(token);
    if (!hints) return invalid;
    const [consumed, read] = await Promise.all([
      this.deps.tokens.consume(hashToken(token), this.deps.clock.now().getTime()),
      this.deps.readUserAndEpoch(hints.epoch, hints.username),
    ]);
    if (!consumed || consumed.username !== hints.username) return invalid;
    const { epoch } = read;
    let { user } = read;
    // Only carryToken moves a token out of the epoch its string names: the default administrator's
    // token across the reset it performed. Its user lives in the new epoch: one more read.
    if (consumed.epoch !== hints.epoch) user = consumed.epoch === epoch ? await this.deps.usersOf(epoch).get(hints.username) : undefined;
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

  /** Creates the default administrator in `epoch` unless that username was ever registered there. */
  async ensureDefaultAdmin(epoch: number): Promise<void> {
    const users = this.deps.usersOf(epoch);
    if ((await users.readStream(DEFAULT_ADMIN_USERNAME)).length > 0) return;
    const event = this.event(DEFAULT_ADMIN_USERNAME, 1, SYSTEM_ACTOR, {
      type: 'UserRegistered',
      payload: { permissions: [...PERMISSIONS], password: await this.deps.hasher.hash(this.deps.adminPassword) },
    });
    // Another process may win the race to create it; either way it exists now.
    if ((await users.append(event)) === 'appended') {
      await users.addAdmin();
      await users.save(applyUserEvent(undefined, event));
    }
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

  /** Whether the default administrator can still log in with the published default password. */
  async defaultPasswordWorks(epoch: number, defaultPassword: string): Promise<boolean> {
    const admin = await this.deps.usersOf(epoch).get(DEFAULT_ADMIN_USERNAME);
    return !!admin && !admin.deleted && (await this.deps.hasher.matches(defaultPassword, admin.password));
  }

  async registerUser(epoch: number, actor: Viewer, input: { username: string; password: string; permissions: readonly Permission[] }): Promise<Result<UserView>> {
    const username = parseUsername(input.username);
    if (!username.ok) return username;
    const password = checkPassword(input.password);
    if (!password.ok) return password;
    const users = this.deps.usersOf(epoch);
    const current = await this.load(users, username.value);
    if (current && !current.deleted) return err(appError('CONFLICT', `user ${username.value} already exists`, { username: username.value }));
    const permissions = normalizePermissions(input.permissions);
    const event = this.event(username.value, (current?.version ?? 0) + 1, actorOf(actor), {
      type: 'UserRegistered',
      payload: { permissions, password: await this.deps.hasher.hash(password.value) },
    });
    if ((await users.append(event)) !== 'appended') return err(appError('CONFLICT', `user ${username.value} was registered concurrently`));
    if (permissions.includes('ADMIN')) await users.addAdmin();
    const state = applyUserEvent(current, event);
    await users.save(state);
    return ok(toView(state));
  }

  async setPermissions(epoch: number, actor: Viewer, input: { username: string; permissions: readonly Permission[] }): Promise<Result<UserView>> {
    const users = this.deps.usersOf(epoch);
    const found = await this.live(users, input.username);
    if (!found.ok) return found;
    const current = found.value;
    const permissions = normalizePermissions(input.permissions);
    const losesAdmin = current.permissions.includes('ADMIN') && !permissions.includes('ADMIN');
    const gainsAdmin = !current.permissions.includes('ADMIN') && permissions.includes('ADMIN');
    return this.commitChange(users, current, actor, { type: 'UserPermissionsChanged', payload: { permissions } }, { losesAdmin, gainsAdmin });
  }

  /** Users may delete themselves; admins may delete anyone; the last admin stays. */
  async deleteUser(epoch: number, actor: Viewer, rawUsername: string): Promise<Result<Username>> {
    if (rawUsername !== actor.username && !actor.permissions.includes('ADMIN')) {
      return err(appError('FORBIDDEN', 'only admins may delete other users'));
    }
    const users = this.deps.usersOf(epoch);
    const found = await this.live(users, rawUsername);
    if (!found.ok) return found;
    const result = await this.commitChange(users, found.value, actor, { type: 'UserDeleted', payload: {} }, {
      losesAdmin: found.value.permissions.includes('ADMIN'),
      gainsAdmin: false,
    });
    return result.ok ? ok(result.value.username) : result;
  }

  async listUsers(epoch: number, first: number, after?: string): Promise<{ users: UserView[]; hasNextPage: boolean }> {
    const page = await this.deps.usersOf(epoch).list(first, after as Username | undefined);
    return { users: page.users.map(toView), hasNextPage: page.hasNextPage };
  }

  async getUser(epoch: number, username: Username): Promise<UserView | undefined> {
    const user = await this.deps.usersOf(epoch).get(username);
    return user && !user.deleted ? toView(user) : undefined;
  }

  /**
   * Appends a change to a user. Losing an admin first takes it off the admin count (refused when it
   * is the last), so the guard holds under concurrency; a lost race gives the count back.
   */
  private async commitChange(
    users: UserStore,
    current: UserState,
    actor: Viewer,
    body: UserEventBody,
    admin: { losesAdmin: boolean; gainsAdmin: boolean },
  ): Promise<Result<UserView>> {
    if (admin.losesAdmin && !(await users.releaseAdmin())) {
      return err(appError('CONFLICT', 'the last administrator cannot be removed', { username: current.username }));
    }
    const event = this.event(current.username, current.version + 1, actorOf(actor), body);
    if ((await users.append(event)) !== 'appended') {
      if (admin.losesAdmin) await users.addAdmin();
      return err(appError('CONFLICT', `user ${current.username} changed concurrently; retry`));
    }
    if (admin.gainsAdmin) await users.addAdmin();
    const state = applyUserEvent(current, event);
    await users.save(state);
    return ok(toView(state));
  }

  private async live(users: UserStore, rawUsername: string): Promise<Result<UserState>> {
    const username = parseUsername(rawUsername);
    if (!username.ok) return username;
    const state = await this.load(users, username.value);
    return state && !state.deleted ? ok(state) : err<AppError>(appError('NOT_FOUND', `no user ${username.value}`, { username: username.value }));
  }

  /** Projection plus any events it has not absorbed (repairing it), as for artifacts. */
  private async load(users: UserStore, username: Username): Promise<UserState | undefined> {
    const projected = await users.get(username);
    const tail = await users.readStream(username, projected?.version ?? 0);
    if (tail.length === 0) return projected;
    const state = foldUserEvents(projected, tail);
    if (state) await users.save(state);
    return state;
  }

  private event(username: Username, version: number, actor: ActorId, body: UserEventBody): UserEvent {
    return { ...body, username, version, at: this.deps.clock.now().toISOString(), actor } as UserEvent;
  }
}
