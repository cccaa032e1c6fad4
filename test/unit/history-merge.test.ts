import { describe, expect, it } from 'vitest';
import { mergeHistoryPage, positionsAfter, type DownloadRecord, type HistoryEvent, type RecordId } from '../../src/domain/history.js';
import { artifactEventTarget } from '../../src/lambda/projector.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';

const id = '01J0000000000000000000000A' as ArtifactId;
const actor = 'a' as ActorId;
const event = (version: number, at: string): HistoryEvent => ({ type: 'ArtifactDeleted', payload: {}, artifactId: id, version, at, actor });
const record = (n: number, at: string): DownloadRecord => ({ type: 'FileDownloaded', payload: { path: null }, artifactId: id, version: 1, at, actor, recordId: `01J00000000000000000000${n}AA` as RecordId });

describe('a history page merges the stream and the download records', () => {
  const events = [event(1, '2026-01-01T00:00:01.000Z'), event(2, '2026-01-01T00:00:03.000Z')];
  const records = [record(1, '2026-01-01T00:00:01.000Z'), record(2, '2026-01-01T00:00:02.000Z'), record(3, '2026-01-01T00:00:04.000Z')];

  it('in time order, an event before a record of the same instant, and ends where both sources continue', () => {
    const page = mergeHistoryPage({ items: events, hasMore: false }, { items: records, hasMore: false }, 3, { version: 0 });
    expect(page.items.map((item) => item.at.slice(17, 19) + ('recordId' in item ? 'r' : 'e'))).toEqual(['01e', '01r', '02r']);
    expect(page.hasNextPage).toBe(true);
    expect(page.position).toEqual({ version: 1, recordId: records[1]!.recordId });
    expect(positionsAfter(page.items, { version: 0 })).toEqual([{ version: 1 }, { version: 1, recordId: records[0]!.recordId }, page.position]);
  });

  it('says there is more when a source had more than it was asked for', () => {
    expect(mergeHistoryPage({ items: events, hasMore: true }, { items: [], hasMore: false }, 2, { version: 0 }).hasNextPage).toBe(true);
    expect(mergeHistoryPage({ items: events, hasMore: false }, { items: [], hasMore: false }, 2, { version: 0 }).hasNextPage).toBe(false);
  });
});

describe('the stream projector', () => {
  it('passes over audit records (downloads, alias moves): they change no projection', () => {
    expect(artifactEventTarget('$registry#artifactid_01j0000000000000000000000a', '$auditrecord_1#recordid_01J00000000000000000000001')).toBeUndefined();
    expect(artifactEventTarget('$registry#artifactid_01j0000000000000000000000a', '$artifactevent_1#version_0000000001')).toEqual({ epoch: 0, id, version: 1 });
    expect(artifactEventTarget('$registry-e3#artifactid_01j0000000000000000000000a', '$artifactevent_1#version_0000000012')).toEqual({ epoch: 3, id, version: 12 });
    expect(artifactEventTarget('$registry#feed_changes#shard_1', '$feedChange_1#changedAt_x')).toBeUndefined();
    expect(artifactEventTarget('$registry#artifactid_01j0000000000000000000000a', '$artifactevent_1#version_1')).toBeUndefined();
  });
});
