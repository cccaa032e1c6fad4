/**
 * Ingest benchmark: every recorded fixture model through the full ingest path (GraphQL over HTTP,
 * Hub and GitHub clients over HTTP against a local replay server, metrics, gate, DynamoDB commit in
 * dynalite). Prints models/s and per-model latency, one model at a time and with several in flight.
 *
 * The replay server answers in well under a millisecond, so this measures the registry's own cost
 * (HTTP, parsing, metrics, storage), not the Hub's or GitHub's latency.
 */
import { percentile, mapConcurrent, runBench, sized, type BenchSize, type Figure } from './support.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { createRegistry } from '../src/registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from '../src/server/embedded-storage.js';
import { createRegistryYoga, listen } from '../src/server/yoga.js';
import { FixtureReplay } from '../test/support/fixture-replay.js';
import { startReplayServers, type ReplayServers } from '../test/support/replay-server.js';

const CONCURRENCY = 8;
const INGEST = 'mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { id ... on Model { rating { netScore { value } } } } } }';

interface Outcome {
  readonly ms: number;
  readonly code: string;
}

/** One fresh registry (own table), every model ingested with `concurrency` in flight. */
async function round(storage: EmbeddedStorage, servers: ReplayServers, models: readonly string[], concurrency: number): Promise<{ outcomes: Outcome[]; elapsedMs: number }> {
  const suffix = randomBytes(4).toString('hex');
  const registry = await createRegistry(
    { region: 'us-east-1', tableName: `bench-${suffix}`, bucketName: `bench-${suffix}`, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
    // Test-strength scrypt: the one login per round is not what this bench measures.
    { upstream: { hfEndpoint: servers.hfEndpoint, githubApiUrl: servers.githubApiUrl }, scrypt: { N: 1024, r: 8, p: 1 } },
  );
  const login = await registry.authentication.authenticate(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
  if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
  const http = await listen(createRegistryYoga(registry, { logError: (error) => console.error(error) }), 0);
  try {
    const started = performance.now();
    const outcomes = await mapConcurrent(models, concurrency, async (id) => {
      const before = performance.now();
      const response = await fetch(http.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.value.token}` },
        body: JSON.stringify({ query: INGEST, variables: { input: { type: 'MODEL', url: `https://huggingface.co/${id}` } } }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      const code = body.errors ? (body.errors[0]?.extensions?.code ?? 'ERROR') : 'OK';
      if (code !== 'OK' && code !== 'DISQUALIFIED') throw new Error(`${id}: ${JSON.stringify(body.errors)}`);
      return { ms: performance.now() - before, code };
    });
    return { outcomes, elapsedMs: performance.now() - started };
  } finally {
    await http.close();
    registry.destroy();
  }
}

async function main(size: BenchSize): Promise<Figure[]> {
  const rounds = sized(size, { smoke: 1, full: 3 });
  const storage = await startEmbeddedStorage({});
  const servers = await startReplayServers();
  const figures: Figure[] = [];
  try {
    const recorded = new FixtureReplay().modelIds;
    // Smoke: a few models are enough to prove the path; every model at full size.
    const models = sized(size, { smoke: recorded.slice(0, 4), full: recorded });
    console.log(`ingest benchmark: ${models.length} recorded models, ${rounds} rounds each way, replayed Hub/GitHub over HTTP, dynalite in process`);
    for (const concurrency of [1, CONCURRENCY]) {
      const latencies: number[] = [];
      let elapsed = 0;
      let outcomes: Outcome[] = [];
      if (size === 'full') await round(storage, servers, models, concurrency); // warm-up: JIT, connections, table creation paths
      for (let r = 0; r < rounds; r++) {
        const result = await round(storage, servers, models, concurrency);
        latencies.push(...result.outcomes.map((o) => o.ms));
        elapsed += result.elapsedMs;
        outcomes = result.outcomes;
      }
      const passed = outcomes.filter((o) => o.code === 'OK').length;
      const perSecond = (models.length * rounds) / (elapsed / 1000);
      console.log(
        `  ${concurrency} in flight: ${perSecond.toFixed(1)} models/s, ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms per model ` +
          `(${passed} registered, ${models.length - passed} DISQUALIFIED per round)`,
      );
      figures.push({ measure: `ingest, ${concurrency} in flight`, goal: 'none (tracked)', value: `${perSecond.toFixed(1)} models/s, p50 ${percentile(latencies, 50).toFixed(0)} ms` });
    }
    if (servers.unknown.length > 0) throw new Error(`unrecorded requests: ${servers.unknown.join(', ')}`);
    return figures;
  } finally {
    await servers.close();
    await storage.close();
  }
}

await runBench('bench:ingest', main);
