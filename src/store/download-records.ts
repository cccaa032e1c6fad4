import type { ActorId, ArtifactId } from '../domain/ids.js';
import { ulidBounds } from '../domain/ids.js';
import type { FilePath } from '../domain/artifact-files.js';
import type { DownloadRecord, RecordId, SourcePage } from '../domain/history.js';
import type { Entities } from './entities.js';

interface StoredRecord {
  artifactId: string;
  recordId: string;
  at: string;
  actor: string;
  path?: string | undefined;
  version: number;
}

const fromItem = (item: StoredRecord): DownloadRecord => ({
  type: 'FileDownloaded',
  payload: { path: (item.path ?? null) as FilePath | null },
  artifactId: item.artifactId as ArtifactId,
  recordId: item.recordId as RecordId,
  version: item.version,
  at: item.at,
  actor: item.actor as ActorId,
});

/** Download records: append-only, one PutItem each, read a page at a time in time order. */
export class DownloadRecords {
  constructor(private readonly entities: Entities) {}

  /** `create` adds attribute_not_exists: a record is written once (ULIDs do not collide in practice). */
  async add(record: DownloadRecord): Promise<void> {
    const { artifactId, recordId, at, actor, version, payload } = record;
    await this.entities.downloadRecord
      .create({ artifactId, recordId, at, actor, version, ...(payload.path !== null && { path: payload.path }) })
      .go({ response: 'none' });
  }

  /**
   * Up to `first` records after `afterRecordId`, oldest first, within the time range. Record ids
   * are ULIDs, so the time range is a key range: no filter, no wasted reads. Read-only: eventually
   * consistent.
   */
  async readPage(
    artifactId: ArtifactId,
    afterRecordId: RecordId | undefined,
    first: number,
    range: { readonly from?: string | undefined; readonly to?: string | undefined } = {},
  ): Promise<SourcePage<DownloadRecord>> {
    // `~` sorts after every ULID character: "after this id" as an inclusive lower bound.
    const lowest = [afterRecordId ? `${afterRecordId}~` : '0', range.from ? ulidBounds(Date.parse(range.from)).lowest : '0'].sort().at(-1)!;
    const highest = range.to ? ulidBounds(Date.parse(range.to)).highest : '~';
    if (lowest > highest) return { items: [], hasMore: false };
    // Always a key range inside the records' own sort keys, so the partition's other items are never read.
    const bounded = this.entities.downloadRecord.query.byArtifact({ artifactId }).between({ recordId: lowest }, { recordId: highest });
    const { data } = await bounded.go({ count: first + 1, limit: first + 1 });
    return { items: data.slice(0, first).map(fromItem), hasMore: data.length > first };
  }
}
