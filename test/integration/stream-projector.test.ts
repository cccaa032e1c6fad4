import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectBatch, storesOver } from '../../src/lambda/projector.js';
import { loseProjection, renameWithoutProjection } from '../support/lost-projections.js';
import { BY_URL, GET, INGEST, type ArtifactView } from '../support/operations.js';
import { dynamoEngine, useTestRegistry } from '../support/registry-harness.js';
import { startStreamPoller, streamsClientFor, type StreamPoller } from '../support/stream-poller.js';

/**
 * The projector as deployed (issue 13): a writer dies between its event and its projection, and the
 * table's own stream, not the artifact's next write, brings the projection back. Runs on DynamoDB
 * Local's real stream, read the way Lambda's event source mapping reads it (test/support/stream-poller.ts).
 */
const t = useTestRegistry();
// Generous: DynamoDB Local publishes stream records within about a second, a loaded machine slower.
const HEAL_WITHIN_MS = 30_000;

let poller: StreamPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

async function ingest(url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url } });
  return response.data!.ingestArtifact.artifact;
}

const read = async (id: string) => (await t.gql<{ artifact: ArtifactView | null }>(GET, { id })).data!.artifact;

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + HEAL_WITHIN_MS;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}

// dynalite has no streams (it accepts StreamSpecification and ignores it): DynamoDB Local only,
// i.e. `TEST_DYNAMODB=dynamodb-local npx vitest run test/integration/stream-projector.test.ts`.
describe.skipIf(dynamoEngine() === 'dynalite')('the stream projector on DynamoDB Local\'s stream (skipped on dynalite: no streams)', () => {
  it('brings back a projection never written, and one left behind its events, through the table stream alone', async () => {
    const lost = await ingest('https://gitlab.com/stream/lost');
    await loseProjection(t, lost.id);
    const behind = await ingest('https://gitlab.com/stream/behind');
    expect(await renameWithoutProjection(t, behind.id, 2, 'renamed-by-stream')).toBe('appended');
    // What users see with nothing to repair it: reads never fold events.
    expect(await read(lost.id)).toBeNull();
    expect(await read(behind.id)).toMatchObject({ version: 1 });

    const streams = streamsClientFor(t.storage.dynamodbEndpoint);
    const stores = storesOver(t.registry.dynamo, t.registry.config.tableName);
    poller = await startStreamPoller({
      client: t.registry.dynamo.raw,
      streams,
      tableName: t.registry.config.tableName,
      handler: (event) => projectBatch(event, stores),
    });

    expect(await eventually(() => read(lost.id), (artifact) => artifact !== null)).toMatchObject({ id: lost.id, version: 1 });
    expect((await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: lost.url })).data!.artifactByUrl?.id).toBe(lost.id);
    expect(await eventually(() => read(behind.id), (artifact) => artifact?.version === 2)).toMatchObject({ version: 2, name: 'renamed-by-stream' });
    // The stream carried every item's insert (claims, projections...), not only the two events.
    expect(poller.delivered()).toBeGreaterThanOrEqual(2);
    streams.destroy();
  }, HEAL_WITHIN_MS * 3);
});
