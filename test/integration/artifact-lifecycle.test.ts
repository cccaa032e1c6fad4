import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { BY_URL, DELETE, GET, HISTORY, INGEST, UPDATE, type ArtifactView } from '../support/operations.js';


const t = useTestRegistry();

async function ingest(input: Record<string, unknown>): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

describe('artifact lifecycle over GraphQL', () => {
  it('ingests, reads by id and by any spelling of its URL, renames, re-points and deletes', async () => {
    const created = await ingest({ type: 'MODEL', url: 'https://HuggingFace.co/google-bert/bert-base-uncased/tree/main/' });
    expect(created).toMatchObject({
      type: 'MODEL',
      name: 'bert-base-uncased',
      url: 'https://huggingface.co/google-bert/bert-base-uncased',
      version: 1,
    });
    expect(created.createdAt).toBe(created.updatedAt);

    const read = await t.gql<{ artifact: ArtifactView }>(GET, { id: created.id });
    expect(read.data!.artifact).toEqual(created);

    for (const spelling of ['https://huggingface.co/google-bert/bert-base-uncased', 'https://www.huggingface.co/google-bert/bert-base-uncased/', 'http://hf.co/google-bert/bert-base-uncased.git']) {
      const byUrl = await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: spelling });
      expect(byUrl.data!.artifactByUrl?.id, spelling).toBe(created.id);
    }

    const renamed = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, {
      input: { id: created.id, expectedVersion: 1, name: 'BERT Base (uncased)' },
    });
    expect(renamed.data!.updateArtifact.artifact).toMatchObject({ name: 'BERT Base (uncased)', version: 2, url: created.url });

    const repointed = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, {
      input: { id: created.id, expectedVersion: 2, url: 'https://huggingface.co/bert-base-uncased' },
    });
    expect(repointed.data!.updateArtifact.artifact).toMatchObject({ url: 'https://huggingface.co/bert-base-uncased', version: 3 });
    // The old URL is free again and the new one resolves.
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url: created.url })).data!.artifactByUrl).toBeNull();
    expect((await t.gql<{ artifactByUrl: ArtifactView }>(BY_URL, { url: 'https://huggingface.co/bert-base-uncased' })).data!.artifactByUrl.id).toBe(created.id);

    const deleted = await t.gql<{ deleteArtifact: { deletedId: string } }>(DELETE, { input: { id: created.id, expectedVersion: 3 } });
    expect(deleted.data!.deleteArtifact.deletedId).toBe(created.id);
    expect((await t.gql<{ artifact: null }>(GET, { id: created.id })).data!.artifact).toBeNull();
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url: 'https://huggingface.co/bert-base-uncased' })).data!.artifactByUrl).toBeNull();

    // History outlives the artifact in the event stream: four events, gap-free, each with its actor.
    const events = await (await t.scope()).store.events.readStream(artifactIdOf(created.id));
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'ArtifactRegistered'],
      [2, 'ArtifactUpdated'],
      [3, 'ArtifactUpdated'],
      [4, 'ArtifactDeleted'],
    ]);
    expect(events.every((e) => e.actor === 'ece30861defaultadminuser')).toBe(true);
  });

  it('lets a deleted URL be registered again as a new artifact', async () => {
    const first = await ingest({ type: 'DATASET', url: 'https://huggingface.co/datasets/zed-industries/zeta' });
    await t.gql(DELETE, { input: { id: first.id, expectedVersion: 1 } });
    const second = await ingest({ type: 'DATASET', url: 'https://huggingface.co/datasets/zed-industries/zeta', name: 'zeta again' });
    expect(second.id).not.toBe(first.id);
    expect(second.version).toBe(1);
  });

  it('pages through history with cursors', async () => {
    const created = await ingest({ type: 'CODE', url: 'https://github.com/PyGithub/PyGithub' });
    let version = 1;
    for (const name of ['w1', 'w2', 'w3', 'w4']) {
      const updated = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: created.id, expectedVersion: version, name } });
      version = updated.data!.updateArtifact.artifact.version;
    }
    type HistoryData = { artifact: { history: { edges: { cursor: string; node: { version: number; type: string; changes: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
    const page1 = await t.gql<HistoryData>(HISTORY, { id: created.id, first: 2 });
    expect(page1.data!.artifact.history.edges.map((e) => e.node.version)).toEqual([1, 2]);
    expect(page1.data!.artifact.history.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql<HistoryData>(HISTORY, { id: created.id, first: 2, after: page1.data!.artifact.history.pageInfo.endCursor });
    expect(page2.data!.artifact.history.edges.map((e) => e.node.version)).toEqual([3, 4]);
    const page3 = await t.gql<HistoryData>(HISTORY, { id: created.id, first: 2, after: page2.data!.artifact.history.pageInfo.endCursor });
    expect(page3.data!.artifact.history.edges.map((e) => [e.node.version, e.node.type, JSON.parse(e.node.changes)])).toEqual([[5, 'UPDATED', { name: 'w4' }]]);
    expect(page3.data!.artifact.history.pageInfo.hasNextPage).toBe(false);
  });

  it('answers NOT_FOUND for changes to an absent artifact and null for reads of one', async () => {
    const created = await ingest({ type: 'CODE', url: 'https://github.com/octokit/octokit.rb' });
    await t.gql(DELETE, { input: { id: created.id, expectedVersion: 1 } });
    expect(errorCode(await t.gql(UPDATE, { input: { id: created.id, expectedVersion: 2, name: 'x' } }))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(DELETE, { input: { id: created.id, expectedVersion: 2 } }))).toBe('NOT_FOUND');
  });

  it('resolves artifacts through the Relay node field', async () => {
    const created = await ingest({ type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' });
    const response = await t.gql<{ node: { __typename: string; id: string; name: string } }>(
      'query($id: ID!) { node(id: $id) { __typename id ... on Artifact { name } } }',
      { id: created.id },
    );
    expect(response.data!.node).toEqual({ __typename: 'Model', id: created.id, name: 'gpt2' });
  });
});
