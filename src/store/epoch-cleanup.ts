import { BatchWriteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { serviceForEpoch } from './entities.js';
import { TABLE_KEYS } from './table-definition.js';
import { untilProcessed } from './batch.js';

/**
 * Deletes every item that belongs neither to `keepEpoch` nor to the global service: the data of
 * earlier epochs, left behind by a reset. Scans the whole table, so it runs only after a reset.
 */
export async function deleteStaleEpochs(doc: DynamoDBDocumentClient, table: string, keepEpoch: number): Promise<number> {
  const keep = [`$${serviceForEpoch(keepEpoch)}#`, '$registry-global#'];
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: table, ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#sk': TABLE_KEYS.sk }, ExclusiveStartKey: start }),
    );
    const stale = (page.Items ?? []).filter((item) => !keep.some((prefix) => String(item[TABLE_KEYS.pk]).startsWith(prefix)));
    for (let i = 0; i < stale.length; i += 25) {
      await writeDeletes(doc, table, stale.slice(i, i + 25));
      deleted += Math.min(25, stale.length - i);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}

async function writeDeletes(doc: DynamoDBDocumentClient, table: string, keys: Record<string, unknown>[]): Promise<void> {
  const requests = keys.map((key) => ({ DeleteRequest: { Key: { [TABLE_KEYS.pk]: key[TABLE_KEYS.pk], [TABLE_KEYS.sk]: key[TABLE_KEYS.sk] } } }));
  await untilProcessed(requests, async (batch) => {
    const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: [...batch] } }));
    return (result.UnprocessedItems?.[table] ?? []) as typeof requests;
  }, 'stale epoch batch delete');
}
