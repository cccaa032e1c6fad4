import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { GSIS, TABLE_KEYS } from '../../src/store/table-definition.js';
import { rebuildProjections } from '../../src/application/rebuild-projections.js';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/upcasters.js';
import { artifactIdOf } from '../support/ids.js';
import { BY_URL, GET_RATED, HISTORY, INGEST_RATED, UPDATE, type RatedArtifactView, type RatingView } from '../support/operations.js';
import { useTestRegistry } from '../support/registry-harness.js';

const t = useTestRegistry();

type Item = Record<string, unknown>;

/** Every item of an artifact's partition (events, projection, detail), straight from the table. */
async function partitionItems(globalId: string): Promise<Item[]> {
  const { entities } = await t.scope();
  const key = entities.artifactProjection.get({ artifactId: artifactIdOf(globalId) }).params<{ Key: Record<string, string> }>().Key;
  const { Items } = await t.registry.dynamo.doc.send(
    new QueryCommand({ TableName: t.registry.config.tableName, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk }, ExpressionAttributeValues: { ':pk': key[TABLE_KEYS.pk] } }),
  );
  return Items ?? [];
}

const isEvent = (item: Item) => item['__edb_e__'] === 'artifactEvent';
const isProjection = (item: Item) => item['__edb_e__'] === 'artifactProjection';

/** The rating JSON without `reviewedness`, as a registry from before that metric wrote it. */
function withoutReviewedness(json: string, path: 'payload' | 'rating'): string {
  const value = JSON.parse(json) as { rating?: Record<string, unknown> } & Record<string, unknown>;
  const rating = (path === 'payload' ? value.rating : value) as Record<string, unknown> | undefined;
  if (rating) delete rating['reviewedness'];
  return JSON.stringify(value);
}

/** Rewrites the artifact's events and projection as version-1 items: no schemaVersion, no reviewedness. */
async function rewriteAsVersionOne(globalId: string): Promise<void> {
  for (const item of await partitionItems(globalId)) {
    if (!isEvent(item) && !isProjection(item)) continue;
    const { schemaVersion: _dropped, ...old } = item;
    if (isEvent(item)) old['payload'] = withoutReviewedness(item['payload'] as string, 'payload');
    else if (typeof item['rating'] === 'string') old['rating'] = withoutReviewedness(item['rating'], 'rating');
    await t.registry.dynamo.doc.send(new PutCommand({ TableName: t.registry.config.tableName, Item: old }));
  }
}

describe('stored items from before a metric existed', () => {
  it('new events and projections carry the current schema version', async () => {
    const created = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
    expect(created.errors).toBeUndefined();
    const items = (await partitionItems(created.data!.ingestArtifact.artifact.id)).filter((item) => isEvent(item) || isProjection(item));
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const item of items) expect(item['schemaVersion']).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('a rating stored without reviewedness and without a schema version reads as "not rated", through reads and writes', async () => {
    const created = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } });
    const model = created.data!.ingestArtifact.artifact;
    const recorded = model.rating!;
    await rewriteAsVersionOne(model.id);
    const stored = (await partitionItems(model.id)).filter(isProjection)[0]!;
    expect(stored['schemaVersion']).toBeUndefined();
    expect(JSON.parse(stored['rating'] as string)).not.toHaveProperty('reviewedness');

    // The projection's rating: the missing metric is marked, the recorded ones are as recorded.
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: model.id });
    expect(read.errors).toBeUndefined();
    const rating = read.data!.artifact.rating!;
    expect(rating.reviewedness.value).toBeNull();
    expect(rating.reviewedness.explanation).toMatch(/not rated: this rating was computed before the reviewedness metric existed/);
    expect(rating.netScore).toEqual(recorded.netScore);
    expect(rating.busFactor).toEqual(recorded.busFactor);

    // The events: history parses them, and a write folds them (the registration carries the rating).
    const history = await t.gql<{ artifact: { history: { edges: { node: { type: string } }[] } } }>(HISTORY, { id: model.id, first: 10 });
    expect(history.errors).toBeUndefined();
    expect(history.data!.artifact.history.edges.length).toBeGreaterThanOrEqual(1);
    const renamed = await t.gql<{ updateArtifact: { artifact: RatedArtifactView } }>(UPDATE, { input: { id: model.id, expectedVersion: model.version, name: 'gpt2-renamed' } });
    expect(renamed.errors).toBeUndefined();

    // The projection the write produced is in the current shape, with the metric still "not rated".
    const rewritten = (await partitionItems(model.id)).filter(isProjection)[0]!;
    expect(rewritten['schemaVersion']).toBe(CURRENT_SCHEMA_VERSION);
    expect(JSON.parse(rewritten['rating'] as string).reviewedness.value).toBeNull();
    const after = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: model.id });
    expect(after.data!.artifact.rating!.reviewedness.value).toBeNull();
    expect(after.data!.artifact.name).toBe('gpt2-renamed');
  });
});

