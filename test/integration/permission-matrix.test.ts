import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { PERMISSIONS, type Permission } from '../../src/domain/users/permission.js';
import { postMultipart, startStorage, startTestRegistry, type GraphQLResponse, type TestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';

let storage: EmbeddedStorage;
let t: TestRegistry;
let artifactId: string;
let counter = 0;

type Caller = 'anonymous' | 'no permission' | Permission;
const CALLERS: readonly Caller[] = ['anonymous', 'no permission', ...PERMISSIONS];
const tokens = new Map<Caller, string | undefined>();

beforeAll(async () => {
  storage = await startStorage();
  t = await startTestRegistry(storage);
  tokens.set('anonymous', undefined);
  for (const caller of CALLERS.slice(1)) {
    const username = caller === 'no permission' ? 'nobody' : `user-${caller.toLowerCase()}`;
    const permissions = caller === 'no permission' ? [] : [caller];
    const registered = await t.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', {
      input: { username, password: 'a long enough password', permissions },
    });
    expect(registered.errors).toBeUndefined();
    tokens.set(caller, await t.login(username, 'a long enough password'));
  }
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/matrix' } });
  artifactId = created.data!.ingestArtifact.artifact.id;
});
afterAll(async () => {
  expect(t.serverErrors).toEqual([]);
  await t.close();
  await storage.close();
});

interface Operation {
  /** The root field the operation exercises; every root field of the schema must appear. */
  readonly field: string;
  /** Who may call it. `authenticated` = any valid token. */
  readonly allowed: 'everyone' | 'authenticated' | Permission;
  readonly document: () => { query: string; variables?: Record<string, unknown>; files?: Record<string, Uint8Array> };
}

const unique = () => `m${++counter}`;

const OPERATIONS: readonly Operation[] = [
  { field: 'health', allowed: 'everyone', document: () => ({ query: '{ health { status } }' }) },
  {
    field: 'authenticate',
    allowed: 'everyone',
    document: () => ({ query: 'mutation { authenticate(username: "user-search", password: "a long enough password") { token } }' }),
  },
  { field: 'viewer', allowed: 'authenticated', document: () => ({ query: '{ viewer { user { username } remainingCalls } }' }) },
  { field: 'node', allowed: 'SEARCH', document: () => ({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: artifactId } }) },
  { field: 'artifact', allowed: 'SEARCH', document: () => ({ query: 'query($id: ID!) { artifact(id: $id) { id } }', variables: { id: artifactId } }) },
  { field: 'artifactByUrl', allowed: 'SEARCH', document: () => ({ query: '{ artifactByUrl(url: "https://gitlab.com/org/matrix") { id } }' }) },
  { field: 'artifacts', allowed: 'SEARCH', document: () => ({ query: '{ artifacts(first: 1) { edges { node { id } } } }' }) },
  { field: 'searchArtifacts', allowed: 'SEARCH', document: () => ({ query: '{ searchArtifacts(regex: "matrix", first: 1) { edges { node { id } } examined } }' }) },
  { field: 'users', allowed: 'ADMIN', document: () => ({ query: '{ users(first: 5) { edges { node { username } } } }' }) },
  {
    field: 'ingestArtifact',
    allowed: 'UPLOAD',
    // Only what an UPLOAD-only caller may read back: the artifact's other fields need SEARCH (test/security/nested-scopes.test.ts).
    document: () => ({
      query: 'mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { id type version } } }',
      variables: { input: { type: 'CODE', url: `https://gitlab.com/org/${unique()}` } },
    }),
  },
  {
    field: 'updateArtifact',
    allowed: 'UPLOAD',
    // A stale version: callers who get past authorization get CONFLICT, which proves they got past it.
    document: () => ({ query: 'mutation($id: ID!) { updateArtifact(input: { id: $id, expectedVersion: 999, name: "x" }) { artifact { id } } }', variables: { id: artifactId } }),
  },
  {
    field: 'rateModel',
    allowed: 'UPLOAD',
    // A code artifact is not a model: authorized callers get BAD_USER_INPUT, which proves they got past authorization.
    document: () => ({ query: 'mutation($id: ID!) { rateModel(id: $id) { artifact { id } } }', variables: { id: artifactId } }),
  },
  {
    field: 'deleteArtifact',
    allowed: 'ADMIN',
    document: () => ({ query: 'mutation($id: ID!) { deleteArtifact(input: { id: $id, expectedVersion: 999 }) { deletedId } }', variables: { id: artifactId } }),
  },
  {
    field: 'registerUser',
    allowed: 'ADMIN',
    document: () => ({
      query: 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }',
      variables: { input: { username: unique(), password: 'another long password', permissions: ['SEARCH'] } },
    }),
  },
  {
    field: 'setPermissions',
    allowed: 'ADMIN',
    document: () => ({ query: 'mutation { setPermissions(input: { username: "nobody", permissions: [] }) { user { username } } }' }),
  },
  {
    field: 'deleteUser',
    allowed: 'authenticated',
    // An absent user: authorized callers get NOT_FOUND (admins) or FORBIDDEN from the rule "only yourself".
    document: () => ({ query: 'mutation { deleteUser(username: "no-such-user") { deletedUsername } }' }),
  },
  {
    field: 'mirrorArtifactFiles',
    allowed: 'UPLOAD',
    // A CODE artifact cannot be mirrored: authorized callers get BAD_USER_INPUT, and nothing is fetched.
    document: () => ({ query: 'mutation($id: ID!) { mirrorArtifactFiles(id: $id) { artifact { id } } }', variables: { id: artifactId } }),
  },
  {
    field: 'setAlias',
    allowed: 'UPLOAD',
    document: () => ({ query: 'mutation($id: ID!) { setAlias(input: { name: "matrix", alias: "prod", artifactId: $id }) { moved artifact { id } } }', variables: { id: artifactId } }),
  },
  // Unset: authorized callers get NOT_FOUND.
  { field: 'removeAlias', allowed: 'UPLOAD', document: () => ({ query: 'mutation { removeAlias(input: { name: "matrix", alias: "never-set" }) { removedFrom } }' }) },
  { field: 'artifactByAlias', allowed: 'SEARCH', document: () => ({ query: '{ artifactByAlias(name: "matrix", alias: "prod") { id } }' }) },
  {
    field: 'createUploadUrl',
    allowed: 'UPLOAD',
    document: () => ({
      query: 'mutation($id: ID!) { createUploadUrl(input: { artifactId: $id, path: "a.txt", size: 1, sha256: "' + 'a'.repeat(64) + '" }) { uploadId } }',
      variables: { id: artifactId },
    }),
  },
  {
    field: 'completeUpload',
    allowed: 'UPLOAD',
    // An unknown upload: authorized callers get NOT_FOUND.
    document: () => ({ query: 'mutation { completeUpload(input: { uploadId: "00000000-0000-0000-0000-000000000000" }) { file { path } } }' }),
  },
  {
    field: 'uploadFile',
    allowed: 'UPLOAD',
    document: () => ({
      query: 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path } } }',
      variables: { input: { artifactId, path: `${unique()}.txt`, file: null } },
      files: { 'input.file': Buffer.from('matrix') },
    }),
  },
  // No WEBHOOK_SECRET_KEY here: an admin's createWebhook is a CONFLICT and creates nothing.
  { field: 'webhooks', allowed: 'ADMIN', document: () => ({ query: '{ webhooks { id url } }' }) },
  { field: 'webhookDeliveries', allowed: 'ADMIN', document: () => ({ query: '{ webhookDeliveries(webhookId: "01JD0000000000000000000000", first: 1) { edges { cursor } } }' }) },
  {
    field: 'createWebhook',
    allowed: 'ADMIN',
    document: () => ({ query: 'mutation { createWebhook(input: { url: "https://example.com/hook", secret: "matrix-secret-123456" }) { webhook { id } } }' }),
  },
  { field: 'deleteWebhook', allowed: 'ADMIN', document: () => ({ query: 'mutation { deleteWebhook(input: { id: "01JD0000000000000000000000" }) { deletedWebhookId } }' }) },
  { field: 'redeliverWebhookDelivery', allowed: 'ADMIN', document: () => ({ query: 'mutation { redeliverWebhookDelivery(input: { id: "nope" }) { delivery { id } } }' }) },
];

