/**
 * Download benchmark: 100 concurrent clients each loop over "ask the registry for a file's
 * presigned URL (GraphQL), then GET the bytes from S3", against a registry of 500 models of which
 * one holds a 1 MB file, uploaded through the presigned-PUT path. Reports throughput and p50/p99
 * of the whole round trip and of each half.
 *
 * dynalite and s3rver run in their own processes and the clients on a worker thread, so the
 * server thread does only the registry's work. Absolute numbers measure this machine and the
 * emulators, not AWS. Every URL issued appends a FileDownloaded event to the same artifact's
 * stream, so the GraphQL half also measures 100 writers contending for one stream.
 */
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRegistry, type EpochScope } from '../src/registry.js';
import { createRegistryYoga, listen } from '../src/server/yoga.js';
import { SYSTEM_ACTOR } from '../src/domain/ids.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ArtifactId } from '../src/domain/ids.js';
import { mapConcurrent, percentile, startDynaliteProcess, startS3rverProcess, runBench, runOnWorker, sized, type BenchSize, type Figure } from './support.js';
import { seedUnratedModel } from '../test/support/seeded-models.js';

interface Sizes {
  readonly models: number;
  readonly fileBytes: number;
  readonly clients: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

const SIZES: Readonly<Record<BenchSize, Sizes>> = {
  full: { models: 500, fileBytes: 1024 * 1024, clients: 100, warmupMs: 2_000, durationMs: 10_000 },
  smoke: { models: 10, fileBytes: 64 * 1024, clients: 5, warmupMs: 100, durationMs: 500 },
};
/** Goal: issuing a download URL costs no more than reading the artifact (issue 16). */
const GOAL_URL_VS_READ = 0.8;

/** Plain JavaScript evaluated in the worker: the clients need no TypeScript loader. */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { endpoint, authorization, id, expectedBytes, durationMs, concurrency, readsOnly } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 2 });
const body = JSON.stringify({ query: 'query($id: ID!) { artifact(id: $id) { files { downloadUrl } } }', variables: { id } });
// The comparison run: the same clients reading the same artifact by id, no URL issued.
const readBody = JSON.stringify({ query: 'query($id: ID!) { artifact(id: $id) { id name version } }', variables: { id } });
function request(url, method, headers, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
async function once() {
  const t0 = performance.now();
  if (readsOnly) {
    const answer = await request(endpoint, 'POST', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(readBody), authorization }, readBody);
    const parsed = JSON.parse(answer.body.toString());
    if (parsed.errors || !parsed.data || !parsed.data.artifact) throw new Error('GraphQL ' + answer.status + ': ' + JSON.stringify(parsed.errors));
    const t1 = performance.now();
    return [t1 - t0, t1 - t0, 0];
  }
  const answer = await request(endpoint, 'POST', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization }, body);
  const parsed = JSON.parse(answer.body.toString());
  if (parsed.errors || !parsed.data) throw new Error('GraphQL ' + answer.status + ': ' + JSON.stringify(parsed.errors));
  const url = parsed.data.artifact.files[0].downloadUrl;
  const t1 = performance.now();
  const bytes = await request(url, 'GET', {});
  if (bytes.status !== 200 || bytes.body.length !== expectedBytes) throw new Error('GET ' + bytes.status + ', ' + bytes.body.length + ' bytes');
  const t2 = performance.now();
  return [t2 - t0, t1 - t0, t2 - t1];
}
(async () => {
  const total = [], url = [], bytes = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let failed = false;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (!failed && performance.now() < deadline) {
      try {
        const [a, b, c] = await once();
        total.push(a); url.push(b); bytes.push(c);
      } catch (error) { failed = true; throw error; }
    }
  }));
  parentPort.postMessage({ elapsedMs: performance.now() - start, total, url, bytes });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message || error) }));
