import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { createRegistry } from '../../src/registry.js';
import { createHandler } from '../../src/lambda/handler.js';
import { createLambdaApp } from '../../src/lambda/lambda-app.js';
import { httpApiEvent, type EventInput } from '../support/http-api-events.js';
import { startStorage } from '../support/registry-harness.js';
import { ContractValidator } from '../support/rest-contract.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';

/**
 * The REST paths through the Lambda entry point: API Gateway payload 2.0 events on the $default
 * route (serverless.yml sends every path to the function), the app built from the environment as
 * on AWS, dynalite and s3rver behind it. Every answer is validated against the course document.
 */
let storage: EmbeddedStorage;
let validator: ContractValidator;
const savedEnv = { ...process.env };
const suffix = randomBytes(4).toString('hex');
const handler = createHandler(() => createLambdaApp(process.env));

beforeAll(async () => {
  storage = await startStorage();
  validator = await ContractValidator.load();
  Object.assign(process.env, {
    STORAGE: 'aws',
    DYNAMODB_ENDPOINT: storage.dynamodbEndpoint,
    S3_ENDPOINT: storage.s3Endpoint,
    TABLE_NAME: `lambda-rest-${suffix}`,
    BUCKET_NAME: `lambda-rest-${suffix}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const provisioner = await createRegistry(
    { region: 'us-east-1', tableName: `lambda-rest-${suffix}`, bucketName: `lambda-rest-${suffix}`, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
    { provision: true, ensureDefaultAdmin: false },
  );
  provisioner.destroy();
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await storage.close();
});

/** Sends a REST request as API Gateway would and checks the answer against the document. */
async function call<T>(method: EventInput['method'], path: string, options: { token?: string; body?: unknown } = {}): Promise<{ result: APIGatewayProxyStructuredResultV2; body: T }> {
  const [rawPath, rawQueryString] = path.split('?');
  const result = await handler(
    httpApiEvent({
      method,
      path: rawPath!,
      ...(rawQueryString !== undefined && { rawQueryString }),
      headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...(options.token && { 'x-authorization': options.token }) },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    }),
  );
  expect(result.isBase64Encoded).toBe(false);
  const headers = new Headers(result.headers as Record<string, string>);
  const body = (headers.get('content-type')?.startsWith('application/json') ? JSON.parse(result.body ?? '') : result.body) as T;
  if (path !== '/nowhere') expect(validator.problems(method, path, { status: result.statusCode!, headers, body })).toEqual([]);
  return { result, body };
}

describe('REST through the Lambda handler', () => {
  let token: string;
  let id: string;

  it('logs in with PUT /authenticate', async () => {
    const { result, body } = await call<string>('PUT', '/authenticate', { body: { user: { name: DEFAULT_ADMIN_USERNAME, is_admin: true }, secret: { password: DEFAULT_ADMIN_PASSWORD } } });
    expect(result.statusCode).toBe(200);
    token = body;
  });

  it('registers an artifact: download_url is on the API Gateway domain', async () => {
    const { result, body } = await call<{ metadata: { id: string }; data: { url: string; download_url: string } }>('POST', '/artifact/dataset', { token, body: { url: 'https://www.kaggle.com/datasets/lambda/one' } });
    expect(result.statusCode).toBe(201);
    id = body.metadata.id;
    expect(body.data.download_url).toBe(`https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/artifacts/dataset/${id}/download`);
  });

  it('reads it back and enumerates it', async () => {
    expect((await call('GET', `/artifacts/dataset/${id}`, { token })).result.statusCode).toBe(200);
    const listed = await call<{ id: string }[]>('POST', '/artifacts?offset=', { token, body: [{ name: '*' }] });
    expect(listed.body.map((m) => m.id)).toEqual([id]);
  });

  it('serves the OpenAPI document, and 404 for a path nobody serves', async () => {
    expect((await call('GET', '/openapi.json')).result.statusCode).toBe(200);
    expect((await call('GET', '/nowhere')).result.statusCode).toBe(404);
  });

  it('refuses a missing token with 403, and keeps the resetting admin token working after DELETE /reset', async () => {
    expect((await call('GET', `/artifacts/dataset/${id}`)).result.statusCode).toBe(403);
    expect((await call('DELETE', '/reset', { token })).result.statusCode).toBe(200);
    const listed = await call<unknown[]>('POST', '/artifacts', { token, body: [{ name: '*' }] });
    expect(listed).toMatchObject({ result: { statusCode: 200 }, body: [] });
  });
});