/** A stored rating JSON as version 2 wrote it: -1 wherever the metric is not applicable, -1 on every device of an unknown size. */
function withSentinels(json: string, path: 'payload' | 'rating'): string {
  const value = JSON.parse(json) as { rating?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const rating = (path === 'payload' ? value.rating : value) as Record<string, Record<string, unknown>> | undefined;
  if (!rating) return json;
  for (const score of Object.values(rating)) {
    if (typeof score !== 'object' || score === null) continue;
    for (const [key, field] of Object.entries(score)) if (field === null) score[key] = -1;
  }
  return JSON.stringify(value);
}

describe('stored ratings from before "not applicable" was null (schema version 2: -1)', () => {
  it('read -1 as null through GraphQL, and a write stores the current shape', async () => {
    // blip: reviewedness, busFactor, codeQuality, datasetQuality and treeScore not applicable, and an unknown size.
    const created = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/Salesforce/blip-image-captioning-base' } });
    expect(created.errors).toBeUndefined();
    const model = created.data!.ingestArtifact.artifact;
    const recorded = model.rating!;
    expect(recorded.reviewedness.value).toBeNull();
    expect(recorded.sizeScore.awsServer).toBeNull();

    for (const item of await partitionItems(model.id)) {
      if (!isEvent(item) && !isProjection(item)) continue;
      const old: Item = { ...item, schemaVersion: 2 };
      if (isEvent(item)) old['payload'] = withSentinels(item['payload'] as string, 'payload');
      else if (typeof item['rating'] === 'string') old['rating'] = withSentinels(item['rating'], 'rating');
      await t.registry.dynamo.doc.send(new PutCommand({ TableName: t.registry.config.tableName, Item: old }));
    }
    const stored = JSON.parse((await partitionItems(model.id)).filter(isProjection)[0]!['rating'] as string) as RatingView;
    expect(stored.reviewedness.value).toBe(-1);
    expect(stored.sizeScore.raspberryPi).toBe(-1);

    // Read through the projection: exactly what was rated, -1 back to null.
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: model.id });
    expect(read.errors).toBeUndefined();
    expect(read.data!.artifact.rating).toEqual(recorded);

    // A write folds the version-2 events; the projection it writes is version 3, with null stored.
    const renamed = await t.gql<{ updateArtifact: { artifact: RatedArtifactView } }>(UPDATE, { input: { id: model.id, expectedVersion: model.version, name: 'blip-renamed' } });
    expect(renamed.errors).toBeUndefined();
    expect((await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: model.id })).data!.artifact.rating).toEqual(recorded);
    const rewritten = (await partitionItems(model.id)).filter(isProjection)[0]!;
    expect(rewritten['schemaVersion']).toBe(CURRENT_SCHEMA_VERSION);
    expect((JSON.parse(rewritten['rating'] as string) as RatingView).treeScore.value).toBeNull();
  });
});

describe('projections from before URL keys', () => {
  it('are found by URL again once a rebuild (or the repair at an upgraded start) rewrites them at the same version', async () => {
    const created = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/facebook/bart-base' } });
    const model = created.data!.ingestArtifact.artifact;
    const projection = (await partitionItems(model.id)).filter(isProjection)[0]!;
    // As the registry wrote it before: no schemaVersion, no urlKey, the URL index keyed on the URL itself.
    const { schemaVersion: _v, urlKey: _k, ...old } = projection;
    old[GSIS.byUrl.pk] = String(projection[GSIS.byUrl.pk]).replace(/#urlkey_.*$/i, `#url_${model.url}`);
    await t.registry.dynamo.doc.send(new PutCommand({ TableName: t.registry.config.tableName, Item: old }));
    const byUrl = () => t.gql<{ artifactByUrl: { id: string } | null }>(BY_URL, { url: model.url });
    expect((await byUrl()).data!.artifactByUrl).toBeNull();

    const report = await rebuildProjections((await t.scope()).store);
    expect(report.repaired).toBeGreaterThanOrEqual(1);
    expect((await byUrl()).data!.artifactByUrl!.id).toBe(model.id);
    const rewritten = (await partitionItems(model.id)).filter(isProjection)[0]!;
    expect(rewritten['schemaVersion']).toBe(CURRENT_SCHEMA_VERSION);
    expect(rewritten['version']).toBe(projection['version']);
  });
});
