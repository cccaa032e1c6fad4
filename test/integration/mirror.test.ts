import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { DEFAULT_FILE_LIMITS } from '../../src/config.js';
import { errorCode, startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { FILE_URLS, httpRequest, sha256Hex } from '../support/files.js';
import { generatedChunks, startFakeHub, type FakeHub } from '../support/fake-hub.js';

let storage: EmbeddedStorage;
let hub: FakeHub;
let t: TestRegistry;
let counter = 0;
const MB = 1024 * 1024;
const LIMITS = { ...DEFAULT_FILE_LIMITS, maxMirrorBytes: 300 * MB, maxUploadBytes: 300 * MB, maxArtifactBytes: 400 * MB };

const MIRROR = `mutation($id: ID!, $include: [String!]) {
  mirrorArtifactFiles(id: $id, include: $include) {
    artifact { version storedBytes files { path size sha256 } mirrorStatus { state filesDone filesTotal bytesDone error } }
  }
}`;
const STATUS = 'query($id: ID!) { artifact(id: $id) { storedBytes files { path size sha256 } mirrorStatus { state filesDone filesTotal bytesDone error } } }';

interface MirrorView {
  storedBytes: number;
  files: { path: string; size: number; sha256: string }[];
  mirrorStatus: { state: string; filesDone: number; filesTotal: number; bytesDone: number; error: string | null } | null;
}

beforeAll(async () => {
  storage = await startStorage();
  hub = await startFakeHub();
  t = await startTestRegistry(storage, { fileLimits: LIMITS, hub: { endpoint: hub.endpoint } });
});
afterAll(async () => {
  expect(t.serverErrors).toEqual([]);
  await t.close();
  await hub.close();
  await storage.close();
});

/**
 * Ingest reads the real (recorded) Hub answers, so mirrored models are recorded ones that pass the
 * gate; the fake Hub then serves their files. One per test: a URL registers once.
 */
const RECORDED_MODELS = ['google-bert/bert-base-uncased', 'facebook/bart-base', 'openai-community/gpt2', 'microsoft/DialoGPT-small', 'google-t5/t5-small', 'facebook/detr-resnet-50'];
const nextModel = () => {
  const repo = RECORDED_MODELS.shift();
  if (!repo) throw new Error('add a recorded model to RECORDED_MODELS');
  return repo;
};

async function ingest(type: 'MODEL' | 'DATASET', repo: string): Promise<ArtifactView> {
  const url = type === 'MODEL' ? `https://huggingface.co/${repo}` : `https://huggingface.co/datasets/${repo}`;
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url } });
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  return created.data.ingestArtifact.artifact;
}

/** Resolves once `condition` holds; rejects after `ms` (generous: it only bounds a wait). */
async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function stagedObjects(): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of t.registry.blobs.list('staging/')) keys.push(...page.map((o) => o.key));
  return keys;
}

