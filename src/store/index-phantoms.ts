import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSIS, TABLE_KEYS } from './table-definition.js';

type Item = Record<string, unknown>;

/**
 * An index entry whose base item is gone or carries other index keys. dynalite writes a put's index
 * entries before the base item, without atomicity, so a process killed in between leaves an entry
 * that listings and `artifactByUrl` return while `artifact(id)` reads nothing (or older state).
 * DynamoDB maintains its indexes itself and never leaves one: there the sweep finds nothing.
 */
export interface IndexPhantom {
  readonly index: string;
  readonly key: { readonly pk: string; readonly sk: string };
}

/**
 * Finds and removes index phantoms in every GSI. dynalite offers no way to delete an index entry
 * directly: the phantom item is written to the base table (which makes the entry belong to it) and
 * then the true base item is written back, or deleted if there was none, which drops the entry.
 * Both writes are unconditional, so this runs only while nothing else writes (embedded start-up,
 * before serving).
 */
export async function removeIndexPhantoms(doc: DynamoDBDocumentClient, table: string): Promise<IndexPhantom[]> {
  const removed: IndexPhantom[] = [];
  for (const gsi of Object.values(GSIS)) {
    let start: Item | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, IndexName: gsi.name, ExclusiveStartKey: start }));
      for (const entry of page.Items ?? []) {
        const key = { [TABLE_KEYS.pk]: entry[TABLE_KEYS.pk], [TABLE_KEYS.sk]: entry[TABLE_KEYS.sk] };
        const { Item: base } = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
        if (base && base[gsi.pk] === entry[gsi.pk] && base[gsi.sk] === entry[gsi.sk]) continue;
        await doc.send(new PutCommand({ TableName: table, Item: entry }));
        if (base) await doc.send(new PutCommand({ TableName: table, Item: base }));
        else await doc.send(new DeleteCommand({ TableName: table, Key: key }));
        removed.push({ index: gsi.name, key: { pk: String(key[TABLE_KEYS.pk]), sk: String(key[TABLE_KEYS.sk]) } });
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return removed;
}
