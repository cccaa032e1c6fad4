import type { ArtifactEvent, ArtifactEventType } from './artifact-events.js';
import type { Brand } from './ids.js';
import type { ArtifactRef } from './global-id.js';
import type { NormalizedName } from './artifact-name.js';
import type { AliasLabel } from './aliases.js';

/** A ULID naming one audit record (a download): time-ordered, so records sort by when they happened. */
export type RecordId = Brand<string, 'RecordId'>;

/**
 * A download URL issued: an audit fact, not a change of the artifact, so it is kept beside the
 * stream, not in it (no version, no optimistic concurrency). Shaped like the FileDownloaded events
 * that recorded downloads before (old data), so history and audit read both alike. `version` is the
 * artifact's version the URL was issued for.
 */
export type DownloadRecord = Extract<ArtifactEvent, { type: 'FileDownloaded' }> & { readonly recordId: RecordId };

/**
 * An alias moved onto or off this artifact (the alias's own stream holds the move; this copy puts it
 * in the history of each artifact it concerns). `version` is the alias's version.
 */
export interface AliasRecord {
  readonly type: 'AliasMoved';
  readonly payload: { readonly name: NormalizedName; readonly alias: AliasLabel; readonly from: ArtifactRef | null; readonly to: ArtifactRef | null };
  readonly artifactId: ArtifactEvent['artifactId'];
  readonly recordId: RecordId;
  readonly version: number;
  readonly at: string;
  readonly actor: ArtifactEvent['actor'];
}

/** Facts kept beside the stream, not in it: they change no version. */
export type AuditRecord = DownloadRecord | AliasRecord;

/** Refusals live in streams of their own and never appear in an artifact's history. */
export type HistoryEvent = Exclude<ArtifactEvent, { type: 'IngestRefused' }>;
export type HistoryEventType = Exclude<ArtifactEventType, 'IngestRefused'>;
export type HistoryEntryType = HistoryEventType | AliasRecord['type'];

/** One history entry: a committed event of the stream, or an audit record kept beside it. */
export type HistoryItem = HistoryEvent | AuditRecord;

export const isRecord = (item: HistoryItem): item is AuditRecord => 'recordId' in item;

/**
 * Where a history page ended, in each of the sources it merges: the stream's last version read and
 * the last audit record read. The next page starts after both.
 */
export interface HistoryPosition {
  readonly version: number;
  readonly recordId?: RecordId | undefined;
}

/** Which entries a history read keeps: some types, a time range (inclusive ISO instants). */
export interface HistoryFilter {
  readonly types?: readonly HistoryEntryType[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface SourcePage<T> {
  readonly items: readonly T[];
  /** More items than `items` exist after them in this source. */
  readonly hasMore: boolean;
}

/**
 * Merges a page of stream events and a page of audit records into one time-ordered page of at most
 * `first` entries (an event before a record of the same instant: a download of a version follows
 * its commit). Each source's items are already in order, so the page taken is a prefix of each, and
 * the position after it is where both sources continue.
 */
export function mergeHistoryPage(
  events: SourcePage<HistoryEvent>,
  records: SourcePage<AuditRecord>,
  first: number,
  after: HistoryPosition,
): { readonly items: readonly HistoryItem[]; readonly hasNextPage: boolean; readonly position: HistoryPosition } {
  const items: HistoryItem[] = [];
  let e = 0;
  let r = 0;
  while (items.length < first && (e < events.items.length || r < records.items.length)) {
    const event = events.items[e];
    const record = records.items[r];
    if (event && (!record || event.at <= record.at)) {
      items.push(event);
      e++;
    } else {
      items.push(record!);
      r++;
    }
  }
  const hasNextPage = e < events.items.length || r < records.items.length || events.hasMore || records.hasMore;
  return {
    items,
    hasNextPage,
    position: { version: events.items[e - 1]?.version ?? after.version, recordId: records.items[r - 1]?.recordId ?? after.recordId },
  };
}

/** The position after each entry of a page: what each entry's cursor says. */
export function positionsAfter(items: readonly HistoryItem[], after: HistoryPosition): HistoryPosition[] {
  let position = after;
  return items.map((item) => (position = isRecord(item) ? { ...position, recordId: item.recordId } : { ...position, version: item.version }));
}
