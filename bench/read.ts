/**
 * Read-path benchmark: the same two reads (a page of 50, one artifact by id) served as GraphQL over
 * real HTTP and called directly on the projection store, against in-process dynalite. Comparing
 * the two shows what the GraphQL/HTTP layer costs; counting DynamoDB calls per request shows
 * whether a read does more round trips than it should.
 *
 * Absolute numbers measure this machine plus an emulator, not AWS: only the ratios and call
 * counts are meant to carry over.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createRegistry, type Registry } from '../src/registry.js';
import { startEmbeddedStorage } from '../src/server/embedded-storage.js';
import { createRegistryYoga, listen } from '../src/server/yoga.js';
import { SYSTEM_ACTOR, type ArtifactId } from '../src/domain/ids.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
// dynalite runs as a separate process, as DynamoDB is a separate service: otherwise the emulator's
// own CPU time lands on the server's thread and is billed to whichever transport is measured.
import { mapConcurrent, percentile, startDynaliteProcess, runBench, benchSize, sized, type Figure } from './support.js';
import type { Authentication } from '../src/application/users/authentication.js';
import { ArtifactQueries } from '../src/application/artifact-queries.js';
import { applyEvent } from '../src/domain/artifact-state.js';
import type { ArtifactEvent } from '../src/domain/artifact-events.js';
import { SCALAR_METRICS, type Rating } from '../src/domain/rating/rating.js';
import { seedUnratedModel } from '../test/support/seeded-models.js';

const SIZE = benchSize();
const ARTIFACT_COUNT = sized(SIZE, { smoke: 40, full: 1_000 });
const SEED_CONCURRENCY = 16;
const PAGE_SIZE = sized(SIZE, { smoke: 6, full: 50 });
const CLIENTS = 8;
const WARMUP_MS = sized(SIZE, { smoke: 100, full: 1_000 });
const DURATION_MS = sized(SIZE, { smoke: 300, full: 5_000 });
/** Requests sent one at a time to count DynamoDB calls exactly, with no other request in flight. */
const SEQUENTIAL_PROBES = sized(SIZE, { smoke: 2, full: 20 });
/** Goals of issue 16: GraphQL over HTTP (authentication included) against the direct store; the lineage page against its throughput then. */
const GOAL_RATIO = 0.6;
const LINEAGE_BEFORE_PER_SECOND = 40;
/** Models of the lineage scenario: all share one name, so one name-index partition lists exactly them. */
const LINEAGE_NAME = 'bench-lineage';

// ---------------------------------------------------------------------------------------------
// Measurement helpers

interface Measurement {
  readonly count: number;
  readonly elapsedMs: number;
  /** Milliseconds per operation, in completion order. */
  readonly latencies: readonly number[];
}

/**
 * Runs `fn` back to back in `concurrency` independent loops until `durationMs` has passed. Each
 * loop waits for its previous call, so `concurrency` is exactly the number of requests in flight
 * (closed-loop load, like that many clients). The first failure stops every loop and is rethrown.
 */
async function measure(durationMs: number, concurrency: number, fn: () => Promise<void>): Promise<Measurement> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && performance.now() < deadline) {
      const before = performance.now();
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count: latencies.length, elapsedMs: performance.now() - start, latencies };
}

/** An endless round-robin over `items`, shared by all loops so concurrent clients spread over ids. */
function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('cannot cycle over nothing');
  let index = 0;
  return () => items[index++ % items.length]!;
}

/**
 * The HTTP clients run on their own thread, as real clients run outside the server: otherwise the
 * client side (fetch, JSON parsing) would share the server's event loop and count as GraphQL cost.
 * Plain JavaScript evaluated in the worker, so the worker needs no TypeScript loader.
 */
