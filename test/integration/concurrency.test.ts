import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { INGEST, LIST, UPDATE, type ArtifactPage, type ArtifactView } from '../support/operations.js';


const t = useTestRegistry();

type IngestData = { ingestArtifact: { artifact: ArtifactView } };

describe('optimistic concurrency over HTTP', () => {
  it('20 concurrent ingests of one URL leave exactly one artifact and 19 CONFLICTs naming it', async () => {
    // Every ingest reads the (replayed) Hub and rates the model before it races for the URL.
    const spellings = (i: number) => (i % 2 ? 'https://huggingface.co/google-bert/bert-base-uncased' : 'https://HUGGINGFACE.CO/google-bert/bert-base-uncased/');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql<IngestData>(INGEST, { input: { type: 'MODEL', url: spellings(i), name: `bert ${i}` } })),
    );
    const winners = responses.filter((r) => r.data?.ingestArtifact);
    const conflicts = responses.filter((r) => r.errors?.[0]?.extensions?.['code'] === 'CONFLICT');
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const winner = winners[0]!.data!.ingestArtifact.artifact;
    for (const conflict of conflicts) expect(conflict.errors![0]!.extensions!['existingId']).toBe(winner.id);

    const listed = await t.gql<ArtifactPage>(LIST, { filter: { normalizedName: 'bert' }, first: 100 });
    const all = await t.gql<ArtifactPage>(LIST, { first: 100 });
    expect(all.data!.artifacts.edges.filter((e) => e.node.url === 'https://huggingface.co/google-bert/bert-base-uncased')).toHaveLength(1);
    expect(listed.errors).toBeUndefined();
    // Losers wrote nothing: only the winner's stream exists.
    let streams = 0;
    for await (const ids of (await t.scope()).store.events.allStreamIds()) streams += ids.length;
    expect(streams).toBe(1);
  });

  it('20 concurrent updates at one expected version leave one winner and a gap-free stream', async () => {
    const created = await t.gql<IngestData>(INGEST, { input: { type: 'CODE', url: 'https://github.com/sigmavirus24/github3.py' } });
    const { id } = created.data!.ingestArtifact.artifact;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id, expectedVersion: 1, name: `bert-${i}` } })),
    );
    const winners = responses.filter((r) => r.data?.updateArtifact);
    expect(winners).toHaveLength(1);
    expect(responses.filter((r) => r.errors?.[0]?.extensions?.['code'] === 'CONFLICT')).toHaveLength(19);

    const events = await (await t.scope()).store.events.readStream(artifactIdOf(id));
    expect(events.map((e) => e.version)).toEqual([1, 2]);
    const winnerName = winners[0]!.data!.updateArtifact.artifact.name;
    expect(events[1]).toMatchObject({ type: 'ArtifactUpdated', payload: { name: winnerName } });
    const [projection] = await (await t.scope()).store.projections.getMany([artifactIdOf(id)]);
    expect(projection).toMatchObject({ version: 2, name: winnerName });
  });

  it('sequential writers that each reload never lose an update', async () => {
    const created = await t.gql<IngestData>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/counter' } });
    const { id } = created.data!.ingestArtifact.artifact;
    // Eight writers race; each retries on CONFLICT with the version it reads back, like a real client.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (;;) {
          const current = await (await t.scope()).store.loadCurrent(artifactIdOf(id));
          const response = await t.gql(UPDATE, { input: { id, expectedVersion: current!.version, name: `writer-${writer}` } });
          if (!response.errors) return;
          expect(response.errors[0]!.extensions!['code']).toBe('CONFLICT');
        }
      }),
    );
    const events = await (await t.scope()).store.events.readStream(artifactIdOf(id));
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(events.slice(1).map((e) => (e.payload as { name: string }).name)).size).toBe(8);
  });

  it('a URL change racing an ingest of the same URL lets exactly one of them have it', async () => {
    const created = await t.gql<IngestData>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/before-move' } });
    const { id } = created.data!.ingestArtifact.artifact;
    const [moved, ingested] = await Promise.all([
      t.gql(UPDATE, { input: { id, expectedVersion: 1, url: 'https://gitlab.com/org/contested' } }),
      t.gql(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/contested' } }),
    ]);
    expect([moved, ingested].filter((r) => !r.errors)).toHaveLength(1);
    expect([moved, ingested].filter((r) => r.errors?.[0]?.extensions?.['code'] === 'CONFLICT')).toHaveLength(1);
  });

  it('stale expectedVersion is a CONFLICT that reports the current version', async () => {
    const created = await t.gql<IngestData>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/stale' } });
    const { id } = created.data!.ingestArtifact.artifact;
    await t.gql(UPDATE, { input: { id, expectedVersion: 1, name: 'v2' } });
    const stale = await t.gql(UPDATE, { input: { id, expectedVersion: 1, name: 'lost' } });
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', expectedVersion: 1, currentVersion: 2 });
  });
});
