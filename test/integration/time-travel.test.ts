import { describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { DELETE, INGEST, RATE_MODEL, UPDATE, type ArtifactView } from '../support/operations.js';
import { uploadFile } from '../support/files.js';
import { urlKeyOf, type NormalizedUrl } from '../../src/domain/artifact-url.js';
import type { ArtifactId } from '../../src/domain/ids.js';

/**
 * Every step happens at its own instant on a clock the test moves (one minute apart), so "before"
 * and "after" are exact: a read as of an instant sees every event committed at or before it.
 */
let now = Date.parse('2026-03-01T00:00:00.000Z');
const clock = { now: () => new Date(now) };
const tick = (): string => {
  now += 60_000;
  return new Date(now - 1).toISOString(); // the last instant before the next step
};

const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';
const replay = new FixtureReplay();
routeSyntheticParent(replay, CHILD, PARENT);
const t = useTestRegistry({ clock, replay });

const PAST = `query($id: ID!, $asOf: DateTime) { artifact(id: $id, asOf: $asOf) {
  id name url version
  files { path size }
  ... on Model { rating { ratedAt netScore { value } } lineage { nodes { name } edges { parent { name } child { name } } unresolvedParents } }
} }`;
type Past = { id: string; name: string; url: string; version: number; files: { path: string; size: number; downloadUrl: string | null }[]; rating?: { ratedAt: string } | null; lineage?: { nodes: { name: string }[]; edges: unknown[]; unresolvedParents: string[] } };
const asOf = async (id: string, instant: string): Promise<Past | null> => {
  const response = await t.gql<{ artifact: Past | null }>(PAST, { id, asOf: instant });
  expect(response.errors).toBeUndefined();
  return response.data!.artifact;
};
const PAST_DOWNLOAD = 'query($id: ID!, $asOf: DateTime) { artifact(id: $id, asOf: $asOf) { files { path downloadUrl } } }';
const BY_URL_AS_OF = 'query($url: String!, $asOf: DateTime) { artifactByUrl(url: $url, asOf: $asOf) { id name version } }';
const byUrlAsOf = async (url: string, instant: string) => (await t.gql<{ artifactByUrl: { id: string; name: string; version: number } | null }>(BY_URL_AS_OF, { url, asOf: instant })).data!.artifactByUrl;

async function ingest(type: string, url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

describe('artifact(id, asOf)', () => {
  it('reads each change before and after it: rename, re-rating, file added, deletion', async () => {
    const beforeRegistration = tick();
    const model = await ingest('MODEL', `https://huggingface.co/${CHILD}`);
    const registered = tick();
    await t.gql(UPDATE, { input: { id: model.id, expectedVersion: model.version, name: 'squad-reader' } });
    const renamed = tick();
    const rerated = await t.gql<{ rateModel: { artifact: ArtifactView & { rating: { ratedAt: string } } } }>(RATE_MODEL, { id: model.id });
    expect(rerated.errors).toBeUndefined();
    const afterRating = tick();
    await uploadFile(t, model.id, 'config.json', Buffer.from('{"a": 1}'));
    const withFile = tick();
    await uploadFile(t, model.id, 'config.json', Buffer.from('{"a": 22}'));
    const replaced = tick();
    const current = (await t.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: model.id })).data!.artifact;
    expect((await t.gql(DELETE, { input: { id: model.id, expectedVersion: current.version } })).errors).toBeUndefined();
    tick();

    expect(await asOf(model.id, beforeRegistration)).toBeNull();
    const first = (await asOf(model.id, registered))!;
    expect(first).toMatchObject({ name: 'roberta-base-squad2', version: 1, files: [] });
    expect((await asOf(model.id, renamed))).toMatchObject({ name: 'squad-reader', version: 2 });

    // The rating stored then, not the current one.
    expect(first.rating!.ratedAt).not.toBe(rerated.data!.rateModel.artifact.rating.ratedAt);
    expect((await asOf(model.id, afterRating))!.rating!.ratedAt).toBe(rerated.data!.rateModel.artifact.rating.ratedAt);

    expect((await asOf(model.id, afterRating))!.files).toEqual([]);
    const filed = (await asOf(model.id, withFile))!;
    expect(filed.files.map((f) => [f.path, f.size])).toEqual([['config.json', 8]]);
    const second = (await asOf(model.id, replaced))!;
    expect(second.files.map((f) => [f.path, f.size])).toEqual([['config.json', 9]]);

    // Deleted: gone now and as of after its deletion, readable as of before it.
    expect((await t.gql<{ artifact: null }>('query($id: ID!) { artifact(id: $id) { id } }', { id: model.id })).data!.artifact).toBeNull();
    expect(await asOf(model.id, new Date(now).toISOString())).toBeNull();
    expect(await asOf(model.id, replaced)).toMatchObject({ name: 'squad-reader', version: second.version });
  });

  it('never serves other bytes for a past file: a path replaced since is NOT_FOUND, the current content downloads', async () => {
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/org/time-travel-files');
    await uploadFile(t, dataset.id, 'w.bin', Buffer.from('old'));
    const withOld = tick();
    await uploadFile(t, dataset.id, 'w.bin', Buffer.from('newer'));
    tick();
    const past = await t.gql<{ artifact: Past }>(PAST_DOWNLOAD, { id: dataset.id, asOf: withOld });
    expect(past.data!.artifact.files[0]!.downloadUrl).toBeNull();
    expect(errorCode(past)).toBe('NOT_FOUND');
    const present = await t.gql<{ artifact: Past }>(PAST_DOWNLOAD, { id: dataset.id, asOf: new Date(now).toISOString() });
    expect(present.errors).toBeUndefined();
    expect(present.data!.artifact.files[0]!.downloadUrl).toMatch(/^http/);
  });

  it('shows the lineage stored then: the parent linked later is not in an earlier state', async () => {
    const child = (await t.gql<{ artifactByUrl: ArtifactView }>('query($url: String!) { artifactByUrl(url: $url) { id } }', { url: `https://huggingface.co/${CHILD}` })).data!.artifactByUrl;
    const orphan = child ?? (await ingest('MODEL', `https://huggingface.co/${CHILD}`));
    const unlinked = tick();
    await ingest('MODEL', `https://huggingface.co/${PARENT}`);
    const linked = tick();
    expect((await asOf(orphan.id, unlinked))!.lineage).toEqual({ nodes: [{ name: 'roberta-base-squad2' }], edges: [], unresolvedParents: [PARENT] });
    const later = (await asOf(orphan.id, linked))!.lineage!;
    expect(later.nodes.map((n) => n.name).sort()).toEqual(['roberta-base', 'roberta-base-squad2']);
    expect(later.edges).toEqual([{ parent: { name: 'roberta-base' }, child: { name: 'roberta-base-squad2' } }]);
  });

  it('refuses an asOf that is no instant', async () => {
    const model = await ingest('CODE', 'https://www.kaggle.com/models/org/time-travel-bad-instant');
    expect(errorCode(await t.gql(PAST, { id: model.id, asOf: 'yesterday' }))).toBe('BAD_USER_INPUT');
  });
});

