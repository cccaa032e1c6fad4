/**
 * Cold start of the Lambda bundle: `npm run bench:coldstart [-- --smoke]`.
 *
 * Builds dist/lambda/handler.mjs exactly as `npm run package` does and prints its size (raw and
 * gzipped, and what takes the room). Then starts fresh Node processes, one after another, each
 * importing a bundle from a directory laid out like a Lambda task (the bundle, plus only @aws-sdk,
 * which the Lambda runtime provides), with the environment it has on AWS (STORAGE=aws), pointed
 * at dynalite and s3rver running in this process. Each process reports:
 *   - node bootstrap: process start until the first line of the probe runs;
 *   - module init: process start until the handler module is loaded (Lambda's "Init Duration"
 *     covers the same span: runtime start plus handler import);
 *   - first request: the first invocation (builds the registry once, then answers a listing);
 *   - warm request: the same request again, reusing what the first one built.
 *
 * Three builds are measured, interleaved run by run so machine load hits them alike: the deployed
 * one (the runtime's AWS SDK loaded with require), the runtime's SDK through ES imports, and the
 * SDK bundled. Two baselines run in the same loop: a bare Node start, and a bare import of
 * @aws-sdk/client-dynamodb (process start -> loaded). Init is reported as a multiple of the
 * second, so the figure compares across machines.
 *
 * This machine is not Lambda (different CPU, no network hop to DynamoDB), so the absolute numbers
 * are for comparing builds, not promises about AWS.
 */
import { percentile, runBench, sized, type BenchSize, type Figure } from './support.js';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { buildLambda, REPO_ROOT, LAMBDA_BUNDLE, type AwsSdkSource, type LambdaBuild } from '../infra/build-lambda.js';
import { createRegistry } from '../src/registry.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
import { startEmbeddedStorage } from '../src/server/embedded-storage.js';
import { seedUnratedModel } from '../test/support/seeded-models.js';

const SEEDED = 5;
const GOAL_BUNDLE_BYTES = 1_000_000;
/**
 * Module init of the build before this bench's goal was set (main at 5fcf864: every SDK client
 * imported at load, through ES imports), as a multiple of the bare client-dynamodb import measured
 * in the same run (BENCH_COMPARE_BUNDLE, 2026-12-02: fastest of 10, 978 ms against 297 ms). 578 ms
 * was quoted for it on the 2-core machine; the ratio is what carries over. The goal is 60% of it.
 */
const BEFORE_INIT_RATIO = Number(process.env['BENCH_BEFORE_INIT_RATIO'] ?? 3.29);
/** Another build's handler.mjs (e.g. main's) to measure in the same loop: `BENCH_COMPARE_BUNDLE=/path/handler.mjs`. */
const COMPARE_BUNDLE = process.env['BENCH_COMPARE_BUNDLE'];
const GOAL_INIT_FRACTION = 0.6;
const LIST_QUERY = '{ artifacts(first: 10) { edges { node { id name url version } } } }';

interface ProbeResult {
  readonly bootstrapMs: number;
  readonly initMs: number;
  readonly firstRequestMs: number;
  readonly warmRequestMs: number;
  readonly status: number;
  readonly edges: number;
}

/** Runs in each fresh process: times the import, then two invocations of the handler. */
const PROBE = `
const bootstrapMs = performance.now();
const { handler } = await import('./dist/lambda/handler.mjs');
const initMs = performance.now();
const event = JSON.parse(process.env.BENCH_EVENT);
let started = performance.now();
const first = await handler(event, {});
const firstRequestMs = performance.now() - started;
started = performance.now();
await handler(event, {});
const warmRequestMs = performance.now() - started;
const edges = JSON.parse(first.body).data?.artifacts?.edges?.length ?? -1;
process.stdout.write(JSON.stringify({ bootstrapMs, initMs, firstRequestMs, warmRequestMs, status: first.statusCode, edges }));
`;

/** The baselines: a bare Node process, and one that only imports the DynamoDB client. */
const BARE_PROBE = `process.stdout.write(JSON.stringify({ loadedMs: performance.now() }));`;
const DYNAMODB_PROBE = `
await import('@aws-sdk/client-dynamodb');
process.stdout.write(JSON.stringify({ loadedMs: performance.now() }));
`;

type Variant = AwsSdkSource | 'compare';

const VARIANTS: readonly { readonly sdk: AwsSdkSource; readonly label: string }[] = [
  { sdk: 'runtime-require', label: 'deployed: runtime SDK via require' },
  { sdk: 'runtime-import', label: 'runtime SDK via ES import' },
  { sdk: 'bundled', label: 'SDK bundled' },
];

