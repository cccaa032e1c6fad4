import { gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoCallsDuring, TEST_SCRYPT, useTestRegistry } from '../support/registry-harness.js';
import { seedArtifact } from '../support/seed-readme.js';
import { createRegistry, type Registry } from '../../src/registry.js';
import { SYSTEM_ACTOR, type ArtifactId } from '../../src/domain/ids.js';
import { searchArtifacts } from '../../src/application/search-artifacts.js';
import { DEFAULT_SEARCH_INDEX_OPTIONS, SearchIndex, type IndexedArtifact, type SearchIndexOptions } from '../../src/application/search-index.js';
import { BlobStore } from '../../src/store/blob-store.js';
import { LazyS3 } from '../../src/store/s3-connection.js';
import { searchSnapshotKey, SearchSnapshots, type SnapshotEntry } from '../../src/store/search-snapshots.js';

/** What the indexes of this file log (a snapshot ignored or not written). */
const logs: string[] = [];
/**
 * One machine, one clock: a short overlap, so a catch-up that started from the wrong instant misses
 * changes a test made a moment before (with the default 5 s it would re-read them anyway).
 */
const OVERLAP_MS = 20;
const INDEX_OPTIONS: SearchIndexOptions = { ...DEFAULT_SEARCH_INDEX_OPTIONS, overlapMs: OVERLAP_MS, log: (message) => logs.push(message) };
const HOUR_MS = 60 * 60 * 1000;

const t = useTestRegistry({ searchIndex: INDEX_OPTIONS });

/** Another registry over the same table and bucket: a second process, or a cold Lambda container. */
async function secondRegistry(): Promise<Registry> {
  return createRegistry(
    { region: 'us-east-1', tableName: t.registry.config.tableName, bucketName: t.registry.config.bucketName, dynamodbEndpoint: t.storage.dynamodbEndpoint, s3Endpoint: t.storage.s3Endpoint, emulated: true },
    { scrypt: TEST_SCRYPT, searchIndex: INDEX_OPTIONS },
  );
}

/** Names matching `regex`, as searchArtifacts ranks them, through the given index. */
async function namesIn(registry: Registry, index: SearchIndex, regex: string): Promise<string[]> {
  const { store } = registry.scope(0);
  const page = await searchArtifacts({ index, states: (ids) => store.projections.getMany(ids), searches: registry.searches.forRequest('test') }, { regex, first: 100 });
  if (!page.ok) throw new Error(`search ${regex} failed`);
  return page.value.hits.map((hit) => hit.state.name);
}

/** What an index holds, in its order, comparable with toEqual. */
const contents = (entries: readonly IndexedArtifact[]) => entries.map((entry) => ({ ...entry }));

/** A fresh index over this file's table with no snapshot: what a full load answers. */
async function fullLoad(): Promise<readonly IndexedArtifact[]> {
  return new SearchIndex((await t.scope()).store, INDEX_OPTIONS).current();
}

/** A fresh index over this file's table and bucket, reading and writing the epoch's snapshot. */
async function freshIndex(): Promise<SearchIndex> {
  return new SearchIndex((await t.scope()).store, INDEX_OPTIONS, new SearchSnapshots(t.registry.blobs, 0));
}

async function storedSnapshotBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await t.registry.blobs.open(searchSnapshotKey(0))) as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const snapshots = () => new SearchSnapshots(t.registry.blobs, 0);

let clock = Date.now() - HOUR_MS;
async function seed(type: 'MODEL' | 'DATASET' | 'CODE', name: string, readme?: string) {
  clock += 1_000;
  return seedArtifact((await t.scope()).store, { type, name, ...(readme !== undefined && { readme }) }, new Date(clock));
}

const ids: Record<string, ArtifactId> = {};

