import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryYoga, listen, type RunningServer } from '../../src/server/yoga.js';
import type { FetchFn } from '../../src/upstream/http-client.js';
import { errorCode, postGraphQL, startTestRegistry, useTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';

/** An internal Hub mirror, as HF_ENDPOINT may name one. */
const INTERNAL_HOST = 'hub-mirror.corp.internal';
const INTERNAL_ENDPOINT = `http://${INTERNAL_HOST}:8443`;

/** What a fetch reports when the name does not resolve: undici names the host in the cause. */
const unresolvable: FetchFn = async () => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${INTERNAL_HOST}`), { code: 'ENOTFOUND' }) });
};

// Mirroring reads HF_ENDPOINT through its own fetch; some fetch implementations put the URL in the message.
const mirrorFetch: typeof fetch = async (input) => {
  throw new Error(`request to ${String(input)} failed, reason: connect ECONNREFUSED 10.20.30.40:8443`);
};

const t = useTestRegistry({ hub: { endpoint: INTERNAL_ENDPOINT }, fetch: mirrorFetch });
const PASSWORD = 'hunter2-but-longer-and-secret';
const REGISTER = 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }';

describe('internal endpoints stay out of client errors', () => {
  let failing: TestRegistry;
  let logged: string[];
  let server: RunningServer;

  beforeAll(async () => {
    failing = await startTestRegistry(t.storage, { upstream: { hfEndpoint: INTERNAL_ENDPOINT, fetch: unresolvable } });
    logged = [];
    // The same registry behind a yoga whose detail log the test reads.
    server = await listen(createRegistryYoga(failing.registry, { logDetail: (message) => logged.push(message) }), 0);
  });
  afterAll(async () => {
    await server.close();
    await failing.close();
  });

  it('an unreachable Hub is UPSTREAM_UNAVAILABLE without its URL or address; the server log has the URL', async () => {
    const response = await postGraphQL(server.url, INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } }, failing.adminToken);
    expect(errorCode(response)).toBe('UPSTREAM_UNAVAILABLE');
    expect(response.errors![0]!.message).toMatch(/ENOTFOUND/);
    expect(JSON.stringify(response)).not.toContain(INTERNAL_HOST);
    expect(logged.join('\n')).toContain(`${INTERNAL_ENDPOINT}/api/models/openai-community/gpt2`);
  });

  it('a failed mirror says so without the endpoint, in the error and in mirrorStatus', async () => {
    const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/openai-community/gpt2' } });
    const id = created.data!.ingestArtifact.artifact.id;
    const mirrored = await t.gql('mutation($id: ID!) { mirrorArtifactFiles(id: $id) { artifact { id } } }', { id });
    expect(errorCode(mirrored)).toBe('UPSTREAM_UNAVAILABLE');
    const status = await t.gql<{ artifact: { mirrorStatus: { state: string; error: string } } }>('query($id: ID!) { artifact(id: $id) { mirrorStatus { state error } } }', { id });
    expect(status.data!.artifact.mirrorStatus.state).toBe('FAILED');
    for (const answer of [mirrored, status]) {
      expect(JSON.stringify(answer)).not.toContain(INTERNAL_HOST);
      expect(JSON.stringify(answer)).not.toContain('10.20.30.40');
    }
  });
});

describe('errors do not echo the request', () => {
  it('a bad field next to a password does not send the password back', async () => {
    const answers = [
      await t.gql(REGISTER, { input: { username: 'echo-a', password: PASSWORD, permissions: ['NOT_A_PERMISSION'] } }),
      await t.gql(REGISTER, { input: { username: 'echo-b', password: PASSWORD } }),
      await t.gql(REGISTER, { input: { username: 'echo-c', password: PASSWORD, permissions: [], isAdmin: true } }),
      await t.gqlAs(undefined, 'mutation($u: String!, $p: String!) { authenticate(username: $u, password: $p) { token } }', { u: 'echo-d', p: { value: PASSWORD } }),
      await t.gqlAs(undefined, `mutation { authenticate(username: "echo-e", password: ["${PASSWORD}"]) { token } }`),
    ];
    for (const answer of answers) {
      expect(errorCode(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0]!.message).not.toContain(PASSWORD);
    }
    // Still says where and why.
    expect(answers[0]!.errors![0]).toMatchObject({
      message: 'Variable "$input" got an invalid value at "input.permissions[0]": Value "NOT_A_PERMISSION" does not exist in "Permission" enum.',
      extensions: { field: 'input.permissions[0]' },
    });
    expect(answers[1]!.errors![0]!.message).toMatch(/Field "permissions" of required type "\[Permission!\]!" was not provided/);
  });

  it('a huge invalid value is not repeated', async () => {
    const huge = 'x'.repeat(200_000);
    const answers = [
      await t.gql(REGISTER, { input: huge }),
      await t.gql(REGISTER, { input: { username: 'echo-f', password: PASSWORD, permissions: [huge] } }),
      await t.gql(REGISTER, { input: { username: 'echo-g', password: PASSWORD, permissions: [], [huge]: 1 } }),
    ];
    for (const answer of answers) {
      expect(errorCode(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors![0]!.message.length).toBeLessThan(300);
    }
  });

  it('a value our own scalars refuse is BAD_USER_INPUT, not an internal error', async () => {
    const response = await t.gql('mutation($input: CreateUploadUrlInput!) { createUploadUrl(input: $input) { uploadId } }', {
      input: { artifactId: 'x', path: 'a.txt', size: -1, sha256: 'a'.repeat(64) },
    });
    expect(response.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.size' }, message: expect.stringMatching(/Bytes must be a non-negative integer/) });
  });
});
