/**
 * Flood benchmark (issue 25): how long an anonymous `health` probe waits while other clients send
 * the documents that amplified work per request. The server (the whole app, as `npm start` serves
 * it) runs on this thread; every client, the probe included, runs on a worker thread of its own, so
 * no client's JSON parsing lands on the server's event loop. Phases, one after another:
 *
 *   idle              the probe alone
 *   introspection     4 anonymous clients, each sending 30 aliases of one fragment over `__schema`
 *   graphiql          4 anonymous clients sending GraphiQL's own introspection query
 *   search x30        2 users, each sending 30 aliased `searchArtifacts` with heavy RE2 patterns
 *   search x4         2 users, each sending 4 of them (a document every version admits)
 *
 *   npm run bench -- flood            2,000 artifacts, 15 s per phase
 *   npm run bench -- flood --smoke    100 artifacts, 1.5 s per phase (CI)
 *
 * Seeding goes through the store's projection path (bench:search does the same).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getIntrospectionQuery } from 'graphql';
import { createRegistry } from '../src/registry.js';
import { createRegistryApp } from '../src/server/app.js';
import { serveApp } from '../src/server/http-server.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
import { MAX_README_BYTES } from '../src/domain/artifact-metadata.js';
import type { ArtifactType } from '../src/domain/artifact-type.js';
import { seedArtifact } from '../test/support/seed-readme.js';
import { benchSize, mapConcurrent, percentile, runBench, runOnWorker, sized, startDynaliteProcess, startS3rverProcess, type Figure } from './support.js';

const SIZE = benchSize();
const ARTIFACTS = sized(SIZE, { smoke: 100, full: 2_000 });
const PHASE_MS = sized(SIZE, { smoke: 1_500, full: 15_000 });
/** Pause between two probes: about 60 a second when nothing holds the server up. */
const PROBE_PAUSE_MS = 15;
const GOAL_P99_MS = 250;
const SEED_CONCURRENCY = 16;
/** Share of READMEs at the 100 KB cap, made of lines just short of 1,000 characters (tables and badges do this). */
const LONG_LINE_SHARE = 0.02;

/**
 * One closed-loop client per `concurrency`, posting one body again and again (after `pauseMs`)
 * until `durationMs` has passed. Plain JavaScript evaluated in the worker: no TypeScript loader.
 * Answers latencies, response sizes and the error codes seen (a refusal is an answer, not a failure).
 */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { endpoint, body, authorization, durationMs, concurrency, pauseMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
if (authorization) headers.authorization = authorization;
function post() {
  return new Promise((resolve, reject) => {
    const request = http.request(endpoint, { method: 'POST', agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    // A request the server holds longer than this ends the client's loop: the phase must end.
    request.setTimeout(120000, () => request.destroy(new Error('timeout')));
    request.end(body);
  });
}
(async () => {
  const latencies = [];
  const sizes = [];
  const codes = {};
  const deadline = performance.now() + durationMs;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const before = performance.now();
      let response;
      try {
        response = await post();
      } catch (error) {
        // A request held past the timeout ends this client; a dropped connection is counted and retried.
        const code = error.message === 'timeout' ? 'timeout' : 'connection: ' + error.message;
        codes[code] = (codes[code] || 0) + 1;
        latencies.push(performance.now() - before);
        if (code === 'timeout') return;
        continue;
      }
      latencies.push(performance.now() - before);
      sizes.push(response.bytes.length);
      const answer = JSON.parse(response.bytes.toString());
      const code = answer.errors ? String(answer.errors[0].extensions && answer.errors[0].extensions.code) : 'ok';
      codes[code] = (codes[code] || 0) + 1;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }));
  parentPort.postMessage({ latencies, sizes, codes });
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

interface ClientRun {
  readonly latencies: readonly number[];
  readonly sizes: readonly number[];
  readonly codes: Readonly<Record<string, number>>;
}

interface ClientLoad {
  readonly endpoint: string;
  readonly body: string;
  readonly authorization?: string | undefined;
  readonly concurrency: number;
  readonly durationMs: number;
  readonly pauseMs: number;
}

function runClients(load: ClientLoad): Promise<ClientRun> {
  return runOnWorker<ClientRun>(CLIENT_WORKER, load);
}

/** Deterministic, so two runs (before and after a change) search the same corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function corpus(count: number): { type: ArtifactType; name: string; readme: string }[] {
  const root = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'huggingface');
  const paragraphs = ['models', 'datasets']
    .flatMap((dir) => readdirSync(path.join(root, dir)).filter((file) => file.endsWith('.README.md')).map((file) => readFileSync(path.join(root, dir, file), 'utf8')))
    .flatMap((text) => text.split(/\n\s*\n/))
    .filter((paragraph) => paragraph.trim().length > 40);
  const next = random(25_001);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const types: ArtifactType[] = ['MODEL', 'MODEL', 'DATASET', 'CODE'];
  return Array.from({ length: count }, (_, i) => {
    let readme: string;
    if (next() < LONG_LINE_SHARE) {
      const line = Array.from({ length: 990 }, () => 'abcdefghij |-'[Math.floor(next() * 13)]).join('');
      readme = `${line}\n`.repeat(Math.floor(MAX_README_BYTES / 991));
    } else {
      const target = 1_000 + Math.floor(next() * 12_000);
      const parts: string[] = [];
      let length = 0;
      while (length < target) {
        const paragraph = pick(paragraphs);
        parts.push(paragraph);
        length += paragraph.length + 2;
      }
      readme = parts.join('\n\n').slice(0, target);
    }
    return { type: pick(types), name: `flood-${String(i).padStart(5, '0')}`, readme };
  });
}

/** The finding's document: 30 aliases of one fragment over `__schema.types`, about 1.5 KB. */
const INTROSPECTION_AMPLIFIER = `fragment T on __Schema { types { name kind description fields(includeDeprecated: true) { name description args { name description type { name kind ofType { name kind } } defaultValue } type { name kind ofType { name kind ofType { name kind } } } isDeprecated deprecationReason } inputFields { name type { name kind ofType { name kind } } } enumValues(includeDeprecated: true) { name description } interfaces { name } possibleTypes { name } } }
{ ${Array.from({ length: 30 }, (_, i) => `s${i}: __schema { ...T }`).join(' ')} }`;

/** What GraphiQL sends to build its documentation pane. */
const GRAPHIQL_INTROSPECTION = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true, schemaDescription: true });

