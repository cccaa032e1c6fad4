import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';
import type { ArtifactId } from '../../src/domain/ids.js';
import { errorCode, startTestRegistry, useTestRegistry, type GraphQLResponse, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { fixtureRating, OBSERVED_AT } from '../support/fixture-ratings.js';
import { artifactIdOf } from '../support/ids.js';
import { seedUnratedModel } from '../support/seeded-models.js';
import { uploadFile } from '../support/files.js';
import { BY_URL, DELETE, GET_RATED, HISTORY, INGEST_RATED, LIST, RATED_ARTIFACT_FIELDS, type ArtifactPage, type RatedArtifactView, type RatingView } from '../support/operations.js';

/**
 * Issue 11, item 3: a URL change is an ingest of the new URL. It cannot smuggle a model the gate
 * refuses in under a passing model's rating and license; a passing one commits with its own rating.
 */
const BERT = 'https://huggingface.co/google-bert/bert-base-uncased';
const LLAMA = 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct'; // refused: llama3 license
const GPT2 = 'https://huggingface.co/openai-community/gpt2'; // passes, MIT
const BART = 'https://huggingface.co/facebook/bart-base'; // the Hub answers 503 for it here
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';

const replay = new FixtureReplay().route('https://huggingface.co/api/models/facebook/bart-base?blobs=true', { status: 503, headers: {}, body: 'unavailable' });
routeSyntheticParent(replay, CHILD, PARENT);
const t = useTestRegistry({ replay, clock: { now: () => new Date(OBSERVED_AT) } });

const UPDATE_RATED = `mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { ${RATED_ARTIFACT_FIELDS} } } }`;
const LINEAGE = `query($id: ID!) { artifact(id: $id) { ... on Model { lineage { edges { parent { id } child { id } } unresolvedParents } } } }`;

type Updated = GraphQLResponse<{ updateArtifact: { artifact: RatedArtifactView } }>;
const update = (id: string, expectedVersion: number, url: string): Promise<Updated> => t.gql(UPDATE_RATED, { input: { id, expectedVersion, url } });

async function ingest(type: string, url: string): Promise<RatedArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type, url } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

const read = async (id: string) => (await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id })).data!.artifact;
const stream = async (id: string) => (await t.scope()).store.events.readStream(artifactIdOf(id));
const projected = async (id: string) => (await (await t.scope()).store.projections.getMany([artifactIdOf(id)]))[0]!;
const parentsOf = async (id: string) => {
  const lineage = (await t.gql<{ artifact: { lineage: { edges: { parent: { id: string }; child: { id: string } }[]; unresolvedParents: string[] } } }>(LINEAGE, { id })).data!.artifact.lineage;
  return { parents: lineage.edges.filter((e) => e.child.id === id).map((e) => e.parent.id), unresolved: lineage.unresolvedParents };
};

