import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/application/rebuild-projections.js';
import { applyEvent } from '../../src/domain/artifact-state.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';
import { newArtifactId, type ActorId, type ArtifactId } from '../../src/domain/ids.js';
import type { Rating } from '../../src/domain/rating/rating.js';
import type { FetchFn } from '../../src/upstream/http-client.js';
import { AUTH_CALLS_PER_REQUEST, errorCode, startTestRegistry, useTestRegistry, type GraphQLResponse, type TestRegistry } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { FixtureReplay, replayFetch } from '../support/fixture-replay.js';
import { seedUnratedModel } from '../support/seeded-models.js';
import { BY_URL, DELETE, GET_RATED, HISTORY, INGEST, INGEST_RATED, RATE_MODEL, type RatedArtifactView, type RatingView } from '../support/operations.js';

/** A clock the tests move: ratings record when they were made. */
let now = Date.parse('2025-06-01T00:00:00.000Z');
const clock = { now: () => new Date(now) };

const t = useTestRegistry({ clock });

type Ingested = GraphQLResponse<{ ingestArtifact: { artifact: RatedArtifactView } }>;
const ingest = (input: Record<string, unknown>): Promise<Ingested> => t.gql(INGEST_RATED, { input });

async function ingestOk(input: Record<string, unknown>): Promise<RatedArtifactView> {
  const response = await ingest(input);
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

async function streamCount(registry: TestRegistry = t): Promise<number> {
  let count = 0;
  for await (const ids of (await registry.scope()).store.events.allStreamIds()) count += ids.length;
  return count;
}

const METRICS = ['netScore', 'rampUpTime', 'busFactor', 'performanceClaims', 'license', 'datasetAndCodeScore', 'datasetQuality', 'codeQuality', 'reproducibility', 'reviewedness', 'treeScore'] as const;

const inRange = (value: number | null): boolean => value !== null && value >= 0 && value <= 1;

/** Every metric present, in range or null (not applicable), timed and explained; the net score always a number. */
function expectComplete(rating: RatingView | null | undefined): void {
  expect(rating).toBeTruthy();
  expect(inRange(rating!.netScore.value)).toBe(true);
  for (const name of METRICS) {
    const metric = rating![name];
    expect(metric.value === null || inRange(metric.value), `${name} = ${metric.value}`).toBe(true);
    expect(metric.latencySeconds).toBeGreaterThanOrEqual(0);
    expect(metric.explanation.length).toBeGreaterThan(20);
    if (metric.value === null) expect(metric.explanation).toMatch(/not applicable/i);
  }
  for (const device of ['raspberryPi', 'jetsonNano', 'desktopPc', 'awsServer'] as const) {
    expect(rating!.sizeScore[device] === null || inRange(rating!.sizeScore[device])).toBe(true);
  }
  expect(rating!.sizeScore.explanation.length).toBeGreaterThan(20);
}

describe('ingest rates a model and stores the rating once', () => {
  let bert: RatedArtifactView;

  it('registers bert-base-uncased with its rating in the one registration event, and serves that snapshot', async () => {
    bert = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    expectComplete(bert.rating);
    // Hand-checked in test/unit/rating-rules.test.ts: 0.692143 / 0.76.
    expect(bert.rating!.netScore.value).toBeCloseTo(0.9107, 4);
    expect(bert.rating!.ratedAt).toBe('2025-06-01T00:00:00.000Z');
    expect(bert.version).toBe(1);

    const events = await (await t.scope()).store.events.readStream(artifactIdOf(bert.id));
    expect(events.map((e) => e.type)).toEqual(['ArtifactRegistered']);
    const registered = events[0] as Extract<ArtifactEvent, { type: 'ArtifactRegistered' }>;
    expect(registered.payload.rating).toEqual(bert.rating);
    expect(registered.payload.metadata).toMatchObject({ source: 'huggingface-model', repoId: 'google-bert/bert-base-uncased', license: 'apache-2.0', sizeBytes: 440_425_712, codeUrl: 'https://github.com/google-research/bert' });

    // Reading it back returns the stored snapshot, not a fresh rating: no upstream call is made.
    const before = t.upstream.requests.length;
    now += 60_000;
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: bert.id });
    expect(read.data!.artifact.rating).toEqual(bert.rating);
    expect(t.upstream.requests.length).toBe(before);
  });

  it('serves the README from the detail item, in one extra read', async () => {
    const calls = t.registry.dynamo.calls.total;
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: bert.id });
    expect(read.data!.artifact.readme).toMatch(/^---\nlanguage: en/);
    expect(read.data!.artifact.readme).toContain('# BERT base model (uncased)');
    // One BatchGet for the projection, one for the README (after the request's token and user reads).
    expect(t.registry.dynamo.calls.total - calls).toBe(AUTH_CALLS_PER_REQUEST + 2);
  });

  it('shows registration with its net score in history', async () => {
    type H = { artifact: { history: { edges: { node: { type: string; changes: string } }[] } } };
    const history = await t.gql<H>(HISTORY, { id: bert.id });
    const [entry] = history.data!.artifact.history.edges;
    expect(entry!.node.type).toBe('REGISTERED');
    expect(JSON.parse(entry!.node.changes)).toEqual({
      artifactType: 'MODEL',
      name: 'bert-base-uncased',
      url: 'https://huggingface.co/google-bert/bert-base-uncased',
      source: 'huggingface-model',
      netScore: bert.rating!.netScore.value,
      ratedAt: bert.rating!.ratedAt,
    });
  });

  it('answers CONFLICT for a URL already registered, before asking the Hub anything', async () => {
    const before = t.upstream.requests.length;
    const again = await ingest({ type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', existingId: bert.id });
    expect(t.upstream.requests.length).toBe(before);
  });

  it('follows the Hub 307 for a legacy id (t5-small -> google-t5/t5-small) and keeps the URL as given', async () => {
    const t5 = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/t5-small' });
    expect(t5.url).toBe('https://huggingface.co/t5-small');
    const [state] = await (await t.scope()).store.projections.getMany([artifactIdOf(t5.id)]);
    expect(state!.metadata).toMatchObject({ source: 'huggingface-model', repoId: 'google-t5/t5-small', datasets: ['c4'] });
    expect(t5.rating!.datasetQuality.explanation).toContain('c4 6/7');
  });

  it('rates a model without a GitHub link (gpt2): reviewedness is null (not applicable), says why, and does not count against it', async () => {
    const gpt2 = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' });
    expect(gpt2.rating!.reviewedness).toMatchObject({ value: null, explanation: expect.stringContaining('no GitHub repository is linked') });
    // The card was not recorded: the metrics say so instead of scoring it 0.
    expect(gpt2.rating!.rampUpTime.explanation).toContain('could not be read');
  });

  it('uses the net score of a registered parent for treeScore (roberta-base-squad2 -> FacebookAI/roberta-base)', async () => {
    // The pack has no recording of roberta-base itself, so it is registered here with bert's rating.
    const parentRating = { ...(bert.rating as unknown as Rating) };
    await seedModel('https://huggingface.co/FacebookAI/roberta-base', parentRating);
    const roberta = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/deepset/roberta-base-squad2' });
    expect(roberta.rating!.treeScore.value).toBeCloseTo(parentRating.netScore.value, 4);
    expect(roberta.rating!.treeScore.explanation).toContain('FacebookAI/roberta-base');
  });
});

