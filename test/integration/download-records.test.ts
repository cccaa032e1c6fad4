import { describe, expect, it } from 'vitest';
import { dynamoCallsDuring, errorCode, useTestRegistry } from '../support/registry-harness.js';
import { INGEST, UPDATE, type ArtifactView } from '../support/operations.js';
import { CREATE_UPLOAD_URL, FILE_URLS, headersOf, httpRequest, sha256Hex, type UploadTicket } from '../support/files.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import type { FilePath } from '../../src/domain/artifact-files.js';

const t = useTestRegistry();
let counter = 0;

/** Downloads are recorded alike for every type; a dataset from a host with no API needs no upstream recording. */
async function artifactWithFile(): Promise<ArtifactView> {
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'DATASET', url: `https://www.kaggle.com/datasets/org/downloads-${++counter}` } });
  const artifact = created.data!.ingestArtifact.artifact;
  await uploadWithoutUrl(artifact.id, 'config.json', Buffer.from('{"hidden_size": 8}'));
  return artifact;
}

/** An upload whose completion asks for no download URL, so nothing is downloaded yet. */
async function uploadWithoutUrl(artifactId: string, path: string, bytes: Buffer): Promise<void> {
  const created = await t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, { input: { artifactId, path, size: bytes.length, sha256: sha256Hex(bytes) } });
  const ticket = created.data!.createUploadUrl;
  expect((await httpRequest('PUT', ticket.url, headersOf(ticket), bytes)).status).toBe(200);
  const completed = await t.gql('mutation($input: CompleteUploadInput!) { completeUpload(input: $input) { file { path } } }', { input: { uploadId: ticket.uploadId } });
  expect(completed.errors).toBeUndefined();
}