function httpApiPost(query: string, token: string): Record<string, unknown> {
  const body = JSON.stringify({ query });
  return {
    version: '2.0',
    routeKey: 'POST /graphql',
    rawPath: '/graphql',
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', host: 'bench.execute-api.us-east-1.amazonaws.com', 'x-forwarded-proto': 'https', 'content-length': String(body.length) },
    requestContext: {
      accountId: '123456789012', apiId: 'bench', domainName: 'bench.execute-api.us-east-1.amazonaws.com', domainPrefix: 'bench',
      http: { method: 'POST', path: '/graphql', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench', routeKey: 'POST /graphql', stage: '$default', time: '23/Nov/2026:12:00:00 +0000', timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(2);
const kb = (bytes: number) => `${Math.round(bytes / 1000)} KB`;
const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(8);

function describeBundle(label: string, built: LambdaBuild): void {
  const bundle = readFileSync(built.bundlePath);
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  const output = Object.values(built.metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'src (registry)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`${label}: ${bundle.length.toLocaleString('en-US')} bytes (${mb(bundle.length)} MB), gzipped ${mb(gzipped)} MB`);
  console.log(`  largest   ${largest.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`);
}

/** A Lambda task directory: the bundle, and the AWS SDK the runtime provides. Nothing else resolves. */
async function taskDirectory(root: string, sdk: AwsSdkSource): Promise<{ dir: string; built: LambdaBuild }> {
  const dir = await emptyTaskDirectory(root, sdk);
  // The deployed build goes where `npm run package` puts it; the others only into their task directory.
  const built = await buildLambda(REPO_ROOT, sdk === 'runtime-require' ? {} : { awsSdk: sdk, outRoot: dir });
  if (sdk === 'runtime-require') {
    await mkdir(path.join(dir, 'dist/lambda'), { recursive: true });
    await writeFile(path.join(dir, LAMBDA_BUNDLE), readFileSync(built.bundlePath));
  }
  return { dir, built };
}

async function emptyTaskDirectory(root: string, name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules/@aws-sdk'), path.join(dir, 'node_modules/@aws-sdk'), 'dir');
  await writeFile(path.join(dir, 'probe.mjs'), PROBE);
  await writeFile(path.join(dir, 'bare.mjs'), BARE_PROBE);
  await writeFile(path.join(dir, 'dynamodb.mjs'), DYNAMODB_PROBE);
  return dir;
}

async function main(size: BenchSize): Promise<Figure[]> {
  const runs = Number(process.env['BENCH_RUNS'] ?? sized(size, { smoke: 1, full: 10 }));
  const root = await mkdtemp(path.join(os.tmpdir(), 'registry-coldstart-'));
  const storage = await startEmbeddedStorage({});
  const names = { table: 'bench-coldstart', bucket: 'bench-coldstart' };
  const seeder = await createRegistry(
    { region: 'us-east-1', tableName: names.table, bucketName: names.bucket, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
    { provision: true },
  );
  try {
    const tasks: { sdk: Variant; label: string; dir: string }[] = [];
    let bundleBytes = 0;
    for (const variant of VARIANTS) {
      const task = await taskDirectory(root, variant.sdk);
      describeBundle(`${variant.label} (${variant.sdk})`, task.built);
      if (variant.sdk === 'runtime-require') bundleBytes = readFileSync(task.built.bundlePath).length;
      tasks.push({ ...variant, dir: task.dir });
    }
    if (COMPARE_BUNDLE) {
      const dir = await emptyTaskDirectory(root, 'compare');
      await mkdir(path.join(dir, 'dist/lambda'), { recursive: true });
      await writeFile(path.join(dir, LAMBDA_BUNDLE), readFileSync(COMPARE_BUNDLE));
      console.log(`compare: ${COMPARE_BUNDLE}, ${mb(readFileSync(COMPARE_BUNDLE).length)} MB`);
      tasks.push({ sdk: 'compare', label: `compare: ${COMPARE_BUNDLE}`, dir });
    }
    const deployed = tasks[0]!;

    // The listing reads what it read in earlier runs: unrated models from a host with no API, written
    // through the store as ingest wrote them before every model had to be rated from the Hub.
    for (let i = 0; i < SEEDED; i++) await seedUnratedModel(seeder.scope(0).store, `https://www.kaggle.com/models/bench/model-${i}`);
    // The probe's request is authenticated like any client's, so its timing includes spending a token.
    const login = await seeder.authentication.authenticate(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`);

    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: root,
      AWS_LAMBDA_FUNCTION_NAME: 'trustworthy-model-registry-bench-api',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      STORAGE: 'aws',
      DYNAMODB_ENDPOINT: storage.dynamodbEndpoint,
      S3_ENDPOINT: storage.s3Endpoint,
      TABLE_NAME: names.table,
      BUCKET_NAME: names.bucket,
      BENCH_EVENT: JSON.stringify(httpApiPost(LIST_QUERY, login.value.token)),
    };
    const probe = async (dir: string, script: string): Promise<string> =>
      (await promisify(execFile)(process.execPath, ['--no-warnings', script], { cwd: dir, env, timeout: 60_000 })).stdout;

    const bare: number[] = [];
    const dynamodb: number[] = [];
    const results = new Map<Variant, ProbeResult[]>(tasks.map((task) => [task.sdk, []]));
    // One process at a time (two cores; each should have the machine to itself), interleaved so
    // a burst of load elsewhere hits every build and baseline alike.
    for (let run = 0; run < runs; run++) {
      bare.push((JSON.parse(await probe(deployed.dir, 'bare.mjs')) as { loadedMs: number }).loadedMs);
      dynamodb.push((JSON.parse(await probe(deployed.dir, 'dynamodb.mjs')) as { loadedMs: number }).loadedMs);
      for (const task of tasks) {
        const stdout = await probe(task.dir, 'probe.mjs');
        const result = JSON.parse(stdout) as ProbeResult;
        if (result.status !== 200 || result.edges !== SEEDED) throw new Error(`${task.sdk} run ${run}: unexpected answer ${stdout}`);
        results.get(task.sdk)!.push(result);
      }
    }

    const row = (label: string, values: number[]) =>
      console.log(`  ${label.padEnd(44)}${ms(percentile(values, 50))}${ms(percentile(values, 90))}${ms(Math.min(...values))}${ms(Math.max(...values))}`);
    console.log('');
    console.log(`Cold start: ${runs} fresh processes each, Node ${process.version}, ${os.cpus().length} CPUs, STORAGE=aws against local dynalite`);
    console.log(`  ${''.padEnd(44)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`);
    row('baseline: bare node start', bare);
    row('baseline: node + import client-dynamodb', dynamodb);
    for (const task of tasks) {
      const measured = results.get(task.sdk)!;
      console.log(`  ${task.label}`);
      row('  node bootstrap (process start -> probe)', measured.map((r) => r.bootstrapMs));
      row('  module init (process start -> loaded)', measured.map((r) => r.initMs));
      row('  first request (setup + list 10)', measured.map((r) => r.firstRequestMs));
      row('  init + first request', measured.map((r) => r.initMs + r.firstRequestMs));
      row('  warm request (same list)', measured.map((r) => r.warmRequestMs));
    }

    // Judged on the fastest run of each: on a shared machine other work only ever adds time, so the
    // minimum is the steadiest estimate of a build's own cost (the medians above show the spread).
    const baseline = Math.min(...dynamodb);
    const initOf = (sdk: Variant) => Math.min(...results.get(sdk)!.map((r) => r.initMs));
    const coldOf = (sdk: Variant) => Math.min(...results.get(sdk)!.map((r) => r.initMs + r.firstRequestMs));
    const ratio = initOf('runtime-require') / baseline;
    const goalRatio = GOAL_INIT_FRACTION * BEFORE_INIT_RATIO;
    if (COMPARE_BUNDLE) console.log(`\ncompare bundle: init ${(initOf('compare') / baseline).toFixed(2)}x the client-dynamodb baseline (BENCH_BEFORE_INIT_RATIO for it)`);
    const versus = (sdk: Variant) => `${initOf(sdk).toFixed(0)} ms init, ${coldOf(sdk).toFixed(0)} ms with the first request (fastest of ${runs})`;
    return [
      { measure: 'coldstart: bundle size', goal: `< ${mb(GOAL_BUNDLE_BYTES)} MB`, value: `${mb(bundleBytes)} MB`, met: bundleBytes < GOAL_BUNDLE_BYTES },
      {
        measure: 'coldstart: module init / bare client-dynamodb import',
        goal: `< ${goalRatio.toFixed(2)}x (60% of ${BEFORE_INIT_RATIO.toFixed(2)}x before)`,
        value: `${ratio.toFixed(2)}x (fastest of ${runs}: ${initOf('runtime-require').toFixed(0)} ms; baselines: node ${Math.min(...bare).toFixed(0)} ms, + client-dynamodb ${baseline.toFixed(0)} ms)`,
        met: ratio < goalRatio,
      },
      {
        measure: 'coldstart: SDK via require (deployed) vs ES import vs bundled',
        goal: 'deployed is the fastest, init + first request',
        value: VARIANTS.map((v) => `${v.sdk}: ${versus(v.sdk)}`).join('; '),
        met: VARIANTS.every((v) => coldOf('runtime-require') <= coldOf(v.sdk)),
      },
    ];
  } finally {
    seeder.destroy();
    await storage.close();
    await rm(root, { recursive: true, force: true });
  }
}

await runBench('bench:coldstart', main);
