import { describe, expect, it } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import { projectBatch, storesOver } from '../../src/lambda/projector.js';
import { useTestRegistry } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { BY_URL, GET, INGEST, type ArtifactView } from '../support/operations.js';

const t = useTestRegistry();

async function ingest(url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url } });
  return response.data!.ingestArtifact.artifact;
}

/** A stream record as Lambda delivers it for a new event item: keys as the table stores them. */
async function insertRecord(id: ArtifactId, version: number, sequence: string) {
  const { entities } = await t.scope();
  const { Key } = entities.artifactEvent.get({ streamId: id, version }).params() as { Key: { pk: string; sk: string } };
  return { eventID: sequence, eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { SequenceNumber: sequence, Keys: { pk: { S: Key.pk }, sk: { S: Key.sk } }, StreamViewType: 'NEW_IMAGE' } };
}

const readAll = async (id: string) => (await t.gql<{ artifact: ArtifactView | null }>(GET, { id })).data!.artifact;

describe('the stream projector (Lambda handler, invoked with DynamoDB stream events against the emulator)', () => {
  it('projects events whose writer died before the projection, once per artifact, ignoring other items and replays', async () => {
    const { store, entities, epoch } = await t.scope();
    const stores = storesOver(t.registry.dynamo, t.registry.config.tableName);
    // Committed, then killed before the projection was ever written.
    const lost = await ingest('https://gitlab.com/projector/lost');
    const lostId = artifactIdOf(lost.id);
    const params = entities.artifactProjection.delete({ artifactId: lostId }).params();
    await t.registry.dynamo.doc.send(new DeleteCommand(params as ConstructorParameters<typeof DeleteCommand>[0]));
    // Two events ahead of its projection.
    const behind = await ingest('https://gitlab.com/projector/behind');
    const behindId = artifactIdOf(behind.id);
    for (const version of [2, 3]) {
      const event: ArtifactEvent = { type: 'ArtifactUpdated', payload: { name: `v${version}` as ArtifactName }, artifactId: behindId, version, at: new Date().toISOString(), actor: 'crashed' as ActorId };
      expect(await store.events.append(event)).toBe('appended');
    }
    expect(await readAll(lost.id)).toBeNull();

    const claimKey = entities.urlClaim.get({ url: 'gitlab.com/x' }).params() as { Key: { pk: string; sk: string } };
    const batch = {
      Records: [
        await insertRecord(lostId, 1, '100'),
        await insertRecord(behindId, 2, '101'),
        await insertRecord(behindId, 3, '102'),
        // Not events: a claim insert, a projection modify: skipped.
        { eventName: 'INSERT', dynamodb: { SequenceNumber: '103', Keys: { pk: { S: claimKey.Key.pk }, sk: { S: claimKey.Key.sk } } } },
        { ...(await insertRecord(lostId, 1, '104')), eventName: 'MODIFY' },
      ],
    };
    const loads: string[] = [];
    const counting = (e: number) => {
      const real = stores(e);
      return Object.assign(Object.create(real) as typeof real, { loadCurrent: (id: ArtifactId) => (loads.push(id), real.loadCurrent(id)) });
    };
    expect(epoch).toBe(0);
    const before = new Date();
    expect(await projectBatch(batch, counting)).toEqual({ batchItemFailures: [] });
    // The reactions ran again for each inserted event (here the one a table-only function has: the search change).
    const announced = (await store.searchChanges.since(before)).map((change) => `${change.artifactId} v${change.version}`);
    expect(announced).toEqual(expect.arrayContaining([`${lostId} v1`, `${behindId} v2`, `${behindId} v3`]));
    expect(loads.sort()).toEqual([lostId, behindId].sort());

    expect(await readAll(lost.id)).toMatchObject({ id: lost.id, version: 1 });
    expect((await t.gql<{ artifactByUrl: ArtifactView }>(BY_URL, { url: lost.url })).data!.artifactByUrl.id).toBe(lost.id);
    expect(await readAll(behind.id)).toMatchObject({ version: 3, name: 'v3' });
    // A replay of the same batch (Lambda retries) changes nothing.
    expect(await projectBatch(batch, stores)).toEqual({ batchItemFailures: [] });
    expect(await readAll(behind.id)).toMatchObject({ version: 3, name: 'v3' });
  });

  it('reports the records it could not project, so Lambda retries, bisects and dead-letters only those', async () => {
    const ok = await ingest('https://gitlab.com/projector/ok');
    const okId = artifactIdOf(ok.id);
    const stores = storesOver(t.registry.dynamo, t.registry.config.tableName);
    const failing = (e: number) => {
      const real = stores(e);
      return Object.assign(Object.create(real) as typeof real, { loadCurrent: () => Promise.reject(new Error('throttled')) });
    };
    const batch = { Records: [await insertRecord(okId, 1, '200')] };
    expect(await projectBatch(batch, failing)).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    await expect(projectBatch({ Records: 'nope' }, stores)).rejects.toThrow(/not a DynamoDB stream event/);
  });
});