describe('the search index snapshot in the bucket', () => {
  beforeAll(async () => {
    ids['keep'] = (await seed('MODEL', 'snap-keeper', 'A model that stays as it is. Trained on SQuAD.\n')).id;
    ids['rename'] = (await seed('MODEL', 'snap-old-name', 'A model renamed after the snapshot.\n')).id;
    ids['delete'] = (await seed('DATASET', 'snap-doomed', 'A dataset deleted after the snapshot.\n')).id;
    ids['plain'] = (await seed('CODE', 'snap-no-readme')).id;
    ids['unicode'] = (await seed('DATASET', 'snap-unicode', 'Ünïcödé, 日本語, emoji 🤖 and "quotes" \\ backslashes\nsecond line\r\n')).id;
  });

  it('is written after a load from the tables, and a second registry loads from it without reading a README', async () => {
    const first = await t.gql<{ searchArtifacts: { edges: { node: { name: string } }[] } }>(
      'query { searchArtifacts(regex: "snap", first: 100) { edges { node { name } } } }',
    );
    expect(first.errors).toBeUndefined();
    const { search } = await t.scope();
    expect(search.stats().loadedFrom).toBe('tables');
    await search.snapshotWritten();
    const stored = await snapshots().read(() => undefined);
    expect(stored.status).toBe('found');
    if (stored.status !== 'found') return;
    expect(stored.snapshot.entries.map((entry) => entry.id).sort()).toEqual(Object.values(ids).sort());

    const other = await secondRegistry();
    try {
      const index = other.scope(0).search;
      const calls = await dynamoCallsDuring(other, () => index.current());
      expect(index.stats().loadedFrom).toBe('snapshot');
      // The change feed's one Query; no catalog pages, no projection or README BatchGets.
      expect(calls).toEqual({ QueryCommand: 1 });
      expect(contents(await index.current())).toEqual(contents(await search.current()));
      expect(await namesIn(other, index, 'snap')).toEqual(first.data!.searchArtifacts.edges.map((edge) => edge.node.name));
      expect(await namesIn(other, index, '(?i)squad|日本語|🤖')).toEqual(['snap-unicode', 'snap-keeper']);
    } finally {
      other.destroy();
    }
  });

  it('plus the change feed since it answers what a full load answers: renames, deletions, new artifacts', async () => {
    // The snapshot of the first search (written by the test before, or here when run alone).
    const { commands, search } = await t.scope();
    await search.current();
    await search.snapshotWritten();
    expect((await snapshots().read(() => undefined)).status).toBe('found');
    expect((await commands.update({ id: ids['rename']!, type: 'MODEL', expectedVersion: 1, name: 'snap-new-name' }, SYSTEM_ACTOR)).ok).toBe(true);
    expect((await commands.delete({ id: ids['delete']!, type: 'DATASET', expectedVersion: 1 }, SYSTEM_ACTOR)).ok).toBe(true);
    ids['added'] = (await seedArtifact((await t.scope()).store, { type: 'CODE', name: 'snap-added-later', readme: 'Registered after the snapshot.\n' })).id;
    // Past the overlap: only a catch-up from the snapshot's own instant sees these changes.
    await new Promise((resolve) => setTimeout(resolve, 10 * OVERLAP_MS));

    const other = await secondRegistry();
    try {
      const index = other.scope(0).search;
      const calls = await dynamoCallsDuring(other, () => index.current());
      expect(index.stats().loadedFrom).toBe('snapshot');
      // Only what changed is read: the feed, then one BatchGet of the three changed projections and
      // one of the READMEs of the two still live (the renamed and the new artifact).
      expect(calls).toEqual({ QueryCommand: 1, BatchGetItemCommand: 2 });
      expect(contents(await index.current())).toEqual(contents(await fullLoad()));
      expect(await namesIn(other, index, 'snap-(old|new)-name')).toEqual(['snap-new-name']);
      expect(await namesIn(other, index, 'doomed|deleted after')).toEqual([]);
      expect(await namesIn(other, index, 'Registered after')).toEqual(['snap-added-later']);
    } finally {
      other.destroy();
    }
  });

  it('is ignored (with a log line) and replaced when damaged or foreign: the index loads from the tables', async () => {
    const good = await storedSnapshotBytes();
    const header = (overrides: Record<string, unknown>) =>
      JSON.stringify({ format: 'trustworthy-model-registry/search-index', version: 1, epoch: 0, validFrom: new Date().toISOString(), entries: 1, ...overrides });
    const entry = (overrides: Record<string, unknown>) => JSON.stringify({ id: ids['keep'], type: 'MODEL', name: 'snap-keeper', version: 1, ...overrides });
    const damaged: [string, Buffer, RegExp][] = [
      ['not gzip', Buffer.from('plain text, not a snapshot'), /could not read it/],
      ['cut short', good.subarray(0, Math.floor(good.length / 2)), /could not read it|cut short/],
      ['gzip of something else', gzipSync('{"hello":"world"}\n'), /not a search index snapshot/],
      ['not JSON', gzipSync('this is not json\n'), /header is not JSON/],
      ['another epoch', gzipSync(`${header({ epoch: 7 })}\n${entry({})}\n`), /holds epoch 7/],
      ['fewer entries than announced', gzipSync(`${header({ entries: 2 })}\n${entry({})}\n`), /1 entries, its header announces 2/],
      ['a bad id', gzipSync(`${header({})}\n${entry({ id: 'not-an-id' })}\n`), /not an artifact id/],
      ['an unknown field', gzipSync(`${header({})}\n${entry({ owner: 'someone' })}\n`), /entry 1/],
      ['a duplicate', gzipSync(`${header({ entries: 2 })}\n${entry({})}\n${entry({})}\n`), /appears twice/],
      ['valid from the future', gzipSync(`${header({ validFrom: new Date(Date.now() + HOUR_MS).toISOString() })}\n${entry({})}\n`), /in the future/],
    ];
    const expected = contents(await fullLoad());
    for (const [label, bytes, reason] of damaged) {
      await t.registry.blobs.put(searchSnapshotKey(0), bytes, 'application/gzip');
      logs.length = 0;
      const index = await freshIndex();
      expect(contents(await index.current()), label).toEqual(expected);
      expect(index.stats().loadedFrom, label).toBe('tables');
      expect(logs, label).toEqual([expect.stringMatching(/^search index: snapshot ignored, loading from the tables: /)]);
      expect(logs[0], label).toMatch(reason);
      // Replaced by a good one in the background (the logs say why when it was not).
      await index.snapshotWritten();
      const replaced = await snapshots().read(() => undefined);
      expect(replaced, `${label}: ${logs.join(' / ')}`).toMatchObject({ status: 'found' });
    }
  });

  it('is not used once older than the change feed covers (12 hours), and refreshed once older than an hour', async () => {
    const live = await fullLoad();
    const ghost: SnapshotEntry = { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' as ArtifactId, type: 'MODEL', name: 'snap-ghost', readme: undefined, version: 1 };
    // The ghost stands for whatever changed before the feed's horizon: only the full load drops it.
    await snapshots().write({ validFrom: new Date(Date.now() - 13 * HOUR_MS), entries: [...live, ghost] });
    logs.length = 0;
    const stale = await freshIndex();
    expect(contents(await stale.current())).toEqual(contents(live));
    expect(stale.stats().loadedFrom).toBe('tables');
    expect(logs).toEqual([expect.stringMatching(/older than the change feed covers/)]);
    await stale.snapshotWritten();

    const twoHoursAgo = new Date(Date.now() - 2 * HOUR_MS);
    await snapshots().write({ validFrom: twoHoursAgo, entries: live });
    const aged = await freshIndex();
    expect(contents(await aged.current())).toEqual(contents(live));
    expect(aged.stats().loadedFrom).toBe('snapshot');
    await aged.snapshotWritten();
    const refreshed = await snapshots().read(() => undefined);
    expect(refreshed.status === 'found' && refreshed.snapshot.validFrom.getTime()).toBeGreaterThan(Date.now() - 60_000);

    // A young snapshot is not rewritten: no write per cold container.
    const young = await freshIndex();
    await young.current();
    expect(young.stats().loadedFrom).toBe('snapshot');
    await young.snapshotWritten();
    const after = await snapshots().read(() => undefined);
    expect(after.status === 'found' && after.snapshot.validFrom).toEqual(refreshed.status === 'found' && refreshed.snapshot.validFrom);
  });

  it('is written on demand (registry search-snapshot), even when a young one exists', async () => {
    const index = await freshIndex();
    await index.current();
    const before = await snapshots().read(() => undefined);
    const written = await index.writeSnapshot();
    expect(written.artifacts).toBe((await fullLoad()).length);
    const after = await snapshots().read(() => undefined);
    expect(after.status === 'found' && after.snapshot.validFrom).toEqual(written.validFrom);
    expect(after.status === 'found' && before.status === 'found' && after.snapshot.validFrom > before.snapshot.validFrom).toBe(true);
  });

  it('never fails a search when it cannot be written', async () => {
    const nowhere = new BlobStore(
      new LazyS3({ region: 'us-east-1', endpoint: t.storage.s3Endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }),
      'no-such-bucket-for-snapshots',
    );
    logs.length = 0;
    const index = new SearchIndex((await t.scope()).store, INDEX_OPTIONS, new SearchSnapshots(nowhere, 0));
    expect(contents(await index.current())).toEqual(contents(await fullLoad()));
    await index.snapshotWritten();
    expect(logs).toEqual([expect.stringMatching(/snapshot not written/)]);
    // The operator's command, by contrast, says so.
    await expect(index.writeSnapshot()).rejects.toThrow();
  });
});