describe('artifactByUrl(url, asOf)', () => {
  it('finds who held the URL at that instant, across a URL change and a new registration of the old URL', async () => {
    const A = 'https://www.kaggle.com/datasets/org/time-travel-a';
    const B = 'https://www.kaggle.com/datasets/org/time-travel-b';
    const beforeAll = tick();
    const first = await ingest('DATASET', A);
    const onA = tick();
    await t.gql(UPDATE, { input: { id: first.id, expectedVersion: 1, url: B } });
    const onB = tick();
    const second = await ingest('DATASET', A);
    const reused = tick();

    expect(await byUrlAsOf(A, beforeAll)).toBeNull();
    expect(await byUrlAsOf(A, onA)).toEqual({ id: first.id, name: first.name, version: 1 });
    expect(await byUrlAsOf(B, onA)).toBeNull();
    expect(await byUrlAsOf(A, onB)).toBeNull();
    expect(await byUrlAsOf(`${B}/`, onB)).toMatchObject({ id: first.id, version: 2 });
    expect(await byUrlAsOf(A, reused)).toMatchObject({ id: second.id, version: 1 });
  });

  it('finds artifacts registered before URL holders were recorded, and rebuild-projections backfills them', async () => {
    const url = 'https://www.kaggle.com/datasets/org/time-travel-old-data';
    const old = await ingest('DATASET', url);
    const registered = tick();
    const scope = await t.scope();
    const id = Buffer.from(old.id, 'base64').toString().split(':')[1]! as ArtifactId;
    const key = urlKeyOf(url as NormalizedUrl);
    // Old data: no holder item. The current claim still names the artifact.
    await scope.entities.urlHolder.delete({ urlKey: key, artifactId: id }).go();
    expect(await byUrlAsOf(url, registered)).toMatchObject({ id: old.id });
    expect(await scope.store.rebuildProjection(id)).toBe('already-newer');
    const { data } = await scope.entities.urlHolder.query.byKey({ urlKey: key }).go();
    expect(data.map((item) => item.artifactId)).toEqual([id]);
  });
});

