import { SYSTEM_ACTOR, type ActorId } from '../../domain/ids.js';
import { appError, err, ok, type AppError, type Result } from '../../domain/result.js';
import { normalizePermissions, PERMISSIONS, type Permission } from '../../domain/users/permission.js';
import { checkPassword, parseUsername, type Username } from '../../domain/users/username.js';
import { foldUserEvents, type UserEvent, type UserEventBody, type UserState } from '../../domain/users/user-events.js';
import type { UserStore } from '../../store/user-store.js';
import type { Clock } from '../clock.js';
import type { PasswordHasher } from '../password-hashing.js';
import { StreamCommands } from '../stream-commands.js';
import type { RecentUsers } from './recent-users.js';

export const DEFAULT_ADMIN_USERNAME = 'ece30861defaultadminuser' as Username;

export interface UserView {
  readonly username: Username;
  readonly permissions: readonly Permission[];
  readonly createdAt: string;
}

/** Who is acting on a user: events record the username, admins may act on others. */
export interface UserActor {
  readonly username: Username;
  readonly permissions: readonly Permission[];
}

export interface UserCommandDeps {
  readonly usersOf: (epoch: number) => UserStore;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly adminPassword: string;
  /** Told of every state this process commits, so its own changes apply to tokens at once. */
  readonly recentUsers: RecentUsers;
}

/** Events record who acted by username. */
export const actorOf = (viewer: Pick<UserActor, 'username'>): ActorId => viewer.username as string as ActorId;
const toView = (user: UserState): UserView => ({ username: user.username, permissions: user.permissions, createdAt: user.createdAt });

/** The user streams: registration, permissions, deletion, and the default administrator. */
export class UserCommands {
  constructor(private readonly deps: UserCommandDeps) {}

  /** User streams on the stream core (projection plus tail, repaired on the way). */
  private stream(users: UserStore): StreamCommands<Username, UserEvent, UserState> {
    return new StreamCommands({
      events: users.events,
      loadProjection: (username) => users.get(username),
      project: (state) => users.save(state),
      fold: foldUserEvents,
    });
  }

  /** Creates the default administrator in `epoch` unless that username was ever registered there. */
  async ensureDefaultAdmin(epoch: number): Promise<void> {
    const users = this.deps.usersOf(epoch);
    if ((await users.events.readStream(DEFAULT_ADMIN_USERNAME)).length > 0) return;
    const event = this.event(DEFAULT_ADMIN_USERNAME, 1, SYSTEM_ACTOR, {
      type: 'UserRegistered',
      payload: { permissions: [...PERMISSIONS], password: await this.deps.hasher.hash(this.deps.adminPassword) },
    });
    // Another process may win the race to create it; either way it exists now.
    const outcome = await this.stream(users).commit(undefined, event);
    if ('committed' in outcome) await users.addAdmin();
  }

  /** Whether the default administrator can still log in with the published default password. */
  async defaultPasswordWorks(epoch: number, defaultPassword: string): Promise<boolean> {
    const admin = await this.deps.usersOf(epoch).get(DEFAULT_ADMIN_USERNAME);
    return !!admin && !admin.deleted && (await this.deps.hasher.matches(defaultPassword, admin.password));
  }

  async registerUser(epoch: number, actor: UserActor, input: { username: string; password: string; permissions: readonly Permission[] }): Promise<Result<UserView>> {
    const username = parseUsername(input.username);
    if (!username.ok) return username;
    const password = checkPassword(input.password);
    if (!password.ok) return password;
    const users = this.deps.usersOf(epoch);
    const current = await this.stream(users).loadCurrent(username.value);
    if (current && !current.deleted) return err(appError('CONFLICT', `user ${username.value} already exists`, { username: username.value }));
    const permissions = normalizePermissions(input.permissions);
    const event = this.event(username.value, (current?.version ?? 0) + 1, actorOf(actor), {
      type: 'UserRegistered',
      payload: { permissions, password: await this.deps.hasher.hash(password.value) },
    });
    const outcome = await this.stream(users).commit(current, event);
    if (!('committed' in outcome)) return err(appError('CONFLICT', `user ${username.value} was registered concurrently`));
    if (permissions.includes('ADMIN')) await users.addAdmin();
    await this.deps.recentUsers.remember(epoch, outcome.committed);
    return ok(toView(outcome.committed));
  }

  async setPermissions(epoch: number, actor: UserActor, input: { username: string; permissions: readonly Permission[] }): Promise<Result<UserView>> {
    const users = this.deps.usersOf(epoch);
    const found = await this.live(users, input.username);
    if (!found.ok) return found;
    const current = found.value;
    const permissions = normalizePermissions(input.permissions);
    const losesAdmin = current.permissions.includes('ADMIN') && !permissions.includes('ADMIN');
    const gainsAdmin = !current.permissions.includes('ADMIN') && permissions.includes('ADMIN');
    return this.commitChange(epoch, users, current, actor, { type: 'UserPermissionsChanged', payload: { permissions } }, { losesAdmin, gainsAdmin });
  }

  /** Users may delete themselves; admins may delete anyone; the last admin stays. */
  async deleteUser(epoch: number, actor: UserActor, rawUsername: string): Promise<Result<Username>> {
    if (rawUsername !== actor.username && !actor.permissions.includes('ADMIN')) {
      return err(appError('FORBIDDEN', 'only admins may delete other users'));
    }
    const users = this.deps.usersOf(epoch);
    const found = await this.live(users, rawUsername);
    if (!found.ok) return found;
    const result = await this.commitChange(epoch, users, found.value, actor, { type: 'UserDeleted', payload: {} }, {
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
   * is the last), so the guard holds under concurrency; a lost race gives the count back. Not
   * retried: the client decided on the state it saw.
   */
  private async commitChange(
    epoch: number,
    users: UserStore,
    current: UserState,
    actor: UserActor,
    body: UserEventBody,
    admin: { losesAdmin: boolean; gainsAdmin: boolean },
  ): Promise<Result<UserView>> {
    if (admin.losesAdmin && !(await users.releaseAdmin())) {
      return err(appError('CONFLICT', 'the last administrator cannot be removed', { username: current.username }));
    }
    const event = this.event(current.username, current.version + 1, actorOf(actor), body);
    const outcome = await this.stream(users).commit(current, event);
    if (!('committed' in outcome)) {
      if (admin.losesAdmin) await users.addAdmin();
      return err(appError('CONFLICT', `user ${current.username} changed concurrently; retry`));
    }
    if (admin.gainsAdmin) await users.addAdmin();
    await this.deps.recentUsers.remember(epoch, outcome.committed);
    return ok(toView(outcome.committed));
  }

  private async live(users: UserStore, rawUsername: string): Promise<Result<UserState>> {
    const username = parseUsername(rawUsername);
    if (!username.ok) return username;
    const state = await this.stream(users).loadCurrent(username.value);
    return state && !state.deleted ? ok(state) : err<AppError>(appError('NOT_FOUND', `no user ${username.value}`, { username: username.value }));
  }

  private event(username: Username, version: number, actor: ActorId, body: UserEventBody): UserEvent {
    return { ...body, username, version, at: this.deps.clock.now().toISOString(), actor } as UserEvent;
  }
}
