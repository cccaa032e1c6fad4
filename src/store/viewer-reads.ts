import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Username } from '../domain/users/username.js';
import type { UserState } from '../domain/users/user-events.js';
import type { Entities, GlobalEntities } from './entities.js';
import { TABLE_KEYS } from './table-definition.js';
import { untilProcessed } from './batch.js';
import { userFromItem, type StoredUser } from './user-store.js';

/**
 * A user and the current epoch in ONE BatchGetItem: the two reads every authenticated request
 * makes. ElectroDB builds the keys and parses the items; the batch spans two entities, which
 * ElectroDB's own batch get cannot.
 */
export async function readUserAndEpoch(
  doc: DynamoDBDocumentClient,
  table: string,
  epochEntities: Entities,
  global: GlobalEntities,
  username: Username,
): Promise<{ user: UserState | undefined; epoch: number }> {
  const userKey = epochEntities.userProjection.get({ username }).params<{ Key: Record<string, string> }>().Key;
  const epochKey = global.registryEpoch.get({ name: 'current' }).params<{ Key: Record<string, string> }>().Key;
  const found: Record<string, unknown>[] = [];
  await untilProcessed([userKey, epochKey], async (keys) => {
    const result = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [...keys], ConsistentRead: true } } }));
    found.push(...(result.Responses?.[table] ?? []));
    return (result.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, string>[];
  }, 'user and epoch batch get');
  const matches = (key: Record<string, string>) => (item: Record<string, unknown>) =>
    item[TABLE_KEYS.pk] === key[TABLE_KEYS.pk] && item[TABLE_KEYS.sk] === key[TABLE_KEYS.sk];
  const userItem = found.find(matches(userKey));
  const epochItem = found.find(matches(epochKey));
  const user = userItem ? (epochEntities.userProjection.parse({ Item: userItem }).data as StoredUser | null) : null;
  const epoch = epochItem ? (global.registryEpoch.parse({ Item: epochItem }).data?.epoch ?? 0) : 0;
  return { user: user ? userFromItem(user) : undefined, epoch };
}