/** Authorization failures; anything else (data, or a domain error such as CONFLICT) means "let through". */
function outcome(response: GraphQLResponse<unknown>): 'UNAUTHENTICATED' | 'FORBIDDEN' | 'allowed' {
  const code = response.errors?.[0]?.extensions?.['code'];
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'allowed';
}

function expected(operation: Operation, caller: Caller): ReturnType<typeof outcome> {
  if (operation.allowed === 'everyone') return 'allowed';
  if (caller === 'anonymous') return 'UNAUTHENTICATED';
  if (operation.allowed === 'authenticated') {
    // deleteUser of someone else is an ownership rule inside the field: FORBIDDEN for non-admins.
    return operation.field === 'deleteUser' && caller !== 'ADMIN' ? 'FORBIDDEN' : 'allowed';
  }
  return caller === operation.allowed ? 'allowed' : 'FORBIDDEN';
}

describe('permission matrix over HTTP', () => {
  it('covers every root field of the schema', async () => {
    const response = await t.gql<IntrospectionQuery>(getIntrospectionQuery());
    const schema = buildClientSchema(response.data!);
    const roots = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    // resetRegistry has its own test below: allowing it here would empty the registry mid-matrix.
    expect(new Set(roots)).toEqual(new Set([...OPERATIONS.map((o) => o.field), 'resetRegistry']));
  });

  for (const operation of OPERATIONS) {
    it.each(CALLERS)(`${operation.field} as %s`, async (caller) => {
      const { query, variables, files } = operation.document();
      const response = files
        ? await postMultipart(t.url, query, variables ?? {}, files, tokens.get(caller))
        : await t.gqlAs(tokens.get(caller), query, variables);
      expect(outcome(response), JSON.stringify(response.errors)).toBe(expected(operation, caller));
    });
  }

  it.each(CALLERS.filter((c) => c !== 'ADMIN'))('resetRegistry as %s is refused', async (caller) => {
    const response = await t.gqlAs(tokens.get(caller), 'mutation { resetRegistry { ok } }');
    expect(outcome(response)).toBe(caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
  });

  it('accepts the REST contract header X-Authorization: bearer <token>', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${tokens.get('SEARCH')}` },
      body: JSON.stringify({ query: '{ viewer { user { username permissions } } }' }),
    });
    const body = (await response.json()) as { data: { viewer: { user: { username: string; permissions: string[] } } } };
    expect(body.data.viewer.user).toEqual({ username: 'user-search', permissions: ['SEARCH'] });
  });

  it('says why a bad token is refused', async () => {
    const response = await t.gqlAs('not-a-real-token', '{ artifacts(first: 1) { edges { cursor } } }');
    expect(response.errors![0]!.extensions!['code']).toBe('UNAUTHENTICATED');
    expect(response.errors![0]!.message).toMatch(/invalid, expired or used up/);
  });
});