/** `count` aliased searches, each with its own pattern (so none shares a compiled program with another). */
function searches(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `q${i}: searchArtifacts(regex: "[^\\\\n]{${998 - i}}", first: 20) { edges { node { id name } matches { snippet } } examined }`).join(' ')} }`;
}

async function main(): Promise<Figure[]> {
  console.log(`bench:flood ${SIZE === 'smoke' ? '--smoke ' : ''}: ${ARTIFACTS} artifacts, ${PHASE_MS / 1000} s per phase`);
  const dynamo = await startDynaliteProcess();
  const s3 = await startS3rverProcess();
  const registry = await createRegistry(
    { region: 'us-east-1', tableName: 'bench-flood', bucketName: 'bench-flood', dynamodbEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, emulated: true },
    { tokenPolicy: { lifetimeMs: 60 * 60 * 1000, calls: Number.MAX_SAFE_INTEGER } },
  );
  const server = await serveApp(createRegistryApp(registry, { logError: () => {} }), 0);
  const endpoint = new URL('/graphql', server.url).toString();
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T; errors?: unknown[] };
    if (answer.errors || !answer.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(answer.errors)}`);
    return answer.data;
  };
  const login = async (username: string, password: string) =>
    (await gql<{ authenticate: { token: string } }>('mutation($u: String!, $p: String!) { authenticate(username: $u, password: $p) { token } }', { u: username, p: password })).authenticate.token;
  try {
    const { store } = registry.scope(0);
    const seeds = corpus(ARTIFACTS);
    const seedStart = performance.now();
    let clock = Date.now() - ARTIFACTS * 1_000;
    await mapConcurrent(seeds, SEED_CONCURRENCY, (seed) => seedArtifact(store, seed, new Date((clock += 1_000))));
    const readmeBytes = seeds.reduce((sum, seed) => sum + seed.readme.length, 0);
    console.log(`seeded ${ARTIFACTS} artifacts (READMEs ${(readmeBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const admin = await login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    const users: string[] = [];
    for (const username of ['flood-a', 'flood-b']) {
      await gql('mutation($i: RegisterUserInput!) { registerUser(input: $i) { user { username } } }', { i: { username, password: 'flood-password-1', permissions: ['SEARCH'] } }, admin);
      users.push(await login(username, 'flood-password-1'));
    }
    // The index loads on the first search; loaded here so no phase pays for it.
    await gql('{ searchArtifacts(regex: "flood-00000", first: 1) { examined } }', {}, admin);

    const base = { endpoint, concurrency: 1, durationMs: PHASE_MS, pauseMs: 0 };
    const anonymous = (body: string, concurrency: number): ClientLoad => ({ ...base, body, concurrency });
    const searchLoad = (query: string, token: string): ClientLoad => ({ ...base, body: JSON.stringify({ query }), authorization: `Bearer ${token}` });
    const phases: { name: string; loads: ClientLoad[] }[] = [
      { name: 'idle', loads: [] },
      { name: 'introspection x30', loads: [anonymous(JSON.stringify({ query: INTROSPECTION_AMPLIFIER }), 4)] },
      { name: 'graphiql introspection', loads: [anonymous(JSON.stringify({ query: GRAPHIQL_INTROSPECTION, operationName: 'IntrospectionQuery' }), 4)] },
      { name: 'search x30', loads: users.map((token) => searchLoad(searches(30), token)) },
      { name: 'search x4', loads: users.map((token) => searchLoad(searches(4), token)) },
    ];
    console.log(`introspection document: ${Buffer.byteLength(INTROSPECTION_AMPLIFIER)} bytes; search document (x30): ${Buffer.byteLength(searches(30))} bytes`);
    const figures: Figure[] = [];
    console.log();
    console.log(`${'phase'.padEnd(24)} ${'probes'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'loop ms'.padStart(8)}   flood requests, answer size, codes`);
    // The server thread's longest event-loop delay per phase: a blocked loop, as opposed to a busy machine.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    for (const phase of phases) {
      loop.reset();
      const probe = runClients({ ...base, body: JSON.stringify({ query: '{ health { status } }' }), pauseMs: PROBE_PAUSE_MS });
      const floods = await Promise.all(phase.loads.map(runClients));
      const health = await probe;
      const loopMax = loop.max / 1e6;
      // A probe held past the client's timeout or dropped counts at the time it waited; an error answer is the bench's failure.
      if (Object.keys(health.codes).some((code) => code !== 'ok' && code !== 'timeout' && !code.startsWith('connection'))) throw new Error(`health failed during ${phase.name}: ${JSON.stringify(health.codes)}`);
      const sizes = floods.flatMap((run) => run.sizes);
      const codes: Record<string, number> = {};
      for (const run of floods) for (const [code, count] of Object.entries(run.codes)) codes[code] = (codes[code] ?? 0) + count;
      const floodSummary = floods.length === 0 ? '' : `${sizes.length}, max ${(Math.max(...sizes) / 1000).toFixed(1)} KB, p50 ${percentile(floods.flatMap((run) => run.latencies), 50).toFixed(0)} ms, ${JSON.stringify(codes)}`;
      const p99 = percentile(health.latencies, 99);
      const failed = Object.entries(health.codes).filter(([code]) => code !== 'ok');
      const timeouts = failed.length > 0 ? ` (probes failed: ${JSON.stringify(Object.fromEntries(failed))})` : '';
      console.log(
        `${phase.name.padEnd(24)} ${String(health.latencies.length).padStart(6)} ${percentile(health.latencies, 50).toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)} ${Math.max(...health.latencies).toFixed(1).padStart(8)} ${loopMax.toFixed(0).padStart(8)}   ${floodSummary}${timeouts}`,
      );
      figures.push({ measure: `health p99 during ${phase.name}`, goal: `< ${GOAL_P99_MS} ms`, value: `${p99.toFixed(0)} ms`, met: p99 < GOAL_P99_MS });
      figures.push({ measure: `longest event-loop block during ${phase.name}`, goal: 'tracked', value: `${loopMax.toFixed(0)} ms` });
      if (floods.length > 0) figures.push({ measure: `${phase.name}: largest answer`, goal: 'tracked', value: `${(Math.max(...sizes) / 1000).toFixed(1)} KB` });
    }
    loop.disable();
    return figures;
  } finally {
    await server.close();
    registry.destroy();
    dynamo.child.kill();
    s3.child.kill();
  }
}

await runBench('bench:flood', main);