describe('listing rated models stays cheap', () => {
  it('a page with ratings costs one query; asking for READMEs adds one BatchGet for the whole page', async () => {
    const page = (fields: string) => `{ artifacts(first: 50) { edges { node { id ${fields} ... on Model { rating { netScore { value } } } } } } }`;
    let calls = t.registry.dynamo.calls.total;
    const listed = await t.gql<{ artifacts: { edges: { node: RatedArtifactView }[] } }>(page(''));
    expect(t.registry.dynamo.calls.total - calls).toBe(AUTH_CALLS_PER_REQUEST + 1);
    expect(listed.data!.artifacts.edges.filter((e) => e.node.rating).length).toBeGreaterThanOrEqual(4);
    calls = t.registry.dynamo.calls.total;
    const withReadmes = await t.gql<{ artifacts: { edges: { node: RatedArtifactView }[] } }>(page('readme'));
    expect(t.registry.dynamo.calls.total - calls).toBe(AUTH_CALLS_PER_REQUEST + 2);
    expect(withReadmes.data!.artifacts.edges.filter((e) => e.node.readme).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the ingest gate', () => {
  it('refuses Meta-Llama-3-8B-Instruct for its llama3 license (not its 16 GB): DISQUALIFIED with the full rating, no artifact, one audit event', async () => {
    const streams = await streamCount();
    const response = await ingest({ type: 'MODEL', url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' });
    expect(errorCode(response)).toBe('DISQUALIFIED');
    const extensions = response.errors![0]!.extensions as { rating: RatingView; failures: { metric: string; value: number }[]; refusalId: string };
    expectComplete(extensions.rating);
    expect(extensions.rating.license).toMatchObject({ value: 0, explanation: expect.stringContaining('llama3') });
    // Gated with manual approval: the ramp-up explanation says so.
    expect(extensions.rating.rampUpTime.explanation).toContain('manual approval');
    // Size is judged by the best device (a desktop holds 16 GB): only the license, and the net score it drags down, fail.
    expect(extensions.failures).toEqual([{ metric: 'netScore', value: 0.3664 }, { metric: 'license', value: 0 }]);
    expect(response.errors![0]!.message).toContain('license 0');
    expect(extensions.rating.sizeScore).toMatchObject({ raspberryPi: 0, jetsonNano: 0, desktopPc: 0.8561 });

    // Nothing is registered: no lookup finds it, and its URL is free.
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' })).data!.artifactByUrl).toBeNull();
    expect(await (await t.scope()).store.claims.get('https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' as NormalizedUrl)).toBeUndefined();
    // The audit record: one stream, one IngestRefused event carrying the same rating.
    expect(await streamCount()).toBe(streams + 1);
    const audit = await (await t.scope()).store.events.readStream(extensions.refusalId as ArtifactId);
    expect(audit).toMatchObject([{ type: 'IngestRefused', version: 1, payload: { url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct', rating: extensions.rating } }]);
    expect(await (await t.scope()).store.loadCurrent(extensions.refusalId as ArtifactId)).toBeUndefined();

    // Trying again is refused again, not a CONFLICT.
    expect(errorCode(await ingest({ type: 'MODEL', url: 'https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct' }))).toBe('DISQUALIFIED');
  });

  it('registers recorded multi-GB models: sizeScore counts by its best device (flan-t5-xxl 45 GB, zephyr-orpo-141b 281 GB)', async () => {
    const flan = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/google/flan-t5-xxl' });
    expectComplete(flan.rating);
    expect(flan.rating!.sizeScore).toMatchObject({ raspberryPi: 0, jetsonNano: 0, awsServer: 1, explanation: expect.stringContaining('45') });
    const zephyr = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1' });
    expect(zephyr.rating!.sizeScore).toMatchObject({ raspberryPi: 0, jetsonNano: 0, desktopPc: 0, awsServer: 0.6406 });
    expect(zephyr.rating!.netScore.value).toBeGreaterThanOrEqual(0.5);
  });

  it('registers a model whose weight size is unknown: every device null over GraphQL, the explanation says why', async () => {
    const blip = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/Salesforce/blip-image-captioning-base' });
    expect(blip.rating!.sizeScore).toMatchObject({ raspberryPi: null, jetsonNano: null, desktopPc: null, awsServer: null, explanation: expect.stringContaining('Not applicable: the weight size is unknown') });
    expect(blip.rating!.netScore.explanation).toContain('sizeScore');
  });

  it('refuses a model with no license (dbmdz, no card either)', async () => {
    const response = await ingest({ type: 'MODEL', url: 'https://huggingface.co/dbmdz/bert-large-cased-finetuned-conll03-english' });
    expect(errorCode(response)).toBe('DISQUALIFIED');
    const rating = (response.errors![0]!.extensions as { rating: RatingView }).rating;
    expect(rating.license).toMatchObject({ value: 0, explanation: expect.stringContaining('No license declared') });
    expect(rating.rampUpTime.explanation).toContain('no model card');
  });

  it('refuses a model from a host it cannot rate (Kaggle), over GraphQL and REST (424): the reason names the host, nothing is registered, one audit event each', async () => {
    const url = 'https://www.kaggle.com/models/google/gemma';
    const streams = await streamCount();
    const requests = t.upstream.requests.length;
    const response = await ingest({ type: 'MODEL', url });
    expect(errorCode(response)).toBe('DISQUALIFIED');
    expect(response.errors![0]!.message).toContain('www.kaggle.com is not a source the registry can rate');
    const extensions = response.errors![0]!.extensions as { failures: unknown[]; refusalId: string; rating?: unknown };
    // No rating to show: the refusal comes before anything is read.
    expect(extensions.failures).toEqual([]);
    expect(extensions.rating).toBeUndefined();
    expect(t.upstream.requests.length).toBe(requests);

    const rest = await fetch(`${t.origin}/artifact/model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${t.adminToken}` },
      body: JSON.stringify({ url }),
    });
    expect(rest.status).toBe(424);
    expect(await rest.json()).toMatchObject({ code: 'DISQUALIFIED', message: expect.stringContaining('www.kaggle.com'), failures: [] });

    // Nothing is registered: no lookup finds it, and its URL is free.
    expect((await t.gql<{ artifactByUrl: null }>(BY_URL, { url })).data!.artifactByUrl).toBeNull();
    expect(await (await t.scope()).store.claims.get(url as NormalizedUrl)).toBeUndefined();
    // One audit stream per refusal, with the reason and no rating.
    expect(await streamCount()).toBe(streams + 2);
    const audit = await (await t.scope()).store.events.readStream(extensions.refusalId as ArtifactId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ type: 'IngestRefused', version: 1, payload: { artifactType: 'MODEL', name: 'gemma', url, reason: expect.stringContaining('www.kaggle.com') } });
    expect(audit[0]!.payload).not.toHaveProperty('rating');
  });

  it('leaves refusals out of projections when they are rebuilt', async () => {
    const report = await rebuildProjections((await t.scope()).store);
    expect(report.repaired).toBe(0);
    expect(report.streams).toBe(await streamCount());
  });
});

describe('datasets and code are registered with their metadata from any host, not gated', () => {
  it('stores a Hub dataset\'s metadata and README (zed-industries/zeta)', async () => {
    const zeta = await ingestOk({ type: 'DATASET', url: 'https://huggingface.co/datasets/zed-industries/zeta' });
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: zeta.id });
    expect(read.data!.artifact.readme).toContain('# Dataset for Zeta');
    const [state] = await (await t.scope()).store.projections.getMany([artifactIdOf(zeta.id)]);
    expect(state!.metadata).toEqual(expect.objectContaining({ source: 'huggingface-dataset', license: 'apache-2.0', sizeBytes: 180365597, readme: { status: 'present', length: 2234, truncated: false } }));
    expect(state!.rating).toBeUndefined();
  });

  it('stores a GitHub repository\'s license, stars and README (sigmavirus24/github3.py)', async () => {
    const code = await ingestOk({ type: 'CODE', url: 'https://github.com/sigmavirus24/github3.py' });
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: code.id });
    expect(read.data!.artifact.readme).toContain('github3.py');
    const [state] = await (await t.scope()).store.projections.getMany([artifactIdOf(code.id)]);
    expect(state!.metadata).toMatchObject({ source: 'github', fullName: 'sigmavirus24/github3.py', license: 'BSD-3-Clause', stars: 1137 });
  });

  it('registers a dataset and code from a host it cannot read (Kaggle) with what the URL says, without upstream calls', async () => {
    const before = t.upstream.requests.length;
    const dataset = await ingestOk({ type: 'DATASET', url: 'https://www.kaggle.com/datasets/google/gemma-eval' });
    const code = await ingestOk({ type: 'CODE', url: 'https://www.kaggle.com/code/google/gemma-quickstart' });
    expect([dataset, code]).toMatchObject([{ type: 'DATASET', name: 'gemma-eval' }, { type: 'CODE', name: 'gemma-quickstart' }]);
    for (const { id } of [dataset, code]) {
      expect((await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id })).data!.artifact.readme).toBeNull();
      const [state] = await (await t.scope()).store.projections.getMany([artifactIdOf(id)]);
      expect(state!.metadata).toEqual({ source: 'other', host: 'www.kaggle.com', readme: { status: 'unavailable' } });
    }
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('rateModel', () => {
  it('re-rates from fresh evidence and appends a RATED event', async () => {
    const model = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/microsoft/DialoGPT-small' });
    now += 3_600_000;
    const response = await t.gql<{ rateModel: { artifact: RatedArtifactView } }>(RATE_MODEL, { id: model.id });
    expect(response.errors).toBeUndefined();
    const rerated = response.data!.rateModel.artifact;
    expect(rerated.version).toBe(2);
    expect(rerated.rating!.ratedAt).toBe(new Date(now).toISOString());
    expect(rerated.rating!.netScore.value).toBe(model.rating!.netScore.value);
    const events = await (await t.scope()).store.events.readStream(artifactIdOf(model.id));
    expect(events.map((e) => e.type)).toEqual(['ArtifactRegistered', 'ModelRated']);
    type H = { artifact: { history: { edges: { node: { type: string; changes: string } }[] } } };
    const history = await t.gql<H>(HISTORY, { id: model.id });
    expect(history.data!.artifact.history.edges.map((e) => e.node.type)).toEqual(['REGISTERED', 'RATED']);
    expect(JSON.parse(history.data!.artifact.history.edges[1]!.node.changes)).toEqual({ netScore: rerated.rating!.netScore.value, ratedAt: rerated.rating!.ratedAt });
    // The stored snapshot is now the new one.
    expect((await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: model.id })).data!.artifact.rating).toEqual(rerated.rating);
  });

  it('rates only live models the registry can read', async () => {
    const code = await ingestOk({ type: 'CODE', url: 'https://github.com/octokit/octokit.rb' });
    expect(errorCode(await t.gql(RATE_MODEL, { id: code.id }))).toBe('BAD_USER_INPUT');
    // A model from before every model was rated: its host has nothing to rate it from.
    const kaggle = await seedUnratedModel((await t.scope()).store, 'https://www.kaggle.com/models/org/unreadable', { at: new Date(now) });
    const refused = await t.gql(RATE_MODEL, { id: kaggle.id });
    expect(refused.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('Hugging Face Hub only') });
    const gone = await ingestOk({ type: 'MODEL', url: 'https://huggingface.co/facebook/bart-base' });
    await t.gql(DELETE, { input: { id: gone.id, expectedVersion: 1 } });
    expect(errorCode(await t.gql(RATE_MODEL, { id: gone.id }))).toBe('NOT_FOUND');
    expect(errorCode(await t.gql(RATE_MODEL, { id: 'not-an-id' }))).toBe('BAD_USER_INPUT');
  });
});

describe('13 concurrent ingests of different models', () => {
  it('all succeed, each with a complete rating stored', async () => {
    const fresh = await startTestRegistry(t.storage);
    try {
      const models = [
        'alefiury/wav2vec2-large-xlsr-53-gender-recognition-librispeech',
        'CompVis/stable-diffusion-v1-4',
        'dandelin/vilt-b32-finetuned-vqa',
        'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
        'espnet/kan-bayashi_ljspeech_vits',
        'facebook/detr-resnet-50',
        'facebook/detr-resnet-50-panoptic',
        'google/flan-t5-large',
        'google/tapas-base-finetuned-wtq',
        'jonatasgrosman/wav2vec2-large-xlsr-53-english',
        'naver-clova-ix/donut-base-finetuned-docvqa',
        'Salesforce/blip-image-captioning-base',
        'sshleifer/distilbart-cnn-12-6',
      ];
      const responses = await Promise.all(models.map((id) => fresh.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: `https://huggingface.co/${id}` } })));
      for (const [i, response] of responses.entries()) {
        expect(response.errors, models[i]).toBeUndefined();
        expectComplete(response.data!.ingestArtifact.artifact.rating);
      }
      const states = await (await fresh.scope()).store.projections.getMany(responses.map((r) => artifactIdOf(r.data!.ingestArtifact.artifact.id)));
      expect(states.map((s) => s?.rating)).toEqual(responses.map((r) => r.data!.ingestArtifact.artifact.rating));
      expect(fresh.serverErrors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('upstream failures store nothing', () => {
  /** A registry whose upstream answers from `replay`, or from `fetch` when given. */
  async function withRegistry(options: { replay?: FixtureReplay; fetch?: FetchFn; timeoutMs?: number }, run: (r: TestRegistry) => Promise<void>) {
    const registry = await startTestRegistry(t.storage, {
      ...(options.replay && { replay: options.replay }),
      upstream: { ...(options.fetch && { fetch: options.fetch }), ...(options.timeoutMs && { timeoutMs: options.timeoutMs }) },
    });
    try {
      await run(registry);
      expect(await streamCount(registry)).toBe(0);
      expect(registry.serverErrors).toEqual([]);
    } finally {
      await registry.close();
    }
  }

  it('a model the Hub does not have is BAD_USER_INPUT ("no such model on the Hub")', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/api/models/nobody/nothing?blobs=true', { status: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"Repository not found"}' });
    await withRegistry({ replay }, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/nobody/nothing' } });
      expect(response.errors![0]).toMatchObject({ message: 'no such model on the Hub: nobody/nothing', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });

  it('a failing Hub (503 on every attempt) is UPSTREAM_UNAVAILABLE', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/api/models/openai-community/gpt2?blobs=true', { status: 503, headers: {}, body: 'unavailable' });
    await withRegistry({ replay }, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } });
      expect(response.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'Hugging Face Hub' }, message: expect.stringContaining('HTTP 503 (after 3 attempts)') });
      expect(r.upstream.requests.filter((q) => q.url.includes('gpt2'))).toHaveLength(3);
    });
  });

  it('malformed JSON from the Hub is UPSTREAM_UNAVAILABLE', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/api/models/openai-community/gpt2?blobs=true', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"_id":"621ffdc036468d709f174347","id":"openai-community/gpt2",' });
    await withRegistry({ replay }, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } });
      expect(response.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' }, message: expect.stringContaining('not JSON') });
    });
  });

  it('a Hub that does not answer in time is UPSTREAM_UNAVAILABLE', async () => {
    const replayed = replayFetch();
    const hanging: FetchFn = (url, init) =>
      url.includes('/api/models/')
        ? new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
        : replayed(url, init);
    await withRegistry({ fetch: hanging, timeoutMs: 50 }, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } });
      expect(response.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' }, message: expect.stringContaining('no answer within 50 ms') });
    });
  });

  it('GitHub failing for the linked code fails the ingest rather than storing a rating without it', async () => {
    const replay = new FixtureReplay().route('https://api.github.com/repos/google-research/bert', { status: 502, headers: {}, body: 'bad gateway' });
    await withRegistry({ replay }, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
      expect(response.errors![0]).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'GitHub' } });
    });
  });

  it('a dataset card failing with 500 fails the model ingest', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/datasets/c4/raw/main/README.md', { status: 500, headers: {}, body: 'oops' });
    await withRegistry({ replay }, async (r) => {
      expect(errorCode(await r.gql(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/google-t5/t5-small' } }))).toBe('UPSTREAM_UNAVAILABLE');
    });
  });

  it('a GitHub repository that does not exist is BAD_USER_INPUT (recorded 404)', async () => {
    await withRegistry({}, async (r) => {
      const response = await r.gql(INGEST, { input: { type: 'CODE', url: 'https://github.com/jacquev6/Xxx' } });
      expect(response.errors![0]).toMatchObject({ message: 'no such repository on GitHub: jacquev6/Xxx', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });
});

/** Registers a rated model directly through the store, as an ingest would have. */
async function seedModel(url: string, rating: Rating): Promise<ArtifactId> {
  const id = newArtifactId();
  const at = new Date(now).toISOString();
  expect(await (await t.scope()).store.claims.claim(url as NormalizedUrl, id, at)).toEqual({ claimed: true });
  const event: ArtifactEvent = {
    type: 'ArtifactRegistered',
    payload: { artifactType: 'MODEL', name: url.split('/').pop() as ArtifactName, url: url as NormalizedUrl, rating },
    artifactId: id,
    version: 1,
    at,
    actor: 'seed' as ActorId,
  };
  expect(await (await t.scope()).store.events.append(event)).toBe('appended');
  await (await t.scope()).store.project(applyEvent(undefined, event), [event]);
  return id;
}