const VERSION = 'query($id: ID!) { artifact(id: $id) { version } }';
const TYPED_HISTORY = `query($id: ID!, $first: Int, $after: String, $types: [ArtifactEventType!], $from: DateTime, $to: DateTime) {
  artifact(id: $id) { history(first: $first, after: $after, types: $types, from: $from, to: $to) {
    edges { cursor node { version type at actor change { __typename ... on DownloadedChange { downloadedPath: path } ... on FileAddedChange { path size sha256 contentType } ... on RegisteredChange { name url artifactType } } } }
    pageInfo { hasNextPage endCursor }
  } }
}`;
type Entry = { version: number; type: string; at: string; actor: string | null; change: Record<string, unknown> };
type HistoryView = { artifact: { history: { edges: { cursor: string; node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };

async function wholeHistory(id: string, variables: Record<string, unknown> = {}, first = 7): Promise<Entry[]> {
  const entries: Entry[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { data?: HistoryView; errors?: unknown } = await t.gql<HistoryView>(TYPED_HISTORY, { id, first, after, ...variables });
    expect(page.errors).toBeUndefined();
    const history = page.data!.artifact.history;
    entries.push(...history.edges.map((e) => e.node));
    if (!history.pageInfo.hasNextPage) return entries;
    after = history.pageInfo.endCursor;
  }
}

describe('downloads are audit records beside the stream', () => {
  it('50 concurrent download URLs leave the version unchanged, a version read before them still commits, and all 50 are in history', async () => {
    const artifact = await artifactWithFile();
    const before = (await t.gql<{ artifact: { version: number } }>(VERSION, { id: artifact.id })).data!.artifact.version;

    const urls = await Promise.all(Array.from({ length: 50 }, () => t.gql<{ artifact: { files: { path: string; downloadUrl: string }[] } }>(FILE_URLS, { id: artifact.id })));
    for (const response of urls) {
      expect(response.errors).toBeUndefined();
      expect(response.data!.artifact.files[0]!.downloadUrl).toMatch(/^http/);
    }

    expect((await t.gql<{ artifact: { version: number } }>(VERSION, { id: artifact.id })).data!.artifact.version).toBe(before);
    const renamed = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: artifact.id, expectedVersion: before, name: 'still-current' } });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateArtifact.artifact.version).toBe(before + 1);

    // Paged 7 at a time through the merge of stream and records: each entry once, in time order.
    const history = await wholeHistory(artifact.id);
    const downloads = history.filter((e) => e.type === 'FILE_DOWNLOADED');
    expect(downloads).toHaveLength(50);
    for (const entry of downloads) {
      expect(entry).toMatchObject({ version: before, actor: 'ece30861defaultadminuser', change: { __typename: 'DownloadedChange', downloadedPath: 'config.json' } });
    }
    expect(history.map((e) => e.type)).toEqual(['REGISTERED', 'FILE_ADDED', ...downloads.map(() => 'FILE_DOWNLOADED'), 'UPDATED']);
    const times = history.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
  });

  it('costs one consistent read and one put per URL, however many other downloads there are', async () => {
    const artifact = await artifactWithFile();
    await t.gql(FILE_URLS, { id: artifact.id });
    const scope = await t.scope();
    const calls = await dynamoCallsDuring(t.registry, () => scope.files.downloadUrl(decodeId(artifact.id), 'config.json' as FilePath, 'tester' as ActorId));
    expect(calls).toEqual({ BatchGetItemCommand: 1, PutItemCommand: 1 });
  });

  it('filters history by type and by time range', async () => {
    const artifact = await artifactWithFile();
    await t.gql(FILE_URLS, { id: artifact.id });
    const all = await wholeHistory(artifact.id);
    expect(all.map((e) => e.type)).toEqual(['REGISTERED', 'FILE_ADDED', 'FILE_DOWNLOADED']);

    expect((await wholeHistory(artifact.id, { types: ['FILE_DOWNLOADED'] })).map((e) => e.type)).toEqual(['FILE_DOWNLOADED']);
    expect((await wholeHistory(artifact.id, { types: ['REGISTERED', 'FILE_ADDED'] })).map((e) => e.change)).toEqual([
      { __typename: 'RegisteredChange', name: `downloads-${counter}`, url: `https://www.kaggle.com/datasets/org/downloads-${counter}`, artifactType: 'DATASET' },
      { __typename: 'FileAddedChange', path: 'config.json', size: 18, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), contentType: 'application/octet-stream' },
    ]);
    const [registered, added, downloaded] = all;
    expect((await wholeHistory(artifact.id, { from: added!.at })).map((e) => e.type)).toEqual(all.filter((e) => e.at >= added!.at).map((e) => e.type));
    expect((await wholeHistory(artifact.id, { to: registered!.at })).map((e) => e.type)).toEqual(all.filter((e) => e.at <= registered!.at).map((e) => e.type));
    expect(await wholeHistory(artifact.id, { from: new Date(Date.parse(downloaded!.at) + 1).toISOString() })).toEqual([]);

    const backwards = await t.gql(TYPED_HISTORY, { id: artifact.id, from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' });
    expect(errorCode(backwards)).toBe('BAD_USER_INPUT');
  });

  it('reads FileDownloaded events of old data in the stream, in order with the new records', async () => {
    const artifact = await artifactWithFile();
    const id = decodeId(artifact.id);
    const scope = await t.scope();
    // What a download wrote before records existed: an event at the next version.
    const old = { type: 'FileDownloaded', payload: { path: 'config.json' as FilePath }, artifactId: id, version: 3, at: new Date().toISOString(), actor: 'old-client' as ActorId } as const;
    expect(await scope.store.events.append(old)).toBe('appended');
    // Folded like any event: the version it took stays taken (loadCurrent also projects it).
    expect((await scope.store.loadCurrent(id))!.version).toBe(3);
    await t.gql(FILE_URLS, { id: artifact.id });
    const history = await wholeHistory(artifact.id, {}, 2);
    expect(history.map((e) => [e.type, e.version, e.actor])).toEqual([
      ['REGISTERED', 1, 'ece30861defaultadminuser'],
      ['FILE_ADDED', 2, 'ece30861defaultadminuser'],
      ['FILE_DOWNLOADED', 3, 'old-client'],
      ['FILE_DOWNLOADED', 3, 'ece30861defaultadminuser'],
    ]);
  });

  it('keeps reading cursors printed before downloads had records', async () => {
    const artifact = await artifactWithFile();
    const { encodeCursor } = await import('../../src/store/page-cursor.js');
    const id = decodeId(artifact.id);
    const old = encodeCursor(`history:${id}`, { version: 1 });
    const page = await t.gql<HistoryView>(TYPED_HISTORY, { id: artifact.id, after: old });
    expect(page.data!.artifact.history.edges.map((e) => e.node.type)).toEqual(['FILE_ADDED']);
  });
});

function decodeId(globalId: string): ArtifactId {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1] as ArtifactId;
}
