import type { ArgBuilder } from '@pothos/core';
import { z } from 'zod';
import { ok, type Result } from '../domain/result.js';
import { parseUsername, type Username } from '../domain/users/username.js';
import { decodeCursor, encodeCursor } from '../store/page-cursor.js';
import type { HistoryPosition, RecordId } from '../domain/history.js';
import type { builder } from './builder.js';

type Types = typeof builder.$inferSchemaTypes;

/**
 * Connections page forward only (DynamoDB keys make `after` cheap), so they offer Relay's
 * `first`/`after` and not `last`/`before`: a client generated from the schema (relay-compiler)
 * then never builds a query the server refuses.
 */
export const forwardConnectionArgs = (arg: ArgBuilder<Types>) => ({
  first: arg.int({ required: false, description: 'Page size: 0 to 100 (20 when absent); 0 answers no edges, only pageInfo. Outside that range: BAD_USER_INPUT.' }),
  after: arg.string({
    required: false,
    description: "Start after this cursor: the previous page's pageInfo.endCursor (or an edge's cursor) from this same connection. Any other string is BAD_USER_INPUT.",
  }),
});

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** pageInfo of a forward page; a previous page exists whenever the client paged past one. */
export function forwardPageInfo(edges: readonly { cursor: string }[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return { hasNextPage, hasPreviousPage: after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
}

const historyScope = (artifactId: string) => `history:${artifactId}`;
/** A history page ends at a stream version and at a download record; either may be at its start. */
const historyPosition = z.strictObject({
  version: z.number().int().min(0).max(2 ** 31 - 1),
  record: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/).optional(),
});

export const historyCursor = (artifactId: string, position: HistoryPosition): string =>
  encodeCursor(historyScope(artifactId), { version: position.version, ...(position.recordId !== undefined && { record: position.recordId }) });

/** Where a history page starts: after version 0 and before every record without a cursor. */
export function parseHistoryCursor(artifactId: string, after: string | null | undefined): Result<HistoryPosition> {
  if (after == null) return ok({ version: 0 });
  const position = decodeCursor(historyScope(artifactId), historyPosition, after);
  return position.ok ? ok({ version: position.value.version, ...(position.value.record !== undefined && { recordId: position.value.record as RecordId }) }) : position;
}

const usersScope = 'users';
const usersPosition = z.strictObject({ username: z.string().refine((raw) => parseUsername(raw).ok).transform((raw) => raw as Username) });

export const usersCursor = (username: string): string => encodeCursor(usersScope, { username });

export function parseUsersCursor(after: string | null | undefined): Result<Username | undefined> {
  if (after == null) return ok(undefined);
  const position = decodeCursor(usersScope, usersPosition, after);
  return position.ok ? ok(position.value.username) : position;
}
