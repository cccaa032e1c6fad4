import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAdminToken, postGraphQL } from '../support/registry-harness.js';
import { GET, INGEST, type ArtifactView } from '../support/operations.js';
import { startReplayServers, type ReplayServers } from '../support/replay-server.js';
import { runEntryPoint, startRegistryProcess, stopRegistryProcess } from '../support/child-registry.js';

const start = startRegistryProcess;
const stop = stopRegistryProcess;
const run = (env: Record<string, string>) => runEntryPoint('src/main.ts', [], env);

let dataDir: string;
let upstream: ReplayServers;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'registry-data-'));
  // The child reads the Hub and GitHub over real HTTP, from the recorded answers.
  upstream = await startReplayServers();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await upstream.close();
  expect(upstream.unknown).toEqual([]);
});

/**
 * Each test spawns tsx, which compiles the entry point's import graph, and the server then hashes
 * the admin password with production scrypt: ~3 s idle, but 30 s and more on a 2-core machine
 * other processes keep busy. Only the timeout scales with the machine; nothing asserts speed.
 */
const SPAWN_TIMEOUT_MS = 180_000;

describe('npm start (embedded)', () => {
  it('serves GraphiQL without a CDN, ingests and rates from HF_ENDPOINT, keeps data across a restart and shuts down cleanly on Ctrl-C', async () => {
    const env = { DATA_DIR: dataDir, HF_ENDPOINT: upstream.hfEndpoint, GITHUB_API_URL: upstream.githubApiUrl };
    const first = await start(env);
    const page = await fetch(first.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('GraphiQL');
    // Every script and stylesheet is inline or from this server: nothing from another host.
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']https?:\/\//i);

    const token = await defaultAdminToken(first.url);
    const created = await postGraphQL<{ ingestArtifact: { artifact: ArtifactView } }>(first.url, INGEST, {
      input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' },
    }, token);
    const { id } = created.data!.ingestArtifact.artifact;
    expect(upstream.requests).toContain('https://huggingface.co/api/models/google-bert/bert-base-uncased?blobs=true');
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('shutting down');

    const second = await start(env);
    // Tokens live in the table too: the one from before the restart still works.
    const read = await postGraphQL<{ artifact: ArtifactView & { rating: { netScore: { value: number } } } }>(
      second.url,
      `query($id: ID!) { artifact(id: $id) { id name version ... on Model { rating { netScore { value } } } } }`,
      { id },
      token,
    );
    expect(read.data!.artifact).toMatchObject({ id, name: 'bert-base-uncased', version: 1 });
    expect(read.data!.artifact.rating.netScore.value).toBeGreaterThan(0.5);
    expect(await stop(second, 'SIGTERM')).toBe(0);
  }, SPAWN_TIMEOUT_MS);

  it.each([
    ['PORT', { PORT: 'forty' }],
    ['STORAGE', { STORAGE: 'cloud' }],
    ['TABLE_NAME', { TABLE_NAME: 'x' }],
    ['DYNAMODB_ENDPOINT', { STORAGE: 'embedded', DYNAMODB_ENDPOINT: 'http://localhost:8000' }],
  ])('refuses to start with a bad %s and names it', async (variable, env) => {
    const { code, output } = await run({ DATA_DIR: dataDir, ...env });
    expect(code).toBe(1);
    expect(output).toContain(`configuration error: ${variable}`);
  }, SPAWN_TIMEOUT_MS);
});
