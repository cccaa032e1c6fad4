import type { ActorId } from '../ids.js';
import type { Permission } from './permission.js';
import type { Username } from './username.js';

/** scrypt parameters travel with the hash so they can be raised later without breaking old users. */
export interface PasswordHash {
  readonly algorithm: 'scrypt';
  readonly salt: string;
  readonly hash: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export type UserEventBody =
  | { readonly type: 'UserRegistered'; readonly payload: { readonly permissions: readonly Permission[]; readonly password: PasswordHash } }
  | { readonly type: 'UserPermissionsChanged'; readonly payload: { readonly permissions: readonly Permission[] } }
  | { readonly type: 'UserDeleted'; readonly payload: Readonly<Record<string, never>> };

export type UserEvent = UserEventBody & {
  readonly username: Username;
  readonly version: number;
  readonly at: string;
  readonly actor: ActorId;
};

export interface UserState {
  readonly username: Username;
  readonly permissions: readonly Permission[];
  readonly password: PasswordHash;
  readonly version: number;
  readonly createdAt: string;
  readonly deleted: boolean;
  /**
   * Stream version of the UserRegistered event of this incarnation of the username. Tokens record
   * it, so a token of a deleted user never works for a later user of the same name. 0 for
   * projections written before it was recorded (their tokens lack it and are refused).
   */
  readonly registeredVersion: number;
}

/** A username can be registered again after deletion: its stream continues with a new registration. */
export function applyUserEvent(state: UserState | undefined, event: UserEvent): UserState {
  const expected = (state?.version ?? 0) + 1;
  if (event.version !== expected) throw new Error(`user ${event.username}: event version ${event.version} applied at ${expected - 1}`);
  switch (event.type) {
    case 'UserRegistered':
      if (state && !state.deleted) throw new Error(`user ${event.username}: registered while live`);
      return {
        username: event.username,
        permissions: event.payload.permissions,
        password: event.payload.password,
        version: event.version,
        createdAt: event.at,
        deleted: false,
        registeredVersion: event.version,
      };
    case 'UserPermissionsChanged':
      if (!state) throw new Error(`user ${event.username}: permissions before registration`);
      return { ...state, permissions: event.payload.permissions, version: event.version };
    case 'UserDeleted':
      if (!state) throw new Error(`user ${event.username}: deleted before registration`);
      return { ...state, deleted: true, version: event.version };
  }
}

export const foldUserEvents = (state: UserState | undefined, events: readonly UserEvent[]): UserState | undefined =>
  events.reduce<UserState | undefined>(applyUserEvent, state);
