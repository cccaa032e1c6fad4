import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultAdminToken, postGraphQL, postMultipart } from '../support/registry-harness.js';
import { DELETE, INGEST, type ArtifactView } from '../support/operations.js';
import { startServerChild, type ServerChild } from '../support/child-registry.js';
import { startReplayServers, type ReplayServers } from '../support/replay-server.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { KILL_BEFORE_REACTION_VARIABLE } from '../../src/application/reactions/kill-point.js';

/**
 * `npm start` killed right after a commit and before one of its reactions (the test-only kill point
 * REGISTRY_TEST_KILL_BEFORE_REACTION), then started again on the same DATA_DIR: the reaction runs
 * after the restart, replayed from the change feed, with no manual step (issue 23).
 */
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';
const TEST_TIMEOUT_MS = 600_000;
/** The replay takes items once settled (5 s) and polls every 2 s; start-up repair comes first. */
const REPLAY_WAIT_MS = 60_000;
const UPLOAD = 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path sha256 } } }';
const LINEAGE = 'query($id: ID!) { artifact(id: $id) { ... on Model { lineage { edges { parent { name } child { name } } unresolvedParents } } } }';

type Child = ServerChild;

const startChild = (env: Record<string, string>): Promise<Child> => startServerChild({ [KILL_BEFORE_REACTION_VARIABLE]: '', ...env });

/** Resolves with the signal that ended the child (the kill point's SIGKILL). */
function exited(child: Child): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => {
    child.process.removeAllListeners('exit');
    if (child.process.exitCode !== null || child.process.signalCode !== null) resolve(child.process.signalCode ?? child.process.exitCode);
    else child.process.once('exit', (code, signal) => resolve(signal ?? code));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + REPLAY_WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function holdsObjectNamed(dir: string, fragment: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true });
  return entries.some((entry) => entry.includes(fragment));
}

let upstream: ReplayServers;
let running: Child | undefined;
let dataDir: string;
beforeAll(async () => {
  const replay = new FixtureReplay();
  routeSyntheticParent(replay, CHILD, PARENT);
  upstream = await startReplayServers(replay);
  dataDir = await mkdtemp(path.join(tmpdir(), 'registry-reactions-'));
});
afterEach(() => {
  running?.process.kill('SIGKILL');
  running = undefined;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await upstream.close();
});

describe('a process killed between a commit and its reactions', () => {
  it('runs link resolution and blob release after the restart, replayed from the change feed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const env = { DATA_DIR: dataDir, HF_ENDPOINT: upstream.hfEndpoint, GITHUB_API_URL: upstream.githubApiUrl };

    // 1. The child model commits; the process dies before resolving its references.
    let child = (running = await startChild({ ...env, [KILL_BEFORE_REACTION_VARIABLE]: 'link-resolution' }));
    let token = await defaultAdminToken(child.url);
    const died = exited(child);
    const lost = await postGraphQL(child.url, INGEST, { input: { type: 'MODEL', url: `https://huggingface.co/${CHILD}` } }, token).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(Error); // no answer: the kill came first
    expect(await died).toBe('SIGKILL');

    // 2. Restarted (this time to die before a blob release): the replay writes the child's pending
    // references, so the parent, ingested now, is linked to it, whichever of the two runs first.
    child = running = await startChild({ ...env, [KILL_BEFORE_REACTION_VARIABLE]: 'blob-release' });
    token = await defaultAdminToken(child.url);
    const byUrl = await postGraphQL<{ artifactByUrl: ArtifactView | null }>(child.url, 'query($url: String!) { artifactByUrl(url: $url) { id name } }', { url: `https://huggingface.co/${CHILD}` }, token);
    const childId = byUrl.data!.artifactByUrl!.id;
    const parent = await postGraphQL<{ ingestArtifact: { artifact: ArtifactView } }>(child.url, INGEST, { input: { type: 'MODEL', url: `https://huggingface.co/${PARENT}` } }, token);
    expect(parent.errors).toBeUndefined();
    const url = child.url;
    const edges = await until('the child linked to its parent', async () => {
      const lineage = await postGraphQL<{ artifact: { lineage: { edges: { parent: { name: string }; child: { name: string } }[] } } }>(url, LINEAGE, { id: childId }, token);
      const found = lineage.data?.artifact.lineage.edges ?? [];
      return found.length > 0 ? found : undefined;
    });
    expect(edges).toContainEqual({ parent: { name: 'roberta-base' }, child: { name: 'roberta-base-squad2' } });

    // 3. A file's only holder is deleted; the process dies before releasing the blob.
    const code = await postGraphQL<{ ingestArtifact: { artifact: ArtifactView } }>(child.url, INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/reactions/blob-holder' } }, token);
    const codeId = code.data!.ingestArtifact.artifact.id;
    const bytes = Buffer.from(`bytes only one artifact holds ${Date.now()}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const uploaded = await postMultipart<{ uploadFile: { file: { sha256: string } } }>(child.url, UPLOAD, { input: { artifactId: codeId, path: 'only.bin', file: null } }, { 'input.file': bytes }, token);
    expect(uploaded.data?.uploadFile.file.sha256).toBe(sha256);
    const version = (await postGraphQL<{ artifact: { version: number } }>(child.url, 'query($id: ID!) { artifact(id: $id) { version } }', { id: codeId }, token)).data!.artifact.version;
    expect(await holdsObjectNamed(path.join(dataDir, 's3'), sha256)).toBe(true);
    const dying = exited(child);
    const unanswered = await postGraphQL(child.url, DELETE, { input: { id: codeId, expectedVersion: version } }, token).catch((error: unknown) => error);
    expect(unanswered).toBeInstanceOf(Error);
    expect(await dying).toBe('SIGKILL');
    expect(await holdsObjectNamed(path.join(dataDir, 's3'), sha256)).toBe(true);

    // 4. Restarted: the replay releases the blob nobody holds.
    child = running = await startChild(env);
    await until('the unheld blob deleted', async () => ((await holdsObjectNamed(path.join(dataDir, 's3'), sha256)) ? undefined : true));
    // The pass logs once it has moved its checkpoints, a moment after the blob went.
    const restartedChild = child;
    await until('the replay logged', async () => (/replay: \d+ reactions replayed from the change feed/.test(restartedChild.output()) ? true : undefined));
  });
});