describe('time travel and deletion (SECURITY.md, "Time travel")', () => {
  const REGISTER = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }';
  const PAST_WITH_HISTORY = `query($id: ID!, $asOf: DateTime, $to: DateTime) { artifact(id: $id, asOf: $asOf) {
    name version history(first: 100, to: $to) { edges { node { type version } } }
  } }`;
  type PastHistory = { artifact: { name: string; version: number; history: { edges: { node: { type: string; version: number } }[] } } | null };
  let searcher: string;

  async function searcherToken(): Promise<string> {
    if (searcher) return searcher;
    expect((await t.gql(REGISTER, { input: { username: 'time-traveller', password: 'a long enough password', permissions: ['SEARCH'] } })).errors).toBeUndefined();
    searcher = await t.login('time-traveller', 'a long enough password');
    return searcher;
  }

  it('shows a deleted artifact as it was before its deletion to admins only', async () => {
    const code = await ingest('CODE', 'https://gitlab.com/registry-tests/time-travel-deleted');
    await t.gql(UPDATE, { input: { id: code.id, expectedVersion: 1, name: 'renamed-then-deleted' } });
    const renamed = tick();
    expect((await t.gql(DELETE, { input: { id: code.id, expectedVersion: 2 } })).errors).toBeUndefined();
    tick();
    const search = await t.gqlAs<PastHistory>(await searcherToken(), PAST_WITH_HISTORY, { id: code.id, asOf: renamed });
    expect(search.errors).toBeUndefined();
    expect(search.data!.artifact).toBeNull();
    const bySearcherUrl = await t.gqlAs<{ artifactByUrl: unknown }>(searcher, BY_URL_AS_OF, { url: 'https://gitlab.com/registry-tests/time-travel-deleted', asOf: renamed });
    expect(bySearcherUrl.data!.artifactByUrl).toBeNull();
    const admin = await t.gql<PastHistory>(PAST_WITH_HISTORY, { id: code.id, asOf: renamed });
    expect(admin.data!.artifact).toMatchObject({ name: 'renamed-then-deleted', version: 2 });
    // The history under asOf ends at asOf: the deletion (version 3) is not in it, even when asked for.
    const versions = admin.data!.artifact!.history.edges.map((e) => e.node.version);
    expect(versions).toEqual([1, 2]);
    const askedLater = await t.gql<PastHistory>(PAST_WITH_HISTORY, { id: code.id, asOf: renamed, to: new Date(now + 3_600_000).toISOString() });
    expect(askedLater.data!.artifact!.history.edges.map((e) => e.node.version)).toEqual([1, 2]);
  });

  it('ends everyone\'s history at asOf for a live artifact too', async () => {
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/registry-tests/time-travel-history');
    const registered = tick();
    await t.gql(UPDATE, { input: { id: dataset.id, expectedVersion: 1, name: 'later-name' } });
    tick();
    const past = await t.gqlAs<PastHistory>(await searcherToken(), PAST_WITH_HISTORY, { id: dataset.id, asOf: registered });
    expect(past.data!.artifact).toMatchObject({ version: 1 });
    expect(past.data!.artifact!.history.edges.map((e) => e.node.version)).toEqual([1]);
  });

  it('reads an instant with an expanded year as a date: beyond every event is the present', async () => {
    const code = await ingest('CODE', 'https://gitlab.com/registry-tests/time-travel-far-future');
    tick();
    expect(await asOf(code.id, '+275760-09-13T00:00:00.000Z')).toMatchObject({ id: code.id, version: 1 });
    expect(await asOf(code.id, '-000001-01-01T00:00:00.000Z')).toBeNull();
    const history = await t.gql<PastHistory>(PAST_WITH_HISTORY, { id: code.id, asOf: '+275760-09-13T00:00:00.000Z', to: '+275760-09-13T00:00:00.000Z' });
    expect(history.data!.artifact!.history.edges.map((e) => e.node.version)).toEqual([1]);
  });
});