describe('a URL change passes the ingest gate', () => {
  let bert: RatedArtifactView;

  it('refuses a DISQUALIFIED model as the new URL, as ingest would, and changes nothing', async () => {
    bert = await ingest('MODEL', BERT);
    const refused = await update(bert.id, 1, LLAMA);
    expect(errorCode(refused)).toBe('DISQUALIFIED');
    const extensions = refused.errors![0]!.extensions as { rating: RatingView; failures: { metric: string }[]; refusalId: string };
    expect(extensions.rating.license).toMatchObject({ value: 0, explanation: expect.stringContaining('llama3') });
    expect(extensions.failures.map((f) => f.metric)).toContain('license');

    // The artifact is exactly as it was: URL, version, rating, README; one event in its stream.
    const after = await read(bert.id);
    expect(after).toMatchObject({ url: BERT, version: 1 });
    expect(after.rating).toEqual(bert.rating);
    expect(after.readme).toContain('# BERT base model (uncased)');
    expect((await stream(bert.id)).map((e) => e.type)).toEqual(['ArtifactRegistered']);
    // Nobody serves or holds the refused URL.
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url: LLAMA })).data!.artifactByUrl).toBeNull();
    expect(await (await t.scope()).store.claims.get(LLAMA as NormalizedUrl)).toBeUndefined();
    // The same audit record as a refused ingest, naming the artifact whose change was refused.
    const audit = await (await t.scope()).store.events.readStream(extensions.refusalId as ArtifactId);
    expect(audit).toMatchObject([{ type: 'IngestRefused', version: 1, payload: { url: LLAMA, updateOf: artifactIdOf(bert.id), rating: extensions.rating } }]);
  });

  it('commits a passing model with its own rating, license and README in the one URL-change event', async () => {
    const changed = await update(bert.id, 1, GPT2);
    expect(changed.errors).toBeUndefined();
    const artifact = changed.data!.updateArtifact.artifact;
    expect(artifact).toMatchObject({ url: GPT2, version: 2, name: 'bert-base-uncased' });

    const expected = await fixtureRating('openai-community/gpt2');
    expect(artifact.rating!.netScore.value).toBeCloseTo(expected.netScore.value, 4);
    expect(artifact.rating!.license.value).toBe(expected.license.value);
    expect(artifact.rating!.netScore.value).not.toBe(bert.rating!.netScore.value);
    expect(await read(bert.id)).toMatchObject({ rating: artifact.rating, readme: null }); // gpt2's card is not recorded
    expect((await projected(bert.id)).metadata).toMatchObject({ source: 'huggingface-model', repoId: 'openai-community/gpt2', license: 'mit' });

    // One event records the change and its rating: no separate RATED entry.
    const events = await stream(bert.id);
    expect(events.map((e) => e.type)).toEqual(['ArtifactRegistered', 'ArtifactUpdated']);
    const updated = events[1] as Extract<ArtifactEvent, { type: 'ArtifactUpdated' }>;
    expect(updated.payload.reading?.rating).toEqual(artifact.rating);
    type H = { artifact: { history: { edges: { node: { version: number; type: string; changes: string } }[] } } };
    const history = (await t.gql<H>(HISTORY, { id: bert.id })).data!.artifact.history.edges.map((e) => e.node);
    expect(history.map((h) => h.type)).toEqual(['REGISTERED', 'UPDATED']);
    expect(JSON.parse(history[1]!.changes)).toEqual({ url: GPT2, source: 'huggingface-model', netScore: artifact.rating!.netScore.value, ratedAt: OBSERVED_AT });
    // The old URL is free again.
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url: BERT })).data!.artifactByUrl).toBeNull();
  });

  it('answers UPSTREAM_UNAVAILABLE when the new source fails, and changes nothing', async () => {
    const failed = await update(bert.id, 2, BART);
    expect(errorCode(failed)).toBe('UPSTREAM_UNAVAILABLE');
    expect(await read(bert.id)).toMatchObject({ url: GPT2, version: 2 });
    expect(await (await t.scope()).store.claims.get(BART as NormalizedUrl)).toBeUndefined();
  });

  it('renames without reading any source', async () => {
    const before = t.upstream.requests.length;
    const renamed = await t.gql<{ updateArtifact: { artifact: RatedArtifactView } }>(UPDATE_RATED, { input: { id: bert.id, expectedVersion: 2, name: 'renamed' } });
    expect(renamed.data!.updateArtifact.artifact).toMatchObject({ name: 'renamed', version: 3, url: GPT2 });
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('links follow the source a URL change reads', () => {
  it('drops the old source\'s links, and a late parent of the old source is not linked', async () => {
    const parent = await ingest('MODEL', `https://huggingface.co/${PARENT}`);
    const child = await ingest('MODEL', `https://huggingface.co/${CHILD}`);
    expect((await parentsOf(child.id)).parents).toEqual([parent.id]);

    const moved = await update(child.id, (await read(child.id)).version, 'https://huggingface.co/google-t5/t5-small');
    expect(moved.errors).toBeUndefined();
    expect(await parentsOf(child.id)).toEqual({ parents: [], unresolved: [] });
    expect((await projected(child.id)).links).toBeUndefined();

    // The old card's pending reference is still stored; registering that parent again must not link it.
    const version = (await read(parent.id)).version;
    expect((await t.gql(DELETE, { input: { id: parent.id, expectedVersion: version } })).errors).toBeUndefined();
    await ingest('MODEL', `https://huggingface.co/${PARENT}`);
    expect((await parentsOf(child.id)).parents).toEqual([]);
    expect((await stream(child.id)).at(-1)!.type).toBe('ArtifactUpdated');
  });

  it('resolves the new source\'s references: a model moved onto the child links its registered parent', async () => {
    const registeredParent = (await t.gql<{ artifactByUrl: { id: string } }>(BY_URL, { url: `https://huggingface.co/${PARENT}` })).data!.artifactByUrl.id;
    // A model from before every model was rated (old data): moved onto a Hub model, it is rated like an ingest.
    const kaggle = await seedUnratedModel((await t.scope()).store, 'https://www.kaggle.com/models/org/moved-onto-child', { at: new Date(OBSERVED_AT) });
    expect((await read(kaggle.id)).rating).toBeNull();
    const moved = await update(kaggle.id, 1, `https://huggingface.co/${CHILD}`);
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateArtifact.artifact.rating!.treeScore.explanation).toContain(PARENT);
    expect((await parentsOf(kaggle.id)).parents).toEqual([registeredParent]);
  });
});

/**
 * Issue 25, item 3: every MODEL holds a passing rating, and only Hub models can be rated. Before,
 * a rated model re-pointed to a URL on another host kept its id, name, files and aliases with
 * `rating: null`; a MODEL from such a host registered unrated (a look-alike `gpt2`), and an UPLOAD
 * user could move `gpt2/production` onto it. A registry of its own: `gpt2` is the real one here.
 */
describe('a model from a host the registry cannot rate', () => {
  const LOOK_ALIKE = 'https://www.kaggle.com/models/openai/gpt2';
  const SET_ALIAS = 'mutation($input: SetAliasInput!) { setAlias(input: $input) { moved artifact { id } } }';
  const BY_ALIAS = 'query($name: String!, $alias: String!) { artifactByAlias(name: $name, alias: $alias) { id } }';
  const FILES = 'query($id: ID!) { artifact(id: $id) { files { path sha256 } } }';
  let r: TestRegistry;
  let gpt2: RatedArtifactView;

  beforeAll(async () => {
    r = await startTestRegistry(t.storage, { clock: { now: () => new Date(OBSERVED_AT) } });
    const ingested = await r.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: GPT2 } });
    expect(ingested.errors).toBeUndefined();
    gpt2 = ingested.data!.ingestArtifact.artifact;
  });
  afterAll(async () => {
    expect(r.serverErrors).toEqual([]);
    await r.close();
  });

  const byAlias = async (alias: string) => (await r.gql<{ artifactByAlias: { id: string } | null }>(BY_ALIAS, { name: 'gpt2', alias })).data!.artifactByAlias;
  const refusal = async (refusalId: unknown) => (await r.scope()).store.events.readStream(refusalId as ArtifactId);

  it('refuses re-pointing a rated model there (DISQUALIFIED, naming the host); its URL, version, rating, files and aliases stay', async () => {
    expect((await uploadFile(r, gpt2.id, 'config.json', Buffer.from('{"n_layer": 12}'))).errors).toBeUndefined();
    expect((await r.gql(SET_ALIAS, { input: { name: 'gpt2', alias: 'production', artifactId: gpt2.id } })).errors).toBeUndefined();
    const before = (await r.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: gpt2.id })).data!.artifact;
    const files = (await r.gql(FILES, { id: gpt2.id })).data;
    const events = await (await r.scope()).store.events.readStream(artifactIdOf(gpt2.id));

    for (const url of [LOOK_ALIKE, 'https://gitlab.com/openai/gpt2', 'https://models.example.org/gpt2']) {
      const refused = await r.gql<{ updateArtifact: { artifact: RatedArtifactView } }>(UPDATE_RATED, { input: { id: gpt2.id, expectedVersion: before.version, url } });
      expect(errorCode(refused), url).toBe('DISQUALIFIED');
      const host = new URL(url).host;
      expect(refused.errors![0]!.message).toContain(`${host} is not a source the registry can rate`);
      const audit = await refusal(refused.errors![0]!.extensions!['refusalId']);
      expect(audit).toMatchObject([{ type: 'IngestRefused', payload: { artifactType: 'MODEL', url, updateOf: artifactIdOf(gpt2.id), reason: expect.stringContaining(host) } }]);
      // Nobody serves or holds the refused URL.
      expect((await r.gql<{ artifactByUrl: null }>(BY_URL, { url })).data!.artifactByUrl).toBeNull();
      expect(await (await r.scope()).store.claims.get(url as NormalizedUrl)).toBeUndefined();
    }
    const after = (await r.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: gpt2.id })).data!.artifact;
    expect(after).toEqual(before);
    expect(after.rating!.netScore.value).toBeGreaterThanOrEqual(0.5);
    expect((await r.gql(FILES, { id: gpt2.id })).data).toEqual(files);
    expect(await (await r.scope()).store.events.readStream(artifactIdOf(gpt2.id))).toEqual(events);
    expect(await byAlias('production')).toEqual({ id: gpt2.id });
  });

  it('refuses ingesting a MODEL from there: a look-alike gpt2 from Kaggle is DISQUALIFIED and nothing is registered', async () => {
    const refused = await r.gql(INGEST_RATED, { input: { type: 'MODEL', url: LOOK_ALIKE } });
    expect(errorCode(refused)).toBe('DISQUALIFIED');
    expect(refused.errors![0]!.message).toContain('www.kaggle.com is not a source the registry can rate');
    const audit = await refusal(refused.errors![0]!.extensions!['refusalId']);
    expect(audit).toMatchObject([{ type: 'IngestRefused', payload: { artifactType: 'MODEL', name: 'gpt2', url: LOOK_ALIKE } }]);
    expect((await r.gql<{ artifactByUrl: null }>(BY_URL, { url: LOOK_ALIKE })).data!.artifactByUrl).toBeNull();
    expect(await (await r.scope()).store.claims.get(LOOK_ALIKE as NormalizedUrl)).toBeUndefined();
    const named = await r.gql<ArtifactPage>(LIST, { filter: { normalizedName: 'gpt2' }, first: 10 });
    expect(named.data!.artifacts.edges.map((e) => e.node.id)).toEqual([gpt2.id]);
  });

  it('lets an UPLOAD user point gpt2/<alias> only at a gpt2 whose rating passes, not at an unrated one from old data', async () => {
    const register = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }';
    expect((await r.gql(register, { input: { username: 'uploader', password: 'a long enough password', permissions: ['UPLOAD', 'SEARCH'] } })).errors).toBeUndefined();
    const uploader = await r.login('uploader', 'a long enough password');
    // Registered before every model had to be rated, when the look-alike was still accepted.
    const unrated = await seedUnratedModel((await r.scope()).store, LOOK_ALIKE, { at: new Date(OBSERVED_AT) });
    expect(unrated.name).toBe('gpt2');

    const onto = (alias: string, artifactId: string) => r.gqlAs<{ setAlias: { moved: boolean; artifact: { id: string } } }>(uploader, SET_ALIAS, { input: { name: 'gpt2', alias, artifactId } });
    const hijack = await onto('production', unrated.id);
    expect(errorCode(hijack)).toBe('DISQUALIFIED');
    expect(hijack.errors![0]!.message).toContain('has no rating');
    expect(await byAlias('production')).toEqual({ id: gpt2.id });
    expect(errorCode(await onto('staging', unrated.id))).toBe('DISQUALIFIED');
    expect(await byAlias('staging')).toBeNull();

    const rated = await onto('staging', gpt2.id);
    expect(rated.errors).toBeUndefined();
    expect(rated.data!.setAlias).toEqual({ moved: true, artifact: { id: gpt2.id } });
    expect(await byAlias('staging')).toEqual({ id: gpt2.id });

    // Nor can the old model be re-pointed to another host it cannot be rated from.
    expect(errorCode(await r.gql(UPDATE_RATED, { input: { id: unrated.id, expectedVersion: 1, url: 'https://gitlab.com/openai/gpt2' } }))).toBe('DISQUALIFIED');
  });
});
