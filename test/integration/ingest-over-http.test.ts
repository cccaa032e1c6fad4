import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { errorCode, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { startReplayServers, type ReplayServers } from '../support/replay-server.js';
import { GET_RATED, INGEST_RATED, type RatedArtifactView, type RatingView } from '../support/operations.js';
import { fixtureRating } from '../support/fixture-ratings.js';
import { createUpstream } from '../../src/upstream/upstream.js';

/**
 * The same ingest flow as everywhere else, but over real HTTP: the registry uses the platform
 * `fetch` against local servers replaying the recordings, with HF_ENDPOINT and GITHUB_API_URL
 * pointed at them, as a deployment would point them at the Hub and GitHub.
 */
let storage: EmbeddedStorage;
let servers: ReplayServers;
let t: TestRegistry;
const clock = { now: () => new Date('2025-06-01T00:00:00.000Z') };

beforeAll(async () => {
  storage = await startStorage();
  servers = await startReplayServers();
  t = await startTestRegistry(storage, {
    clock,
    upstream: { hfEndpoint: servers.hfEndpoint, githubApiUrl: servers.githubApiUrl, fetch: (url, init) => globalThis.fetch(url, init) },
  });
});
afterAll(async () => {
  expect(t.serverErrors).toEqual([]);
  await t.close();
  await servers.close();
  await storage.close();
  expect(servers.unknown).toEqual([]);
});

/** Latencies and rating time differ between runs; everything else must not. */
const comparable = (rating: RatingView | null | undefined) =>
  JSON.parse(JSON.stringify(rating, (key, value: unknown) => (key === 'latencySeconds' || key === 'ratedAt' ? undefined : value))) as unknown;

describe('ingest over HTTP against replay servers', () => {
  it('rates bert-base-uncased exactly as the in-process replay does', async () => {
    const response = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
    expect(response.errors).toBeUndefined();
    const { rating } = response.data!.ingestArtifact.artifact;
    expect(comparable(rating)).toEqual(comparable(await fixtureRating('google-bert/bert-base-uncased') as unknown as RatingView));
    // The card, both dataset cards and the GitHub lookup of the linked code all went over HTTP.
    expect(servers.requests).toEqual(
      expect.arrayContaining([
        'https://huggingface.co/api/models/google-bert/bert-base-uncased?blobs=true',
        'https://huggingface.co/google-bert/bert-base-uncased/raw/main/README.md',
        'https://huggingface.co/datasets/bookcorpus/raw/main/README.md',
        'https://huggingface.co/datasets/wikipedia/raw/main/README.md',
        'https://api.github.com/repos/google-research/bert',
      ]),
    );
  });

  it('follows the Hub 307 for a legacy id over HTTP', async () => {
    const response = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/t5-small' } });
    expect(response.errors).toBeUndefined();
    expect(servers.requests).toContain('https://huggingface.co/api/models/google-t5/t5-small');
  });

  it('refuses a gated llama3 model with its rating', async () => {
    const response = await t.gql(INGEST_RATED, { input: { type: 'MODEL', url: 'https://huggingface.co/meta-llama/Meta-Llama-3-70B-Instruct' } });
    expect(errorCode(response)).toBe('DISQUALIFIED');
  });

  it('reads a Hub dataset and a GitHub repository with their READMEs', async () => {
    const dataset = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'DATASET', url: 'https://huggingface.co/datasets/zed-industries/zeta' } });
    const code = await t.gql<{ ingestArtifact: { artifact: RatedArtifactView } }>(INGEST_RATED, { input: { type: 'CODE', url: 'https://github.com/PyGithub/PyGithub' } });
    for (const response of [dataset, code]) expect(response.errors).toBeUndefined();
    const read = await t.gql<{ artifact: RatedArtifactView }>(GET_RATED, { id: code.data!.ingestArtifact.artifact.id });
    expect(read.data!.artifact.readme).toContain('PyGithub');
  });
});

describe('the clients over HTTP', () => {
  it('follow GitHub Link pagination and 301s to the servers they were configured with', async () => {
    const { github } = createUpstream({ hfEndpoint: servers.hfEndpoint, githubApiUrl: servers.githubApiUrl });
    const contributors = await github.contributors('sigmavirus24', 'github3.py');
    expect(contributors.ok && contributors.value.contributors).toHaveLength(102);
    const renamed = await github.repo('github3py', 'github3.py');
    expect(renamed.ok && renamed.value.fullName).toBe('github3py/github3py');
    expect(servers.requests).toEqual(expect.arrayContaining(['https://api.github.com/repositories/3710711/contributors?per_page=100&page=2', 'https://api.github.com/repositories/4464822']));
  });
});