`;

interface ClientRun {
  readonly elapsedMs: number;
  readonly total: number[];
  readonly url: number[];
  readonly bytes: number[];
}

function runClients(workerData: Record<string, unknown>, durationMs: number, clients: number): Promise<ClientRun> {
  return runOnWorker<ClientRun>(CLIENT_WORKER, { ...workerData, durationMs, concurrency: clients });
}

async function main(size: BenchSize): Promise<Figure[]> {
  const { models: MODEL_COUNT, fileBytes: FILE_BYTES, clients: CLIENTS, warmupMs: WARMUP_MS, durationMs: DURATION_MS } = SIZES[size];
  const cpus = os.cpus();
  console.log(`node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()}/${os.arch()}`);
  console.log(`${MODEL_COUNT} models, one with a ${(FILE_BYTES / 1024 / 1024).toFixed(2)} MB file; ${CLIENTS} concurrent clients, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms run`);
  console.log('dynalite and s3rver run in their own processes, HTTP clients on a worker thread');
  console.log();

  const [dynamo, s3] = await Promise.all([startDynaliteProcess(), startS3rverProcess()]);
  const registry = await createRegistry(
    { region: 'us-east-1', tableName: 'bench-download', bucketName: 'bench-download', dynamodbEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, emulated: true },
    { tokenPolicy: { lifetimeMs: 60 * 60 * 1000, calls: Number.MAX_SAFE_INTEGER } },
  );
  const server = await listen(createRegistryYoga(registry, {}), 0);
  try {
    const scope = registry.scope(0);
    const seedStart = performance.now();
    // Unrated models from a host with no API, written through the store as ingest wrote them before
    // every model had to be rated from the Hub: seeding needs no Hub (the bench runs offline), the
    // bench measures downloads, not ingest, and the registry holds what it held in earlier runs.
    const seeded = await mapConcurrent(Array.from({ length: MODEL_COUNT }, (_, i) => i), 16, (i) =>
      seedUnratedModel(scope.store, `https://www.kaggle.com/models/bench-org/model-${i}`, { name: `model-${i}` }),
    );
    const states = seeded.map(({ state }) => state);
    console.log(`seeded ${states.length} models in ${(performance.now() - seedStart).toFixed(0)} ms`);

    // The file goes in the way a client's would: presigned PUT, then completeUpload.
    const target = states[Math.floor(MODEL_COUNT / 2)]!;
    const bytes = randomBytes(FILE_BYTES);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const ticket = await scope.files.createUploadUrl({ artifactId: target.id, artifactType: target.type, path: 'model.bin', size: bytes.length, sha256, contentType: 'application/octet-stream' }, SYSTEM_ACTOR);
    if (!ticket.ok) throw new Error(ticket.error.message);
    const put = await fetch(ticket.value.url, { method: 'PUT', headers: Object.fromEntries(ticket.value.headers.filter((h) => h.name !== 'content-length').map((h) => [h.name, h.value])), body: bytes });
    if (!put.ok) throw new Error(`PUT answered ${put.status}`);
    const completed = await scope.files.completeUpload(ticket.value.uploadId, SYSTEM_ACTOR);
    if (!completed.ok) throw new Error(completed.error.message);
    console.log(`uploaded ${target.name}/model.bin (${bytes.length} bytes) through a presigned PUT`);

    const login = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($u: String!, $p: String!) { authenticate(username: $u, password: $p) { token } }', variables: { u: DEFAULT_ADMIN_USERNAME, p: DEFAULT_ADMIN_PASSWORD } }),
    });
    const token = ((await login.json()) as { data: { authenticate: { token: string } } }).data.authenticate.token;
    const load = { endpoint: server.url, authorization: `Bearer ${token}`, id: encodeGlobalID('Model', target.id), expectedBytes: bytes.length };

    await runClients(load, WARMUP_MS, CLIENTS);
    const versionBefore = await currentVersion(scope, target.id);
    const calls = registry.dynamo.calls.total;
    const run = await runClients(load, DURATION_MS, CLIENTS);
    const callsPerDownload = (registry.dynamo.calls.total - calls) / run.total.length;
    const versionAfter = await currentVersion(scope, target.id);
    const reads = await runClients({ ...load, readsOnly: true }, DURATION_MS, CLIENTS);
    const readsPerSecond = (reads.total.length * 1000) / reads.elapsedMs;
    const count = run.total.length;
    const perSecond = (count * 1000) / run.elapsedMs;
    const row = (name: string, values: number[]) => `${name.padEnd(28)} ${percentile(values, 50).toFixed(1).padStart(8)} ${percentile(values, 99).toFixed(1).padStart(8)}`;
    console.log();
    console.log(`${count} downloads in ${(run.elapsedMs / 1000).toFixed(1)} s: ${perSecond.toFixed(0)} downloads/s, ${((perSecond * bytes.length) / 1024 / 1024).toFixed(0)} MB/s`);
    console.log(`${callsPerDownload.toFixed(1)} DynamoDB calls per download`);
    console.log(`artifact version ${versionBefore} before the timed run, ${versionAfter} after`);
    console.log(`by-id reads of the same artifact, same ${CLIENTS} clients: ${readsPerSecond.toFixed(0)} reads/s, p50 ${percentile(reads.total, 50).toFixed(1)} ms`);
    console.log();
    console.log(`${'latency (ms)'.padEnd(28)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
    console.log(row('round trip', run.total));
    console.log(row('  downloadUrl (GraphQL)', run.url));
    console.log(row('  GET bytes (S3)', run.bytes));
    const ratio = perSecond / readsPerSecond;
    return [
      { measure: `download: ${CLIENTS} clients on one artifact`, goal: 'runs offline, 0 errors', value: `${perSecond.toFixed(0)} downloads/s, p99 downloadUrl ${percentile(run.url, 99).toFixed(0)} ms, ${callsPerDownload.toFixed(1)} DynamoDB calls each`, met: true },
      { measure: 'download: artifact version over the run', goal: 'unchanged by downloads', value: `${versionBefore} -> ${versionAfter}`, met: versionBefore === versionAfter },
      { measure: 'download: URLs/s vs by-id reads/s', goal: `>= ${GOAL_URL_VS_READ * 100}%`, value: `${(100 * ratio).toFixed(0)}% (${perSecond.toFixed(0)} vs ${readsPerSecond.toFixed(0)})`, met: ratio >= GOAL_URL_VS_READ },
    ];
  } finally {
    await server.close();
    registry.destroy();
    dynamo.child.kill();
    s3.child.kill();
  }
}

async function currentVersion(scope: EpochScope, id: ArtifactId): Promise<number> {
  const [state] = await scope.store.projections.getMany([id], { consistent: true });
  if (!state) throw new Error(`artifact ${id} vanished`);
  return state.version;
}

await runBench('bench:download', main);
