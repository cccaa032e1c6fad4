import { isDeepStrictEqual } from 'node:util';
import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Entities } from './entities.js';
import { serviceForEpoch } from './entities.js';
import { conditionHeld } from './conditional-check.js';
import { TABLE_KEYS } from './table-definition.js';

/**
 * The items an export carries: the streams (the source of truth) and the records beside them that
 * no stream can rebuild. Everything else (projections, README details, URL claims and holders, the
 * reverse lineage index, search changes, upload records) is derived and rebuilt on import; tokens,
 * login throttles and the epoch pointer live outside any epoch and never leave the table.
 */
export const PORTABLE_ENTITIES = ['artifactEvent', 'userEvent', 'aliasEvent', 'auditRecord', 'pendingReference', 'blobReference'] as const;
export type PortableEntity = (typeof PORTABLE_ENTITIES)[number];

export const isPortableEntity = (name: string): name is PortableEntity => (PORTABLE_ENTITIES as readonly string[]).includes(name);

export interface PortableItem {
  readonly entity: PortableEntity;
  /** The entity's attributes as ElectroDB parses them: no keys, so they can be keyed for any epoch. */
  readonly attributes: Record<string, unknown>;
}

/** The calls made on an entity chosen at run time: their signatures do not unify across the union. */
interface RuntimeEntity {
  create(attributes: Record<string, unknown>): { go(options: { response: 'none'; returnOnConditionCheckFailure: 'all_old' }): Promise<{ rejected?: boolean; data?: unknown }> };
  get(attributes: Record<string, unknown>): { go(options: { consistent: true }): Promise<{ data: unknown }> };
}

/**
 * Reads and writes portable items of one epoch. A scan: for export and import tooling only,
 * never on a request path.
 */
export class PortableItems {
  private readonly keyPrefix: string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly entities: Entities,
    private readonly epoch: number,
  ) {
    // ElectroDB partition keys start with `$<service>#`; other epochs' services differ before the `#`.
    this.keyPrefix = `$${serviceForEpoch(epoch)}#`;
  }

  /** Every portable item of the epoch, a scan page at a time. Consistent: an import judges emptiness on it. */
  async *all(): AsyncGenerator<PortableItem[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, ConsistentRead: true }));
      const items: PortableItem[] = [];
      for (const raw of page.Items ?? []) {
        const entity = raw['__edb_e__'];
        const pk = raw[TABLE_KEYS.pk];
        if (typeof entity !== 'string' || !isPortableEntity(entity) || typeof pk !== 'string' || !pk.startsWith(this.keyPrefix)) continue;
        // The entity is chosen at run time; its parse signatures do not unify across the union.
        const parser = this.entities[entity] as unknown as { parse(item: { Item: Record<string, unknown> }): { data: unknown } };
        const { data } = parser.parse({ Item: raw });
        if (data) items.push({ entity, attributes: data as Record<string, unknown> });
      }
      yield items;
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /**
   * Writes the item unless one with its key exists: 'present' when the stored item is this very
   * one (a rerun of an import resumes), 'differs' when something else was written under its key
   * (a writer beside the import). ALL_OLD returns the stored item on DynamoDB; dynalite returns
   * none, so it is read (consistently) instead.
   */
  async putIfAbsent(item: PortableItem): Promise<'written' | 'present' | 'differs'> {
    // The entity is chosen at run time, so its attribute type is the union's; the attributes were
    // checked against the export format and ElectroDB validates them against the entity again.
    const entity = this.entities[item.entity] as unknown as RuntimeEntity;
    const put = await entity.create(item.attributes).go({ response: 'none', returnOnConditionCheckFailure: 'all_old' });
    if (!put.rejected) return 'written';
    const stored = put.data ?? (await entity.get(item.attributes).go({ consistent: true })).data;
    return isDeepStrictEqual(stored, item.attributes) ? 'present' : 'differs';
  }

  /** How many portable items the epoch holds: an import compares it with its file's count. */
  async count(): Promise<number> {
    let count = 0;
    for await (const page of this.all()) count += page.length;
    return count;
  }

  /** The import in progress or done in this epoch, by export id: a rerun of the same file resumes. */
  async importMarker(): Promise<{ exportId: string; completed: boolean } | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.markerKey(), ConsistentRead: true }));
    if (!Item || typeof Item['exportId'] !== 'string') return undefined;
    return { exportId: Item['exportId'], completed: Item['completed'] === true };
  }

  /** Claims the epoch for one export (first run), or confirms it holds that export already. */
  async claimForImport(exportId: string): Promise<boolean> {
    const written = await conditionHeld(
      this.doc.send(new PutCommand({
        TableName: this.table,
        Item: { ...this.markerKey(), exportId, completed: false },
        ConditionExpression: 'attribute_not_exists(#pk) OR exportId = :id',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        ExpressionAttributeValues: { ':id': exportId },
      })),
    );
    return written;
  }

  async markImportCompleted(exportId: string): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...this.markerKey(), exportId, completed: true } }));
  }

  /**
   * Removes a user whose only event is its registration, with its projection and the admin count
   * (rebuilt after the import): the default administrator every registry creates on start, which
   * an import replaces with the exported one.
   */
  async removeUntouchedUser(username: string): Promise<void> {
    await this.entities.userEvent.delete({ streamId: username, version: 1 }).go({ response: 'none' });
    await this.entities.userProjection.delete({ username }).go({ response: 'none' });
    await this.entities.adminCount.delete({ name: 'admins' }).go({ response: 'none' });
  }

  /** The live administrators, counted after user projections are rebuilt; what guards the last admin's removal. */
  async setAdminCount(count: number): Promise<void> {
    await this.entities.adminCount.put({ name: 'admins', count }).go({ response: 'none' });
  }

  private markerKey(): Record<string, string> {
    return { [TABLE_KEYS.pk]: `${this.keyPrefix}import`, [TABLE_KEYS.sk]: '$importmarker_1' };
  }
}
