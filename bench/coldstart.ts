/**
 * Cold start of the Lambda bundle: `npm run bench:coldstart`.
 *
 * Builds dist/lambda/handler.mjs exactly as `npm run package` does and prints its size (raw and
 * gzipped, and what takes the room). Then starts RUNS fresh Node processes, one after another,
 * each importing the bundle from a directory laid out like a Lambda task (the bundle, plus only
 * @aws-sdk, which the Lambda runtime provides), with the environment it has on AWS (STORAGE=aws),
 * pointed at dynalite and s3rver running in this process. Each process reports:
 *   - node bootstrap: process start until the first line of the probe runs;
 *   - module init: process start until the handler module is loaded (Lambda's "Init Duration"
 *     covers the same span: runtime start plus handler import);
 *   - first request: the first invocation (builds the registry once, then answers a listing);
 *   - warm request: the same request again, reusing what the first one built.
 *
 * This machine is not Lambda (different CPU, no network hop to DynamoDB), so the absolute numbers
 * are for comparing builds, not promises about AWS.
 */
import { percentile } from './support.js';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { buildLambda, REPO_ROOT, LAMBDA_BUNDLE } from '../infra/build-lambda.js';
import { createRegistry } from '../src/registry.js';
import { SYSTEM_ACTOR } from '../src/domain/ids.js';
import { DEFAULT_ADMIN_USERNAME } from '../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../src/config.js';
import { startEmbeddedStorage } from '../src/server/embedded-storage.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 10);
const SEEDED = 5;
const GOAL_BUNDLE_BYTES = 1_500_000;
const GOAL_INIT_MS = 300;
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

// ---------------------------------------------------------------------------------------------
// Bundle

const built = await buildLambda();
const bundle = readFileSync(built.bundlePath);
const gzipped = gzipSync(bundle, { level: 9 }).length;
const output = Object.values(built.metafile.outputs)[0]!;
const byPackage = new Map<string, number>();
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'src (registry)';
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
}
const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);

console.log(`Lambda bundle: ${LAMBDA_BUNDLE} (esbuild, minified, ESM, @aws-sdk/* external)`);
console.log(`  size      ${bundle.length.toLocaleString('en-US').padStart(10)} bytes  ${mb(bundle.length)} MB   goal < ${mb(GOAL_BUNDLE_BYTES)} MB: ${bundle.length < GOAL_BUNDLE_BYTES ? 'met' : 'NOT MET'}`);
console.log(`  gzipped   ${gzipped.toLocaleString('en-US').padStart(10)} bytes  ${mb(gzipped)} MB`);
console.log(`  largest   ${largest.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`);

// ---------------------------------------------------------------------------------------------
// Cold starts

const storage = await startEmbeddedStorage({});
const names = { table: 'bench-coldstart', bucket: 'bench-coldstart' };
const seeder = await createRegistry(
  { region: 'us-east-1', tableName: names.table, bucketName: names.bucket, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
  { provision: true },
);
for (let i = 0; i < SEEDED; i++) {
  const created = await seeder.scope(0).commands.ingest({ type: 'MODEL', url: `https://www.kaggle.com/models/bench/model-${i}` }, SYSTEM_ACTOR);
  if (!created.ok) throw new Error(`seeding failed: ${created.error.message}`);
}
// The probe's request is authenticated like any client's, so its timing includes spending a token.
const login = await seeder.authentication.authenticate(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
if (!login.ok) throw new Error(`login failed: ${login.error.message}`);

// A Lambda task directory: the bundle, and the AWS SDK the runtime provides. Nothing else resolves.
const taskDir = await mkdtemp(path.join(os.tmpdir(), 'registry-coldstart-'));
await mkdir(path.join(taskDir, 'dist/lambda'), { recursive: true });
await copyFile(built.bundlePath, path.join(taskDir, LAMBDA_BUNDLE));
await mkdir(path.join(taskDir, 'node_modules'), { recursive: true });
await symlink(path.join(REPO_ROOT, 'node_modules/@aws-sdk'), path.join(taskDir, 'node_modules/@aws-sdk'), 'dir');
await writeFile(path.join(taskDir, 'probe.mjs'), PROBE);

const env = {
  PATH: process.env['PATH'] ?? '',
  HOME: taskDir,
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

const results: ProbeResult[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    // One at a time: two cores, and each process should have the machine to itself.
    const { stdout } = await promisify(execFile)(process.execPath, ['probe.mjs'], { cwd: taskDir, env, timeout: 60_000 });
    const result = JSON.parse(stdout) as ProbeResult;
    if (result.status !== 200 || result.edges !== SEEDED) throw new Error(`run ${run}: unexpected answer ${stdout}`);
    results.push(result);
  }
} finally {
  seeder.destroy();
  await storage.close();
  await rm(taskDir, { recursive: true, force: true });
}

const row = (label: string, values: number[], goal?: number) => {
  const median = percentile(values, 50);
  const verdict = goal === undefined ? '' : `   goal < ${goal} ms: ${median < goal ? 'met' : 'NOT MET'}`;
  console.log(`  ${label.padEnd(40)}${ms(median)}${ms(percentile(values, 90))}${ms(Math.min(...values))}${ms(Math.max(...values))}${verdict}`);
};
console.log('');
console.log(`Cold start: ${RUNS} fresh processes, Node ${process.version}, ${os.cpus().length} CPUs, STORAGE=aws against local dynalite`);
console.log(`  ${''.padEnd(40)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`);
row('node bootstrap (process start -> probe)', results.map((r) => r.bootstrapMs));
row('module init (process start -> loaded)', results.map((r) => r.initMs), GOAL_INIT_MS);
row('  of which handler import', results.map((r) => r.initMs - r.bootstrapMs));
row('first request (setup + list 10)', results.map((r) => r.firstRequestMs));
row('warm request (same list)', results.map((r) => r.warmRequestMs));