const HTTP_LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { endpoint, requests, durationMs, concurrency, expectEdges, authorization } = workerData;
// node:http with keep-alive is a lighter client than fetch: less of the shared CPU goes to the load generator.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const bodies = requests.map((r) => JSON.stringify(r));
let next = 0;
function post(body) {
  return new Promise((resolve, reject) => {
    const request = http.request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
async function once() {
  const index = next++ % bodies.length;
  const response = await post(bodies[index]);
  const body = JSON.parse(response.text);
  if (body.errors || !body.data) throw new Error('HTTP ' + response.status + ': ' + JSON.stringify(body.errors));
  const value = Object.values(body.data)[0];
  if (value === null) throw new Error('null result for ' + bodies[index]);
  if (expectEdges !== null && value.edges.length !== expectEdges) throw new Error('expected ' + expectEdges + ' edges, got ' + value.edges.length);
}
(async () => {
  const latencies = [];
  const start = performance.now();
  const deadline = start + durationMs;
  let failed = false;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (!failed && performance.now() < deadline) {
      const before = performance.now();
      try { await once(); } catch (error) { failed = true; throw error; }
      latencies.push(performance.now() - before);
    }
  }));
  parentPort.postMessage({ count: latencies.length, elapsedMs: performance.now() - start, latencies });
})().catch((error) => parentPort.postMessage({ error: String(error && error.message || error) }));
`;

interface HttpLoad {
  readonly endpoint: string;
  readonly authorization: string;
  readonly requests: readonly { readonly query: string; readonly variables: Record<string, unknown> }[];
  /** When set, every response's connection must have exactly this many edges. */
  readonly expectEdges: number | null;
}

function measureHttp(load: HttpLoad, durationMs: number, concurrency: number): Promise<Measurement> {
  const worker = new Worker(HTTP_LOAD_WORKER, { eval: true, workerData: { ...load, durationMs, concurrency } });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: Measurement | { error: string }) => {
      void worker.terminate();
      if ('error' in message) reject(new Error(message.error));
      else resolve(message);
    });
    worker.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// GraphQL over HTTP

interface GraphQLResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly { readonly message: string }[];
}

/** POSTs one operation; any GraphQL error, HTTP error or missing data is a failed benchmark. */
/** The bench's bearer token, set once after logging in as the default administrator. */
let authorization = '';

async function graphql<T>(endpoint: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  if (body.errors && body.errors.length > 0) {
    throw new Error(`GraphQL errors (HTTP ${response.status}): ${body.errors.map((e) => e.message).join('; ')}`);
  }
  if (!response.ok || body.data == null) throw new Error(`HTTP ${response.status} without data`);
  return body.data;
}

const PAGE_QUERY = /* GraphQL */ `
  query ($first: Int, $after: String) {
    artifacts(first: $first, after: $after) {
      edges { cursor node { id name url version type createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface PageData {
  readonly artifacts: {
    readonly edges: readonly { readonly cursor: string; readonly node: { readonly id: string } }[];
    readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  };
}

const BY_ID_QUERY = /* GraphQL */ `
  query ($id: ID!) {
    artifact(id: $id) { id name url version }
  }
`;

interface ByIdData {
  readonly artifact: { readonly id: string } | null;
}

/** The Relay global ids of every live artifact, paged through the public API as a client would. */
async function collectGlobalIds(endpoint: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { artifacts }: PageData = await graphql<PageData>(endpoint, PAGE_QUERY, { first: 100, after });
    ids.push(...artifacts.edges.map((edge) => edge.node.id));
    if (!artifacts.pageInfo.hasNextPage) return ids;
    after = artifacts.pageInfo.endCursor;
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/**
 * `graphql/http, no auth` is the same server with authentication answered from memory (one viewer
 * resolved up front): what GraphQL and HTTP cost on their own, apart from spending the token.
 */
type Transport = 'graphql/http' | 'graphql/http, no auth' | 'direct store';
const TRANSPORTS: readonly Transport[] = ['graphql/http', 'graphql/http, no auth', 'direct store'];

interface Endpoints {
  readonly 'graphql/http': string;
  readonly 'graphql/http, no auth': string;
}

interface Scenario {
  readonly name: string;
  /** One GraphQL request through an endpoint, for the sequential call-count probes. */
  readonly graphql: (endpoint: string) => Promise<void>;
  /** The same reads called on the store, timed on the server thread. */
  readonly direct: () => Promise<void>;
  /** The same GraphQL request, replayed from the client thread for the timed HTTP run. */
  readonly httpLoad: HttpLoad;
}

const LINEAGE_PAGE_QUERY = /* GraphQL */ `
  query ($first: Int) {
    artifacts(filter: { normalizedName: "${LINEAGE_NAME}" }, first: $first) {
      edges { node { id name ... on Model {
        rating { netScore { value } treeScore { value } }
        lineage { nodes { id name } edges { parent { id } child { id } relationship source } unresolvedParents }
        datasets { id name }
      } } }
    }
  }
`;

function scenarios(registry: Registry, endpoint: string, globalIds: readonly string[], ids: readonly ArtifactId[]): Scenario[] {
  // httpLoad.endpoint is the authenticated server; run() points it at the other one when asked.
  const nextGlobalId = cycle(globalIds);
  const nextId = cycle(ids);
  return [
    {
      name: `page-of-${PAGE_SIZE}-with-rating-lineage-datasets`,
      httpLoad: { endpoint, authorization, requests: [{ query: LINEAGE_PAGE_QUERY, variables: { first: PAGE_SIZE } }], expectEdges: PAGE_SIZE },
      graphql: async (server) => {
        const { artifacts } = await graphql<PageData>(server, LINEAGE_PAGE_QUERY, { first: PAGE_SIZE });
        expectCount('lineage page over GraphQL', artifacts.edges.length, PAGE_SIZE);
      },
      direct: async () => {
          // The same reads without GraphQL: one request's loaders, every model's lineage and datasets at once.
          const queries = new ArtifactQueries(registry.scope(0).store, { seesDeletedPast: false });
          const page = await queries.list({ normalizedName: LINEAGE_NAME }, PAGE_SIZE, null);
          if (!page.ok) throw new Error(`list failed: ${page.error.message}`);
          expectCount('lineage page on the store', page.value.items.length, PAGE_SIZE);
          await Promise.all(page.value.items.map(({ state }) => Promise.all([queries.lineage(state), queries.linked(state, 'dataset')])));
      },
    },
    {
      name: `page-of-${PAGE_SIZE}`,
      httpLoad: { endpoint, authorization, requests: [{ query: PAGE_QUERY, variables: { first: PAGE_SIZE } }], expectEdges: PAGE_SIZE },
      graphql: async (server) => {
        const { artifacts } = await graphql<PageData>(server, PAGE_QUERY, { first: PAGE_SIZE });
        expectCount('page over GraphQL', artifacts.edges.length, PAGE_SIZE);
      },
      direct: async () => {
        const page = await registry.scope(0).store.projections.list({ scope: { kind: 'all' }, first: PAGE_SIZE });
        if (!page.ok) throw new Error(`list failed: ${page.error.message}`);
        expectCount('page on the store', page.value.items.length, PAGE_SIZE);
      },
    },
    {
      name: 'by-id',
      httpLoad: { endpoint, authorization, requests: globalIds.map((id) => ({ query: BY_ID_QUERY, variables: { id } })), expectEdges: null },
      graphql: async (server) => {
        const id = nextGlobalId();
        const { artifact } = await graphql<ByIdData>(server, BY_ID_QUERY, { id });
        if (artifact === null) throw new Error(`artifact(id: ${id}) returned null`);
      },
      direct: async () => {
        const id = nextId();
        const [state] = await registry.scope(0).store.projections.getMany([id]);
        if (state === undefined) throw new Error(`getMany([${id}]) found nothing`);
      },
    },
  ];
}

function expectCount(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected} items, got ${actual}`);
}

interface RunResult {
  readonly scenario: string;
  readonly transport: Transport;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** DynamoDB calls per request, one request at a time: exact, nothing else shares the counter. */
  readonly callsSequential: number;
  /** The same over the whole concurrent run: differs when concurrent requests share or add calls. */
  readonly callsConcurrent: number;
}

async function run(registry: Registry, scenario: Scenario, transport: Transport, endpoints: Endpoints): Promise<RunResult> {
  const op = transport === 'direct store' ? scenario.direct : () => scenario.graphql(endpoints[transport]);
  const timed = (durationMs: number) =>
    transport === 'direct store' ? measure(durationMs, CLIENTS, op) : measureHttp({ ...scenario.httpLoad, endpoint: endpoints[transport] }, durationMs, CLIENTS);
  const calls = registry.dynamo.calls;

  let before = calls.total;
  for (let i = 0; i < SEQUENTIAL_PROBES; i++) await op();
  const callsSequential = (calls.total - before) / SEQUENTIAL_PROBES;

  // Warm-up lets the JIT, the connection pools and dynalite's caches settle before timing.
  await timed(WARMUP_MS);

  before = calls.total;
  const { count, elapsedMs, latencies } = await timed(DURATION_MS);
  return {
    scenario: scenario.name,
    transport,
    perSecond: (count * 1000) / elapsedMs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    callsSequential,
    callsConcurrent: (calls.total - before) / count,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function printReport(results: readonly RunResult[]): Figure[] {
  const header = ['scenario', 'transport', 'req/s', 'p50 ms', 'p99 ms', 'dynamo calls/req (seq | run)'];
  const rows = results.map((r) => [
    r.scenario,
    r.transport,
    r.perSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    `${r.callsSequential.toFixed(2)} | ${r.callsConcurrent.toFixed(2)}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // Text columns align left, numbers right, so digits line up.
  const format = (row: readonly string[]) =>
    row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(format(row));
  console.log();

  const figures: Figure[] = [];
  for (const scenario of new Set(results.map((r) => r.scenario))) {
    const of = (transport: Transport) => results.find((r) => r.scenario === scenario && r.transport === transport)!;
    const [http, bare, direct] = [of('graphql/http'), of('graphql/http, no auth'), of('direct store')];
    const ratio = http.perSecond / direct.perSecond;
    const bareRatio = bare.perSecond / direct.perSecond;
    const authCalls = http.callsSequential - bare.callsSequential;
    console.log(
      `${scenario}: graphql/http = ${(100 * ratio).toFixed(1)}% of direct store (${(100 * bareRatio).toFixed(1)}% without authentication); ` +
        `DynamoDB calls per request ${bare.callsSequential.toFixed(2)} for the data + ${authCalls.toFixed(2)} authentication`,
    );
    const summary = `${http.perSecond.toFixed(0)} vs ${direct.perSecond.toFixed(0)} req/s; ${bare.perSecond.toFixed(0)} req/s = ${(100 * bareRatio).toFixed(0)}% without auth; p50 ${http.p50.toFixed(0)} ms; ${http.callsSequential.toFixed(0)} DynamoDB calls, ${authCalls.toFixed(0)} auth`;
    if (scenario.endsWith('-with-rating-lineage-datasets')) {
      figures.push({
        measure: `read: ${scenario}, GraphQL/HTTP`,
        goal: `>= ${2 * LINEAGE_BEFORE_PER_SECOND} req/s (2x ${LINEAGE_BEFORE_PER_SECOND} on the 2-core machine)`,
        value: `${http.perSecond.toFixed(0)} req/s (direct ${direct.perSecond.toFixed(0)}; ${bare.perSecond.toFixed(0)} without auth); p50 ${http.p50.toFixed(0)} ms; ${http.callsSequential.toFixed(0)} DynamoDB calls, ${authCalls.toFixed(0)} auth`,
        met: http.perSecond >= 2 * LINEAGE_BEFORE_PER_SECOND,
      });
    } else {
      figures.push({ measure: `read: ${scenario}, GraphQL/HTTP vs direct store`, goal: `>= ${100 * GOAL_RATIO}%, auth included`, value: `${(100 * ratio).toFixed(0)}% (${summary})`, met: ratio >= GOAL_RATIO });
    }
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------

async function seed(registry: Registry): Promise<ArtifactId[]> {
  const indexes = Array.from({ length: ARTIFACT_COUNT }, (_, i) => i);
  const { store } = registry.scope(0);
  // Unrated models from a host with no API, written through the store as ingest wrote them before
  // every model had to be rated from the Hub: no Hub is needed (bench:ingest measures that), and
  // the reads measured find the same items as in earlier runs, so figures stay comparable.
  const seeded = await mapConcurrent(indexes, SEED_CONCURRENCY, (i) => seedUnratedModel(store, `https://www.kaggle.com/models/bench-org/model-${i}`, { name: `model-${i}` }));
  return seeded.map(({ state }) => state.id);
}

/** A fixed rating: the scenario measures reading a stored rating, not computing one. */
function benchRating(at: string): Rating {
  const metric = { value: 0.5, latencySeconds: 0.001, explanation: 'bench: a fixed value, not computed from evidence' };
  return {
    ratedAt: at,
    ...(Object.fromEntries(['netScore', ...SCALAR_METRICS].map((name) => [name, metric])) as Record<'netScore' | (typeof SCALAR_METRICS)[number], typeof metric>),
    sizeScore: { raspberryPi: 0.5, jetsonNano: 0.5, desktopPc: 0.5, awsServer: 0.5, latencySeconds: 0.001, explanation: metric.explanation },
  };
}

/**
 * 50 models, each with a stored rating, a dataset and (every second one) a parent: pairs of
 * parent and child, all linked through the command ingest uses. The models are seeded unrated from
 * Kaggle (no API, so no Hub is needed), and the rating appended as a ModelRated event directly
 * through the event store (a seeding path only).
 */
async function seedLineage(registry: Registry): Promise<void> {
  const { commands, store } = registry.scope(0);
  const models: ArtifactId[] = [];
  for (let i = 0; i < PAGE_SIZE; i++) {
    const { state: model } = await seedUnratedModel(store, `https://www.kaggle.com/models/bench-lineage/m-${i}`, { name: LINEAGE_NAME });
    const dataset = await commands.ingest({ type: 'DATASET', url: `https://www.kaggle.com/datasets/bench-lineage/d-${i}`, name: `bench-dataset-${i}` }, SYSTEM_ACTOR);
    if (!dataset.ok) throw new Error('seeding the lineage scenario failed');
    const event = { type: 'ModelRated', payload: { rating: benchRating(new Date().toISOString()) }, artifactId: model.id, version: model.version + 1, at: new Date().toISOString(), actor: SYSTEM_ACTOR } as const satisfies ArtifactEvent;
    if ((await store.events.append(event)) !== 'appended') throw new Error('seeding a rating lost a race');
    await store.project(applyEvent(model, event), [event]);
    const links = [{ kind: 'dataset' as const, targetId: dataset.value.id, relationship: 'training', source: 'card', reference: `bench-lineage/d-${i}` }];
    const parent = i % 2 === 1 ? [{ kind: 'parent' as const, targetId: models[i - 1]!, relationship: 'finetune', source: 'tag', reference: `bench-lineage/m-${i - 1}` }] : [];
    const linked = await commands.link(model.id, [...links, ...parent], SYSTEM_ACTOR);
    if (!linked.ok) throw new Error(`linking failed: ${linked.error.message}`);
    models.push(model.id);
  }
}

async function main(): Promise<Figure[]> {
  const cpus = os.cpus();
  console.log(`node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()}/${os.arch()}`);
  console.log(`${ARTIFACT_COUNT} artifacts, ${CLIENTS} concurrent clients, ${WARMUP_MS} ms warm-up + ${DURATION_MS} ms per run`);
  console.log('dynalite runs in its own process, HTTP clients on a worker thread; direct store calls run on the server thread itself');
  console.log();

  // S3 is only needed for startup here; it stays in-process and idle.
  const storage = await startEmbeddedStorage({});
  const dynamo = await startDynaliteProcess();
  const registry = await createRegistry({
    region: 'us-east-1',
    tableName: 'bench-read',
    bucketName: 'bench-read',
    dynamodbEndpoint: dynamo.endpoint,
    s3Endpoint: storage.s3Endpoint,
    emulated: true,
  }, {
    // The bench sends far more than a real token's 1,000 calls.
    tokenPolicy: { lifetimeMs: 60 * 60 * 1000, calls: Number.MAX_SAFE_INTEGER },
  });
  const server = await listen(createRegistryYoga(registry, {}), 0);
  let unauthenticated: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    const seedStart = performance.now();
    const callsBefore = registry.dynamo.calls.total;
    const ids = await seed(registry);
    const seedMs = performance.now() - seedStart;
    const callsPerIngest = (registry.dynamo.calls.total - callsBefore) / ids.length;
    console.log(
      `seeded ${ids.length} artifacts in ${seedMs.toFixed(0)} ms ` +
        `(${((ids.length * 1000) / seedMs).toFixed(0)} ingests/s, ${callsPerIngest.toFixed(2)} DynamoDB calls per ingest)`,
    );

    await seedLineage(registry);
    console.log(`seeded ${PAGE_SIZE} rated models named ${LINEAGE_NAME}, in parent/child pairs, each with a dataset`);

    const login = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($u: String!, $p: String!) { authenticate(username: $u, password: $p) { token } }',
        variables: { u: DEFAULT_ADMIN_USERNAME, p: DEFAULT_ADMIN_PASSWORD },
      }),
    });
    authorization = `Bearer ${((await login.json()) as { data: { authenticate: { token: string } } }).data.authenticate.token}`;
    const globalIds = await collectGlobalIds(server.url);
    expectCount('paging all artifacts over GraphQL', globalIds.length, ARTIFACT_COUNT + 2 * PAGE_SIZE);
    console.log();

    // The same registry behind a second server whose authentication is one viewer resolved now.
    const viewer = await registry.authentication.viewerFor(authorization.slice('Bearer '.length));
    if (!viewer.ok) throw new Error(`token refused: ${viewer.error.message}`);
    const authentication = Object.create(registry.authentication, { viewerFor: { value: async () => viewer } }) as Authentication;
    unauthenticated = await listen(createRegistryYoga({ ...registry, authentication }, {}), 0);
    const endpoints: Endpoints = { 'graphql/http': server.url, 'graphql/http, no auth': unauthenticated.url };

    const results: RunResult[] = [];
    for (const scenario of scenarios(registry, server.url, globalIds, ids)) {
      for (const transport of TRANSPORTS) results.push(await run(registry, scenario, transport, endpoints));
    }
    return printReport(results);
  } finally {
    await unauthenticated?.close();
    await server.close();
    registry.destroy();
    await storage.close();
    dynamo.child.kill();
  }
}

await runBench('bench:read', main);
