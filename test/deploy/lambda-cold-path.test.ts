import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambda, REPO_ROOT } from '../../infra/build-lambda.js';
import { startStorage } from '../support/registry-harness.js';
import { createRegistry } from '../../src/registry.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { graphqlPost } from '../support/http-api-events.js';
import { createDynamoClients } from '../../src/store/dynamo-client.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';

/**
 * What a cold start loads: the bundle as deployed, in a task directory holding only it and the
 * AWS SDK, run in a fresh process. Which SDK packages Node has loaded is read from the CommonJS
 * module cache, where the bundle's `require` of the runtime's SDK puts them.
 */
let workDir: string;
let storage: EmbeddedStorage;
let token: string;
const names = { table: `cold-${randomBytes(4).toString('hex')}`, bucket: `cold-${randomBytes(4).toString('hex')}` };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'registry-cold-path-'));
  await buildLambda(REPO_ROOT, { outRoot: workDir });
  await mkdir(path.join(workDir, 'node_modules'), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules/@aws-sdk'), path.join(workDir, 'node_modules/@aws-sdk'), 'dir');
  storage = await startStorage();
  const registry = await createRegistry(
    { region: 'us-east-1', tableName: names.table, bucketName: names.bucket, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
    { provision: true, scrypt: { N: 1024, r: 8, p: 1 } },
  );
  const login = await registry.authentication.authenticate(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
  registry.destroy();
  if (!login.ok) throw new Error(login.error.message);
  token = login.value.token;
}, 120_000);

afterAll(async () => {
  await storage?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** The @aws-sdk packages loaded after the import and after each event, and each event's result. */
interface Trace {
  readonly afterImport: string[];
  readonly afterEach: { readonly loaded: string[]; readonly result: APIGatewayProxyStructuredResultV2 }[];
}

const PROBE = `
import { createRequire } from 'node:module';
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache).map((file) => /node_modules\\/(@aws-sdk\\/[^/]+)\\//.exec(file)?.[1]).filter(Boolean))].sort();
const { handler } = await import('./dist/lambda/handler.mjs');
const afterImport = loaded();
const afterEach = [];
for (const event of JSON.parse(process.env.EVENTS)) afterEach.push({ result: await handler(event, {}), loaded: loaded() });
process.stdout.write(JSON.stringify({ afterImport, afterEach }));
`;

async function trace(events: readonly unknown[]): Promise<Trace> {
  await writeFile(path.join(workDir, 'probe.mjs'), PROBE);
  const { stdout } = await promisify(execFile)(process.execPath, ['probe.mjs'], {
    cwd: workDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: workDir,
      AWS_LAMBDA_FUNCTION_NAME: 'trustworthy-model-registry-test-api',
      STORAGE: 'aws',
      DYNAMODB_ENDPOINT: storage.dynamodbEndpoint,
      S3_ENDPOINT: storage.s3Endpoint,
      TABLE_NAME: names.table,
      BUCKET_NAME: names.bucket,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      EVENTS: JSON.stringify(events),
    },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Trace;
}

const S3_AND_SSM = ['@aws-sdk/client-s3', '@aws-sdk/client-ssm', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner'];
const headers = () => ({ headers: { authorization: `Bearer ${token}` } });

describe('a cold start', () => {
  it('loads the DynamoDB client at init and S3 only when a request touches the bucket', async () => {
    const { afterImport, afterEach } = await trace([
      graphqlPost('{ artifacts(first: 5) { edges { node { id } } } }', undefined, headers()),
      // An admin's health check pings the bucket: S3 loads then, and answers.
      graphqlPost('{ health { status components { name status } } }', undefined, headers()),
    ]);
    expect(afterImport).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']));
    expect(afterImport.filter((name) => S3_AND_SSM.includes(name))).toEqual([]);

    const [read, health] = afterEach;
    expect(JSON.parse(read!.result.body!)).toEqual({ data: { artifacts: { edges: [] } } });
    expect(read!.loaded.filter((name) => S3_AND_SSM.includes(name))).toEqual([]);

    expect(JSON.parse(health!.result.body!).data.health.components).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: expect.stringMatching(/bucket|s3/i), status: 'OK' })]),
    );
    expect(health!.loaded).toContain('@aws-sdk/client-s3');
    expect(health!.loaded).not.toContain('@aws-sdk/client-ssm');
  });
});

describe('the SDK clients', () => {
  it('run without the logger middleware, which redacted a copy of every input and output', () => {
    const clients = createDynamoClients({ region: 'us-east-1' });
    expect(clients.raw.middlewareStack.identify().filter((entry) => entry.startsWith('loggerMiddleware'))).toEqual([]);
    expect(clients.raw.middlewareStack.identify().some((entry) => entry.startsWith('callCounter'))).toBe(true);
    clients.raw.destroy();
  });
});
