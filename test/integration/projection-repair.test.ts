import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/application/rebuild-projections.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { ActorId } from '../../src/domain/ids.js';
import { useTestRegistry } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { GET, INGEST, UPDATE, type ArtifactView } from '../support/operations.js';


const t = useTestRegistry();

/** Commits an event the way a writer does, then "dies" before writing the projection. */
async function commitWithoutProjection(globalId: string, version: number, name: string): Promise<void> {
  const event: ArtifactEvent = {
    type: 'ArtifactUpdated',
    payload: { name: name as ArtifactName },
    artifactId: artifactIdOf(globalId),
    version,
    at: new Date().toISOString(),
    actor: 'crashed-writer' as ActorId,
  };
  expect(await (await t.scope()).store.events.append(event)).toBe('appended');
}

async function ingest(url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url } });
  return response.data!.ingestArtifact.artifact;
}

describe('a projection left behind its events', () => {
  it('is repaired by rebuild-projections, which leaves up-to-date projections alone', async () => {
    const lagging = await ingest('https://gitlab.com/org/lagging');
    const healthy = await ingest('https://gitlab.com/org/healthy');
    await commitWithoutProjection(lagging.id, 2, 'renamed-by-crashed-writer');

    // Readers see the projection, which lags.
    const before = await t.gql<{ artifact: ArtifactView }>(GET, { id: lagging.id });
    expect(before.data!.artifact).toMatchObject({ version: 1, name: 'lagging' });

    const report = await rebuildProjections((await t.scope()).store);
    expect(report).toEqual({ streams: 2, repaired: 1 });
    const after = await t.gql<{ artifact: ArtifactView }>(GET, { id: lagging.id });
    expect(after.data!.artifact).toMatchObject({ version: 2, name: 'renamed-by-crashed-writer' });
    expect((await t.gql<{ artifact: ArtifactView }>(GET, { id: healthy.id })).data!.artifact.version).toBe(1);
  });

  it('is caught up by the next writer, which checks expectedVersion against the events, not the projection', async () => {
    const artifact = await ingest('https://gitlab.com/org/caught-up');
    await commitWithoutProjection(artifact.id, 2, 'second');
    // A client holding the projection's version 1 is stale: the stream is at 2.
    const stale = await t.gql(UPDATE, { input: { id: artifact.id, expectedVersion: 1, name: 'third' } });
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const read = await t.gql<{ artifact: ArtifactView }>(GET, { id: artifact.id });
    expect(read.data!.artifact).toMatchObject({ version: 2, name: 'second' });
    const fresh = await t.gql<{ updateArtifact: { artifact: ArtifactView } }>(UPDATE, { input: { id: artifact.id, expectedVersion: 2, name: 'third' } });
    expect(fresh.data!.updateArtifact.artifact).toMatchObject({ version: 3, name: 'third' });
  });

  it('is never rolled back by a slow writer holding an older state', async () => {
    const artifact = await ingest('https://gitlab.com/org/no-rollback');
    const id = artifactIdOf(artifact.id);
    await t.gql(UPDATE, { input: { id: artifact.id, expectedVersion: 1, name: 'newer' } });
    const [current] = await (await t.scope()).store.projections.getMany([id]);
    expect(await (await t.scope()).store.projections.save({ ...current!, version: 1, name: 'older' as ArtifactName })).toBe('already-newer');
    expect((await (await t.scope()).store.projections.getMany([id]))[0]).toMatchObject({ version: 2, name: 'newer' });
  });
});
