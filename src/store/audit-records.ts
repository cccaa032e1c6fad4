import type { ActorId, ArtifactId } from '../domain/ids.js';
import { ulidBounds } from '../domain/ids.js';
import type { FilePath } from '../domain/artifact-files.js';
import type { NormalizedName } from '../domain/artifact-name.js';
import type { AliasLabel } from '../domain/aliases.js';
import { isArtifactType } from '../domain/artifact-type.js';
import type { ArtifactRef } from '../domain/global-id.js';
import type { AuditRecord, RecordId, SourcePage } from '../domain/history.js';
import type { Entities } from './entities.js';

export type AuditKind = 'download' | 'alias';

interface StoredRecord {
  artifactId: string;
  recordId: string;
  kind: AuditKind;
  at: string;
  actor: string;
  path?: string | undefined;
  version: number;
  aliasName?: string | undefined;
  alias?: string | undefined;
  fromId?: string | undefined;
  fromType?: string | undefined;
  toId?: string | undefined;
  toType?: string | undefined;
}

const refOf = (id: string | undefined, type: string | undefined): ArtifactRef | null =>
  id !== undefined && type !== undefined && isArtifactType(type) ? { id: id as ArtifactId, type } : null;

function fromItem(item: StoredRecord): AuditRecord {
  const common = { artifactId: item.artifactId as ArtifactId, recordId: item.recordId as RecordId, version: item.version, at: item.at, actor: item.actor as ActorId };
  if (item.kind === 'alias') {
    return {
      type: 'AliasMoved',
      payload: { name: (item.aliasName ?? '') as NormalizedName, alias: (item.alias ?? '') as AliasLabel, from: refOf(item.fromId, item.fromType), to: refOf(item.toId, item.toType) },
      ...common,
    };
  }
  return { type: 'FileDownloaded', payload: { path: (item.path ?? null) as FilePath | null }, ...common };
}

function toItem(record: AuditRecord): StoredRecord {
  const { artifactId, recordId, at, actor, version } = record;
  const common = { artifactId, recordId, at, actor, version };
  if (record.type === 'FileDownloaded') return { ...common, kind: 'download', ...(record.payload.path !== null && { path: record.payload.path }) };
  const { name, alias, from, to } = record.payload;
  return {
    ...common,
    kind: 'alias',
    aliasName: name,
    alias,
    ...(from && { fromId: from.id, fromType: from.type }),
    ...(to && { toId: to.id, toType: to.type }),
  };
}

/** Audit records (downloads, alias moves): append-only, one PutItem each, read a page at a time in time order. */
export class AuditRecords {
  constructor(private readonly entities: Entities) {}

  /** `create` adds attribute_not_exists: a record is written once (ULIDs do not collide in practice). */
  async add(record: AuditRecord): Promise<void> {
    await this.entities.auditRecord.create(toItem(record)).go({ response: 'none' });
  }

  /**
   * Up to `first` records after `afterRecordId`, oldest first, within the time range, of the given
   * kinds (all when absent). Record ids are ULIDs, so the time range is a key range. Read-only:
   * eventually consistent.
   */
  async readPage(
    artifactId: ArtifactId,
    afterRecordId: RecordId | undefined,
    first: number,
    range: { readonly from?: string | undefined; readonly to?: string | undefined } = {},
    kinds?: readonly AuditKind[],
  ): Promise<SourcePage<AuditRecord>> {
    // `~` sorts after every ULID character: "after this id" as an inclusive lower bound.
    const lowest = [afterRecordId ? `${afterRecordId}~` : '0', range.from ? ulidBounds(Date.parse(range.from)).lowest : '0'].sort().at(-1)!;
    const highest = range.to ? ulidBounds(Date.parse(range.to)).highest : '~';
    if (lowest > highest || kinds?.length === 0) return { items: [], hasMore: false };
    // Always a key range inside the records' own sort keys, so the partition's other items are never read.
    const query = this.entities.auditRecord.query.byArtifact({ artifactId }).between({ recordId: lowest }, { recordId: highest });
    const filtered = kinds && kinds.length === 1 ? query.where((attr, op) => op.eq(attr.kind, kinds[0]!)) : query;
    const { data } = await filtered.go({ count: first + 1, limit: first + 1 });
    return { items: data.slice(0, first).map(fromItem), hasMore: data.length > first };
  }
}