describe('mirrorArtifactFiles', () => {
  it('copies the matching files of a model from the Hub, with their digests and sizes', async () => {
    const repo = nextModel();
    const files = { 'config.json': Buffer.from('{"a":1}'), 'README.md': Buffer.from('# model'), 'onnx/model.onnx': Buffer.from('onnx bytes') };
    hub.repos.set(repo, Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, { bytes }])));
    const model = await ingest('MODEL', repo);
    const mirrored = await t.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: model.id, include: ['*.json', 'onnx/**'] });
    expect(mirrored.errors).toBeUndefined();
    const artifact = mirrored.data!.mirrorArtifactFiles.artifact;
    expect(artifact.files).toEqual([
      { path: 'config.json', size: 7, sha256: sha256Hex(files['config.json']) },
      { path: 'onnx/model.onnx', size: 10, sha256: sha256Hex(files['onnx/model.onnx']) },
    ]);
    expect(artifact.mirrorStatus).toEqual({ state: 'COMPLETED', filesDone: 2, filesTotal: 2, bytesDone: 17, error: null });
    expect(artifact.storedBytes).toBe(17);
    const urls = await t.gql<{ artifact: { files: { path: string; downloadUrl: string }[] } }>(FILE_URLS, { id: model.id });
    const onnx = urls.data!.artifact.files.find((f) => f.path === 'onnx/model.onnx')!;
    expect((await httpRequest('GET', onnx.downloadUrl)).body.equals(files['onnx/model.onnx'])).toBe(true);
    expect(await stagedObjects()).toEqual([]);
  });

  it('mirrors datasets from /datasets/ paths', async () => {
    const repo = 'zed-industries/zeta';
    hub.repos.set(`datasets/${repo}`, { 'train.csv': { bytes: Buffer.from('a,b\n1,2\n') } });
    const dataset = await ingest('DATASET', repo);
    const mirrored = await t.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: dataset.id });
    expect(mirrored.data!.mirrorArtifactFiles.artifact.files.map((f) => f.path)).toEqual(['train.csv']);
  });

  it('records no file when the Hub drops the connection mid-file, aborts the upload and says why', async () => {
    const repo = nextModel();
    // 12 MB cut off after 7 MB: past lib-storage's first 5 MB part, so a multipart upload is open.
    hub.repos.set(repo, { 'a.txt': { bytes: Buffer.from('fine') }, 'weights.bin': { size: 12 * MB, failAfter: 7 * MB } });
    const model = await ingest('MODEL', repo);
    const mirrored = await t.gql(MIRROR, { id: model.id });
    expect(errorCode(mirrored)).toBe('UPSTREAM_UNAVAILABLE');
    const after = await t.gql<{ artifact: MirrorView }>(STATUS, { id: model.id });
    expect(after.data!.artifact.files.map((f) => f.path)).toEqual(['a.txt']);
    expect(after.data!.artifact.mirrorStatus).toMatchObject({ state: 'FAILED', filesDone: 1, filesTotal: 2, bytesDone: 4 });
    expect(after.data!.artifact.mirrorStatus!.error).toMatch(/weights\.bin/);
    expect(await stagedObjects()).toEqual([]);
  });

  it('refuses a mirror over MAX_MIRROR_BYTES before copying anything', async () => {
    const repo = nextModel();
    hub.repos.set(repo, { 'huge.bin': { size: LIMITS.maxMirrorBytes + 1 } });
    const model = await ingest('MODEL', repo);
    expect(errorCode(await t.gql(MIRROR, { id: model.id }))).toBe('PAYLOAD_TOO_LARGE');
    const after = await t.gql<{ artifact: MirrorView }>(STATUS, { id: model.id });
    expect(after.data!.artifact.files).toEqual([]);
    expect(after.data!.artifact.mirrorStatus?.state).toBe('FAILED');
  });

  it('refuses code artifacts and unknown Hub repositories', async () => {
    const code = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url: `https://gitlab.com/org/code-${++counter}` } });
    expect(errorCode(await t.gql(MIRROR, { id: code.data!.ingestArtifact.artifact.id }))).toBe('BAD_USER_INPUT');
    const missing = await ingest('MODEL', nextModel()); // registered, but the fake Hub has no files for it
    expect(errorCode(await t.gql(MIRROR, { id: missing.id }))).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('retries a transient 503 from the Hub instead of failing the mirror', async () => {
    const repo = nextModel();
    const bytes = Buffer.from('weights after a hiccup');
    hub.repos.set(repo, { 'model.bin': { bytes, unavailableFirst: 2 } });
    const model = await ingest('MODEL', repo);
    const mirrored = await t.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: model.id });
    expect(mirrored.errors).toBeUndefined();
    expect(mirrored.data!.mirrorArtifactFiles.artifact.files).toEqual([{ path: 'model.bin', size: bytes.length, sha256: sha256Hex(bytes) }]);
    // Two 503s, then the answer: three requests for the file.
    expect(hub.log.filter((entry) => entry === `request /${repo}/resolve/main/model.bin`)).toHaveLength(3);
  });

  it('waits for a permit of the shared upstream cap: with a cap of 1, a second mirror reaches the Hub only once the first has its answer', async () => {
    const capped = await startTestRegistry(storage, { fileLimits: LIMITS, hub: { endpoint: hub.endpoint }, upstream: { concurrency: 1 } });
    try {
      // Ingest first: it shares the cap, and nothing holds it yet.
      const [first, second] = ['google-bert/bert-base-uncased', 'facebook/bart-base'];
      const ingestIn = async (repo: string) => (await capped.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'MODEL', url: `https://huggingface.co/${repo}` } })).data!.ingestArtifact.artifact;
      const [a, b] = [await ingestIn(first!), await ingestIn(second!)];
      let release!: () => void;
      const holdHead = new Promise<void>((resolve) => (release = resolve));
      hub.repos.set(first!, { 'held.bin': { bytes: Buffer.from('held'), holdHead } });
      hub.repos.set(second!, { 'other.bin': { bytes: Buffer.from('other') } });
      hub.log.length = 0;

      const mirroringA = capped.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: a.id });
      await until(() => hub.log.includes(`request /${first}/resolve/main/held.bin`));
      const mirroringB = capped.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: b.id });
      // Without the cap B's listing arrives at once; with it, B cannot start while A holds the only permit.
      await until(() => hub.log.includes(`request /api/models/${second}`), 1_000).catch(() => undefined);
      release();
      const [mirroredA, mirroredB] = await Promise.all([mirroringA, mirroringB]);
      expect(mirroredA.errors).toBeUndefined();
      expect(mirroredB.errors).toBeUndefined();
      const headOfA = hub.log.indexOf(`head /${first}/resolve/main/held.bin`);
      const listingOfB = hub.log.indexOf(`request /api/models/${second}`);
      expect(headOfA).toBeGreaterThanOrEqual(0);
      expect(listingOfB).toBeGreaterThan(headOfA);
    } finally {
      await capped.close();
    }
  });

  it('streams a 200 MB file with flat memory', async () => {
    const size = 200 * MB;
    const repo = nextModel();
    hub.repos.set(repo, { 'model.safetensors': { size } });
    const model = await ingest('MODEL', repo);
    const expected = createHash('sha256');
    for (const chunk of generatedChunks(size)) expected.update(chunk);

    globalThis.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    const started = performance.now();
    const mirroring = t.gql<{ mirrorArtifactFiles: { artifact: MirrorView } }>(MIRROR, { id: model.id });
    // Progress is visible on the artifact while the call runs.
    let seenRunning: MirrorView['mirrorStatus'] = null;
    let done = false;
    void mirroring.finally(() => (done = true));
    while (!done && !seenRunning) {
      const status = await t.gql<{ artifact: MirrorView }>(STATUS, { id: model.id });
      if (status.data?.artifact.mirrorStatus?.state === 'RUNNING') seenRunning = status.data.artifact.mirrorStatus;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const mirrored = await mirroring;
    clearInterval(sampler);
    expect(seenRunning).toEqual({ state: 'RUNNING', filesDone: 0, filesTotal: 1, bytesDone: 0, error: null });
    expect(mirrored.errors).toBeUndefined();
    expect(mirrored.data!.mirrorArtifactFiles.artifact.files).toEqual([{ path: 'model.safetensors', size, sha256: expected.digest('hex') }]);
    const growth = { rssMb: (peakRss - baseline.rss) / MB, heapMb: (peakHeap - baseline.heapUsed) / MB, seconds: (performance.now() - started) / 1000 };
    console.log(`mirrored 200 MB in ${growth.seconds.toFixed(1)} s; peak growth: RSS ${growth.rssMb.toFixed(0)} MB, heap ${growth.heapMb.toFixed(0)} MB`);
    // Everything (server, s3rver, the fake Hub) shares this process. Buffering the file would add
    // 200 MB or more; streaming holds a few 5 MB parts in flight.
    expect(growth.rssMb).toBeLessThan(160);
    expect(growth.heapMb).toBeLessThan(100);
  }, 60_000);
});
