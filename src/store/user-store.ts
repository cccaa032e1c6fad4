import { z } from 'zod';
import type { ActorId } from '../domain/ids.js';
import { PERMISSIONS } from '../domain/users/permission.js';
import type { Username } from '../domain/users/username.js';
import type { PasswordHash, UserEvent, UserState } from '../domain/users/user-events.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';
import type { AppendOutcome } from './event-store.js';
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
const bodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('UserRegistered'), payload: z.object({ permissions: permissionsSchema, password: passwordSchema }) }),
  z.object({ type: z.literal('UserPermissionsChanged'), payload: z.object({ permissions: permissionsSchema }) }),
  z.object({ type: z.literal('UserDeleted'), payload: z.object({}).strict() }),
]);

interface StoredUserEvent {
  username: string;
  version: number;
  eventType: string;
  at: string;
  actor: string;
  payload: string;
  schemaVersion?: number | undefined;
}

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

const eventFromItem = (item: StoredUserEvent): UserEvent => ({
  ...bodySchema.parse(upcastItem('userEvent', item, { type: item.eventType, payload: JSON.parse(item.payload) as unknown })),
  username: item.username as Username,
  version: item.version,
  at: item.at,
  actor: item.actor as ActorId,
});

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
  constructor(private readonly entities: Entities) {}

  /** Appends at the event's version if it is free; a lost race names the winner's version (see EventStore.append). */
  async append(event: UserEvent): Promise<AppendOutcome> {
    const { type, payload, ...envelope } = event;
    const put = await this.entities.userEvent
      .create({ ...envelope, eventType: type, payload: JSON.stringify(payload) })
      .go({ response: 'none', returnOnConditionCheckFailure: 'all_old' });
    if (!put.rejected) return 'appended';
    return { taken: true, winnerVersion: put.data?.version ?? (await this.latestVersion(event.username)) };
  }

  /** The stream's newest version (0 when there is none), read consistently. */
  async latestVersion(username: Username): Promise<number> {
    const { data } = await this.entities.userEvent.query.stream({ username }).go({ order: 'desc', limit: 1, count: 1, attributes: ['version'], consistent: true });
    return data[0]?.version ?? 0;
  }

  async readStream(username: Username, afterVersion = 0): Promise<UserEvent[]> {
    const { data } = await this.entities.userEvent.query.stream({ username }).gt({ version: afterVersion }).go({ pages: 'all', consistent: true });
    return data.map(eventFromItem);
  }

  /** Consistent: logins and user commands decide on it (a user registered a moment ago exists). */
  async get(username: Username): Promise<UserState | undefined> {
    const { data } = await this.entities.userProjection.get({ username }).go({ consistent: true });
    return data ? userFromItem(data) : undefined;
  }

  async save(state: UserState): Promise<void> {
    await conditionHeld(
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
        .where((attr, op) => `${op.notExists(attr.version)} OR ${op.lt(attr.version, state.version)}`)
        .go({ response: 'none' }),
    );
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

