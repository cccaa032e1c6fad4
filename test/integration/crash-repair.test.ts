import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startEmbeddedStorage } from '../../src/server/embedded-storage.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newArtifactId } from '../../src/domain/ids.js';
import { parseArtifactUrl, type NormalizedUrl } from '../../src/domain/artifact-url.js';
import { CLEAN_SHUTDOWN_FILE, checkLastShutdown, markCleanShutdown, repairAfterCrash } from '../../src/server/crash-repair.js';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { loseProjection, renameWithoutProjection } from '../support/lost-projections.js';
import { BY_URL, GET, INGEST, LIST, type ArtifactPage, type ArtifactView } from '../support/operations.js';

const t = useTestRegistry();

function normalizedUrlOf(raw: string): NormalizedUrl {
  const parsed = parseArtifactUrl(raw, 'CODE');
  if (!parsed.ok) throw new Error(`not an artifact URL: ${raw}`);
  return parsed.value.url;
}
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'crash-repair-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function ingest(url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url } });
  return response.data!.ingestArtifact.artifact;
}

const listedIds = async (): Promise<string[]> =>
  (await t.gql<ArtifactPage>(LIST, { first: 100 })).data!.artifacts.edges.map((edge) => edge.node.id);

describe('the start-up repair after a crash', () => {
  it('rebuilds projections never written or behind, and frees URL claims whose writer died before committing', async () => {
    const { store } = await t.scope();
    // Committed, but the process died before its projection was written.
    const unprojected = await ingest('https://gitlab.com/crash/unprojected');
    await loseProjection(t, unprojected.id);
    // One event ahead of its projection.
    const behind = await ingest('https://gitlab.com/crash/behind');
    expect(await renameWithoutProjection(t, behind.id, 2, 'renamed')).toBe('appended');
    // Claimed by an ingest that died before its event.
    const orphanUrl = 'https://gitlab.com/crash/orphan-claim';
    expect(await store.claims.claim(normalizedUrlOf(orphanUrl), newArtifactId(), new Date().toISOString(), 'CODE')).toEqual({ claimed: true });

    // What users saw before any repair (issue 13).
    expect((await t.gql<{ artifact: ArtifactView | null }>(GET, { id: unprojected.id })).data!.artifact).toBeNull();
    expect((await t.gql<{ artifactByUrl: ArtifactView | null }>(BY_URL, { url: unprojected.url })).data!.artifactByUrl).toBeNull();
    expect(await listedIds()).not.toContain(unprojected.id);
    // (A new ingest of `unprojected.url` would be refused too, and would repair that one projection on its way.)
    expect(errorCode(await t.gql(INGEST, { input: { type: 'CODE', url: orphanUrl } }))).toBe('CONFLICT');

    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const report = await repairAfterCrash(t.registry, await checkLastShutdown(dataDir, log), log);
    expect(report).toMatchObject({ projectionsRepaired: 2, claimsReleased: 1, phantomsRemoved: 0 });
    expect(lines.join('\n')).toContain('no clean-shutdown marker');
    expect(lines.at(-1)).toMatch(/2 projections rebuilt, 0 phantom index entries removed, 1 dead URL claims released/);

    expect((await t.gql<{ artifact: ArtifactView }>(GET, { id: unprojected.id })).data!.artifact).toMatchObject({ id: unprojected.id, version: 1 });
    expect((await t.gql<{ artifactByUrl: ArtifactView }>(BY_URL, { url: unprojected.url })).data!.artifactByUrl.id).toBe(unprojected.id);
    expect(await listedIds()).toEqual(expect.arrayContaining([unprojected.id, behind.id]));
    expect((await t.gql<{ artifact: ArtifactView }>(GET, { id: behind.id })).data!.artifact).toMatchObject({ version: 2, name: 'renamed' });
    // The live holder keeps its URL; the dead claim no longer blocks one.
    expect(errorCode(await t.gql(INGEST, { input: { type: 'CODE', url: unprojected.url } }))).toBe('CONFLICT');
    expect((await ingest(orphanUrl)).url).toBe(orphanUrl);
  });

  it('skips the pass after a clean shutdown and consumes the marker, so a later crash is noticed', async () => {
    await markCleanShutdown(dataDir);
    expect(await readdir(dataDir)).toContain(CLEAN_SHUTDOWN_FILE);
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await repairAfterCrash(t.registry, await checkLastShutdown(dataDir, log), log)).toBeUndefined();
    expect(lines).toEqual([]);
    expect(await readdir(dataDir)).not.toContain(CLEAN_SHUTDOWN_FILE);
    // Nothing to fix now: the pass finds a consistent store.
    expect(await repairAfterCrash(t.registry, await checkLastShutdown(dataDir, () => {}), () => {})).toMatchObject({ projectionsRepaired: 0, claimsReleased: 0, phantomsRemoved: 0 });
  });
});

describe('an S3 object whose write was killed (s3rver)', () => {
  const headBucket = async (dir: string): Promise<number> => {
    const storage = await startEmbeddedStorage({ dataDir: dir });
    const s3 = new S3Client({ region: 'us-east-1', endpoint: storage.s3Endpoint, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      return (await s3.send(new HeadBucketCommand({ Bucket: 'registry-blobs' }))).$metadata.httpStatusCode ?? 0;
    } catch (error) {
      return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1;
    } finally {
      s3.destroy();
      await storage.close();
    }
  };

  it('is dropped before s3rver starts, which otherwise answers 500 to every HeadBucket and ListObjects', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'crash-s3-'));
    try {
      const staging = path.join(dir, 's3', 'registry-blobs', 'staging');
      await mkdir(staging, { recursive: true });
      await writeFile(path.join(staging, 'kept._S3rver_object'), 'whole');
      await writeFile(path.join(staging, 'kept._S3rver_metadata.json'), '{"content-type":"text/plain"}');
      await writeFile(path.join(staging, 'torn._S3rver_object'), 'half');
      await writeFile(path.join(staging, 'torn._S3rver_metadata.json'), '{"content-t');
      expect(await headBucket(dir)).toBe(500);

      const lines: string[] = [];
      expect(await checkLastShutdown(dir, (line) => lines.push(line))).toEqual({ crashed: true });
      expect(lines).toContain(`repair: removed S3 object ${path.join('registry-blobs', 'staging', 'torn')}, whose write was cut short`);
      expect((await readdir(staging)).filter((name) => name.startsWith('torn'))).toEqual([]);
      expect(await readdir(staging)).toEqual(expect.arrayContaining(['kept._S3rver_metadata.json', 'kept._S3rver_object']));
      expect(await headBucket(dir)).toBe(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
