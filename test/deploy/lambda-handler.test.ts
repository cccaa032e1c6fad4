import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { createRegistry } from '../../src/registry.js';
import { createHandler, handler } from '../../src/lambda/handler.js';
import { createLambdaApp, type LambdaApp } from '../../src/lambda/lambda-app.js';
import { GET, INGEST, type ArtifactView } from '../support/operations.js';
import { graphqlPost, httpApiEvent } from '../support/http-api-events.js';
import { AUTHENTICATE, startStorage } from '../support/registry-harness.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';

/**
 * The Lambda entry point, invoked in-process the way the Lambda runtime calls it, with HTTP API
 * payload 2.0 events, against dynalite and s3rver. The handler builds its registry from the
 * environment exactly as on AWS (STORAGE=aws, endpoints and names from variables).
 */
let storage: EmbeddedStorage;
const savedEnv = { ...process.env };
const suffix = randomBytes(4).toString('hex');

beforeAll(async () => {
  storage = await startStorage();
  Object.assign(process.env, {
    STORAGE: 'aws',
    DYNAMODB_ENDPOINT: storage.dynamodbEndpoint,
    S3_ENDPOINT: storage.s3Endpoint,
    TABLE_NAME: `lambda-${suffix}`,
    BUCKET_NAME: `lambda-${suffix}`,
    AWS_REGION: 'us-east-1',
    // s3rver checks signatures against its own fixed key pair; dynalite accepts any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  // On AWS CloudFormation creates these; here the test does, and the handler must not.
  const provisioner = await createRegistry(
    { region: 'us-east-1', tableName: `lambda-${suffix}`, bucketName: `lambda-${suffix}`, dynamodbEndpoint: storage.dynamodbEndpoint, s3Endpoint: storage.s3Endpoint, emulated: true },
    // No admin yet: like a fresh stack, the first login creates it.
    { provision: true, ensureDefaultAdmin: false },
  );
  provisioner.destroy();
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await storage.close();
});

interface GraphQLBody<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function json<T>(result: APIGatewayProxyStructuredResultV2): GraphQLBody<T> {
  expect(result.isBase64Encoded).toBe(false);
  return JSON.parse(result.body ?? '') as GraphQLBody<T>;
}

// A dataset from a host the registry reads no API for: these tests are about the Lambda transport,
// and the test machine has no route to the Hub (ingest from the Hub, which every model needs to be
// rated, is tested over recorded answers elsewhere).
const BERT = 'https://www.kaggle.com/datasets/google/bert';

describe('Lambda handler (API Gateway HTTP API, payload 2.0)', () => {
  let created: ArtifactView;
  let auth: { authorization: string };

  it('logs in as the default administrator, creating it on a fresh stack', async () => {
    const result = await handler(graphqlPost(AUTHENTICATE, { username: DEFAULT_ADMIN_USERNAME, password: DEFAULT_ADMIN_PASSWORD }));
    const body = json<{ authenticate: { token: string; remainingCalls: number } }>(result);
    expect(body.data?.authenticate.remainingCalls).toBe(1000);
    auth = { authorization: `Bearer ${body.data!.authenticate.token}` };
  });

  it('refuses protected operations without a token', async () => {
    const result = await handler(graphqlPost(INGEST, { input: { type: 'DATASET', url: BERT } }));
    expect(json(result).errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('ingests an artifact from a JSON POST', async () => {
    const result = await handler(graphqlPost(INGEST, { input: { type: 'DATASET', url: `${BERT}/` } }, { headers: auth }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toMatch(/^application\/graphql-response\+json/);
    const body = json<{ ingestArtifact: { artifact: ArtifactView } }>(result);
    expect(body.errors).toBeUndefined();
    created = body.data!.ingestArtifact.artifact;
    expect(created).toMatchObject({ type: 'DATASET', name: 'bert', url: BERT, version: 1 });
  });

  it('reads it back with a GET whose query string carries the operation', async () => {
    const rawQueryString = new URLSearchParams({ query: GET, variables: JSON.stringify({ id: created.id }) }).toString();
    const result = await handler(httpApiEvent({ method: 'GET', rawQueryString, headers: { accept: 'application/json', ...auth } }));
    expect(result.statusCode).toBe(200);
    expect(json<{ artifact: ArtifactView }>(result).data?.artifact).toEqual(created);
  });

  it('decodes a base64-encoded body', async () => {
    const event = graphqlPost(GET, { id: created.id }, { base64: true, headers: auth });
    expect(event.isBase64Encoded).toBe(true);
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    expect(json<{ artifact: ArtifactView }>(result).data?.artifact.id).toBe(created.id);
  });

  it('accepts cookies and mixed-case header values without changing the answer', async () => {
    const event = graphqlPost('{ health { status components { name status } } }', undefined, {
      cookies: ['session=abc123', 'theme=dark'],
      headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' },
    });
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    expect(result.cookies).toBeUndefined();
    // Both the table and the bucket answer through the handler's own AWS SDK clients.
    expect(json<{ health: { status: string } }>(result).data?.health.status).toBe('OK');
  });

  it('answers bad input as BAD_USER_INPUT', async () => {
    const result = await handler(graphqlPost(INGEST, { input: { type: 'MODEL', url: 'not a url' } }, { headers: auth }));
    expect(result.statusCode).toBe(200);
    expect(json(result).errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a malformed document with 400 and BAD_USER_INPUT', async () => {
    const result = await handler(graphqlPost('{ artifact(id: ', undefined));
    expect(result.statusCode).toBe(400);
    expect(json(result).errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a body that is not JSON with 400', async () => {
    const result = await handler(httpApiEvent({ method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"query": ' }));
    expect(result.statusCode).toBe(400);
    expect(json(result).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a path other than /graphql with 404', async () => {
    const result = await handler(httpApiEvent({ method: 'GET', path: '/nothing-here' }));
    expect(result.statusCode).toBe(404);
  });

  it('serves GraphiQL to a browser (scripts from yoga\'s CDN, not bundled)', async () => {
    const result = await handler(httpApiEvent({ method: 'GET', headers: { accept: 'text/html,application/xhtml+xml' } }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toMatch(/^text\/html/);
    expect(result.body).toContain('GraphiQL');
  });
});

describe('container lifecycle', () => {
  it('builds the app once and reuses it for warm invocations', async () => {
    let app: LambdaApp | undefined;
    const setup = vi.fn(async () => (app = await createLambdaApp(process.env)));
    const warm = createHandler(setup);
    const first = await warm(graphqlPost('{ health { status } }'));
    const firstClient = app?.registry.dynamo.raw;
    const second = await warm(graphqlPost('{ health { status } }'));
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(setup).toHaveBeenCalledTimes(1);
    expect(app?.registry.dynamo.raw).toBe(firstClient);
    app?.registry.destroy();
  });

  it('answers a failed setup with a masked 500 and retries setup on the next invocation', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      let attempts = 0;
      const flaky = createHandler(async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('ThrottlingException from SSM');
        return createLambdaApp(process.env);
      });
      const failed = await flaky(graphqlPost('{ health { status } }'));
      expect(failed.statusCode).toBe(500);
      expect(json(failed).errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(failed.body).not.toContain('Throttling');
      const recovered = await flaky(graphqlPost('{ health { status } }'));
      expect(recovered.statusCode).toBe(200);
      expect(attempts).toBe(2);
    } finally {
      errors.mockRestore();
    }
  });

  it('refuses embedded storage: the emulators are not part of the Lambda bundle', async () => {
    await expect(createLambdaApp({ ...process.env, STORAGE: 'embedded', DYNAMODB_ENDPOINT: '', S3_ENDPOINT: '' })).rejects.toThrow(/STORAGE must be aws/);
  });
});
