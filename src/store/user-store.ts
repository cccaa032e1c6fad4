import { z } from 'zod';
import { PERMISSIONS } from '../domain/users/permission.js';
import type { Username } from '../domain/users/username.js';
import type { PasswordHash, UserEvent, UserState } from '../domain/users/user-events.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';
import { EventStream, olderProjection, type EventCodec } from './event-stream.js';
import { upcastItem } from './upcasters.js';

const permissionsSchema = z.array(z.enum(PERMISSIONS));
const passwordSchema = z.object({
  algorithm: z.literal('scrypt'),
  salt: z.string(),
  hash: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});
/** A user event's type and decoded payload as stored: what an import checks before writing one. */
export const userEventBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('UserRegistered'), payload: z.object({ permissions: permissionsSchema, password: passwordSchema }) }),
  z.object({ type: z.literal('UserPermissionsChanged'), payload: z.object({ permissions: permissionsSchema }) }),
  z.object({ type: z.literal('UserDeleted'), payload: z.object({}).strict() }),
]);

export interface StoredUser {
  username: string;
  permissions: string[];
  password: string;
  version: number;
  createdAt: string;
  deleted: boolean;
  registeredVersion?: number | undefined;
  schemaVersion?: number | undefined;
}

/** User streams on the core, keyed by username. */
const userEventCodec: EventCodec<Username, UserEvent> = {
  kind: 'userEvent',
  streamOf: (event) => event.username,
  decode: ({ streamId, body, ...envelope }) => ({ ...userEventBodySchema.parse(body), ...envelope, username: streamId }),
};

export const userFromItem = (stored: StoredUser): UserState => userFromCurrent(upcastItem('userProjection', stored, stored));

const userFromCurrent = (item: StoredUser): UserState => ({
  username: item.username as Username,
  permissions: permissionsSchema.parse(item.permissions),
  password: passwordSchema.parse(JSON.parse(item.password)) as PasswordHash,
  version: item.version,
  createdAt: item.createdAt,
  deleted: item.deleted,
  registeredVersion: item.registeredVersion ?? 0,
});

/** Users as event streams (one per username) with a projection per user, like artifacts. */
export class UserStore {
  readonly events: EventStream<Username, UserEvent>;

  constructor(private readonly entities: Entities) {
    this.events = new EventStream(entities.userEvent, userEventCodec);
  }

  /** Consistent: logins and user commands decide on it (a user registered a moment ago exists). */
  async get(username: Username): Promise<UserState | undefined> {
    const { data } = await this.entities.userProjection.get({ username }).go({ consistent: true });
    return data ? userFromItem(data) : undefined;
  }

  async save(state: UserState): Promise<'written' | 'already-newer'> {
    const written = await conditionHeld(
      this.entities.userProjection
        .put({
          username: state.username,
          permissions: [...state.permissions],
          isAdmin: state.permissions.includes('ADMIN'),
          password: JSON.stringify(state.password),
          version: state.version,
          createdAt: state.createdAt,
          deleted: state.deleted,
          registeredVersion: state.registeredVersion,
        })
        .where((attr, op) => olderProjection(attr, op, state.version))
        .go({ response: 'none' }),
    );
    return written ? 'written' : 'already-newer';
  }

  /** Live users in username order, one page. */
  async list(first: number, after?: Username): Promise<{ users: UserState[]; hasNextPage: boolean }> {
    const query = this.entities.userProjection.query.catalog({ kind: 'user' });
    const { data } = await (after ? query.gt({ username: after }) : query).go({ count: first + 1, limit: first + 1 });
    return { users: data.slice(0, first).map(userFromItem), hasNextPage: data.length > first };
  }

  /** Takes one admin away from the count, only if another one remains. */
  async releaseAdmin(): Promise<boolean> {
    return conditionHeld(
      this.entities.adminCount
        .update({ name: 'admins' })
        .add({ count: -1 })
        .where((attr, op) => op.gt(attr.count, 1))
        .go({ response: 'none' }),
    );
  }

  async addAdmin(): Promise<void> {
    await this.entities.adminCount.update({ name: 'admins' }).add({ count: 1 }).go({ response: 'none' });
  }
}

