import { beforeAll, describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, getNamedType, isAbstractType, isInterfaceType, isNonNullType, isObjectType, type GraphQLField, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import type { Permission } from '../../src/domain/users/permission.js';
import { useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { uploadFile } from '../support/files.js';

/**
 * Root fields say who may reach an artifact (SEARCH for queries, UPLOAD for mutations); the
 * artifact's own fields say who may read them, wherever it is reached. The fields come from the
 * schema, so a field added later is covered without touching this file.
 */
const t = useTestRegistry();

/** The fields a writer needs to go on; everything else an artifact holds needs SEARCH. */
const EXEMPT = new Set(['id', 'type', 'version']);
/** Fields needing more than SEARCH. */
const EXTRA: Readonly<Record<string, Permission>> = { downloadUrl: 'DOWNLOAD' };
/** Values for required arguments, by `field.argument`. */
const REQUIRED_ARGS: Readonly<Record<string, string>> = { 'licenseCheck.githubUrl': '"https://github.com/github3py/github3py"' };

const PASSWORD = 'a long enough password';
const CALLERS = {
  upload: ['UPLOAD'],
  'upload+search': ['UPLOAD', 'SEARCH'],
  'upload+search+download': ['UPLOAD', 'SEARCH', 'DOWNLOAD'],
  search: ['SEARCH'],
  'search+download': ['SEARCH', 'DOWNLOAD'],
} as const satisfies Record<string, readonly Permission[]>;
type Caller = keyof typeof CALLERS;
const tokens = new Map<Caller, string>();

let schema: GraphQLSchema;
let model: ArtifactView;

beforeAll(async () => {
  const introspected = await t.gql<IntrospectionQuery>(getIntrospectionQuery());
  schema = buildClientSchema(introspected.data!);
  for (const [username, permissions] of Object.entries(CALLERS) as [Caller, readonly Permission[]][]) {
    const registered = await t.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', {
      input: { username: username.replaceAll('+', '-'), password: PASSWORD, permissions },
    });
    expect(registered.errors).toBeUndefined();
    tokens.set(username, await t.login(username.replaceAll('+', '-'), PASSWORD));
  }
  // A recorded Hub model: it has every field an artifact can have (files, rating, lineage, README).
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'MODEL', url: 'https://huggingface.co/google-bert/bert-base-uncased' } });
  model = created.data!.ingestArtifact.artifact;
  expect((await uploadFile(t, model.id, 'config.json', Buffer.from('{}'))).errors).toBeUndefined();
  // The admin downloads once, so the history holds a download.
  expect((await t.gql('query($id: ID!) { artifact(id: $id) { files { downloadUrl } } }', { id: model.id })).errors).toBeUndefined();
});

/** Every field a Model has, its own and the Artifact interface's, with what it needs. */
function artifactFields(): GraphQLField<unknown, unknown>[] {
  const artifact = schema.getType('Artifact');
  if (!isInterfaceType(artifact)) throw new Error('Artifact is not an interface');
  const implementations = schema.getPossibleTypes(artifact);
  // Only a model is registered here: a field that only datasets or code have needs an artifact of theirs.
  for (const type of implementations.filter((type) => type.name !== 'Model')) {
    const own = Object.keys(type.getFields()).filter((name) => !(name in artifact.getFields()));
    expect(own, `${type.name} has fields of its own: register a ${type.name} in this test`).toEqual([]);
  }
  const modelType = schema.getType('Model');
  if (!isObjectType(modelType)) throw new Error('Model is not an object type');
  return Object.values(modelType.getFields());
}

function selection(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const missing = args.filter((arg) => REQUIRED_ARGS[`${field.name}.${arg.name}`] === undefined);
  if (missing.length > 0) throw new Error(`give REQUIRED_ARGS a value for ${field.name}.${missing[0]!.name}`);
  const argText = args.length > 0 ? `(${args.map((arg) => `${arg.name}: ${REQUIRED_ARGS[`${field.name}.${arg.name}`]}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const sub = isObjectType(named) || isAbstractType(named) ? ' { __typename }' : '';
  return `${field.name}${argText}${sub}`;
}

function expected(field: string, caller: Caller): 'allowed' | 'FORBIDDEN' {
  if (EXEMPT.has(field)) return 'allowed';
  const held: readonly Permission[] = CALLERS[caller];
  const needs: Permission[] = ['SEARCH', ...(EXTRA[field] ? [EXTRA[field]] : [])];
  return needs.every((permission) => held.includes(permission)) ? 'allowed' : 'FORBIDDEN';
}

/**
 * FORBIDDEN on this field (not on the root, which the caller holds the permission for): at the
 * field in a query, before anything runs in a mutation (`extensions.field` names it).
 */
function outcome(response: GraphQLResponse<unknown>, field: string): 'allowed' | 'FORBIDDEN' {
  const refused = response.errors?.find((error) => error.path?.at(-1) === field || String(error.extensions?.['field']).endsWith(`.${field}`));
  if (refused?.extensions?.['code'] === 'FORBIDDEN') return 'FORBIDDEN';
  expect(response.errors?.filter((e) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(String(e.extensions?.['code']))) ?? [], JSON.stringify(response.errors)).toEqual([]);
  return 'allowed';
}

const currentVersion = async () => (await t.gql<{ artifact: { version: number } }>('query($id: ID!) { artifact(id: $id) { version } }', { id: model.id })).data!.artifact.version;

describe('artifact fields reached through a mutation payload', () => {
  const callers: Caller[] = ['upload', 'upload+search', 'upload+search+download'];
  it('covers the fields the schema has', () => expect(artifactFields().length).toBeGreaterThan(15));

  it.each(callers)('an updateArtifact that changes nothing, as %s, shows each field only with its scopes', async (caller) => {
    for (const field of artifactFields()) {
      const response = await t.gqlAs(
        tokens.get(caller),
        `mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { ... on Model { ${selection(field)} } } } }`,
        { input: { id: model.id, expectedVersion: await currentVersion(), name: model.name } },
      );
      expect(outcome(response, field.name), `${field.name} as ${caller}`).toBe(expected(field.name, caller));
    }
  });

  it('refuses an answer the caller may not read before the mutation changes anything', async () => {
    const before = await currentVersion();
    const renamed = await t.gqlAs(tokens.get('upload'), 'mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { id name } } }', {
      input: { id: model.id, expectedVersion: before, name: 'renamed-by-upload-only' },
    });
    expect(renamed.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', field: 'Artifact.name', permission: 'SEARCH' }) })]);
    expect(renamed.data ?? null).toBeNull();
    expect(await currentVersion()).toBe(before);
    // An ingest likewise: nothing registered, so the retry with a readable answer registers it (no CONFLICT).
    const url = 'https://www.kaggle.com/datasets/registry-tests/upload-only-ingest';
    const asked = (fields: string) => t.gqlAs<{ ingestArtifact: { artifact: { id: string } } }>(tokens.get('upload'), `mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { ${fields} } } }`, { input: { type: 'DATASET', url } });
    expect((await asked('id ... on Dataset { url }')).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const retried = await asked('id type version');
    expect(retried.errors).toBeUndefined();
    // A file's download URL needs DOWNLOAD: uploading as UPLOAD+SEARCH while asking for it changes nothing either.
    const upload = await t.gqlAs(tokens.get('upload+search'), 'mutation($input: CreateUploadUrlInput!) { createUploadUrl(input: $input) { uploadId } }', {
      input: { artifactId: model.id, path: 'probe.bin', size: 1, sha256: 'b'.repeat(64) },
    });
    expect(upload.errors).toBeUndefined();
  });

  it('an UPLOAD-only user still gets what it needs to go on', async () => {
    const response = await t.gqlAs<{ updateArtifact: { artifact: { id: string; type: string; version: number } } }>(
      tokens.get('upload'),
      'mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { id type version } } }',
      { input: { id: model.id, expectedVersion: await currentVersion(), name: model.name } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateArtifact.artifact).toMatchObject({ id: model.id, type: 'MODEL' });
  });
});

describe('artifact fields reached through a query', () => {
  it.each(['search', 'search+download'] as const)('as %s, each field needs its scopes', async (caller) => {
    for (const field of artifactFields()) {
      const response = await t.gqlAs(tokens.get(caller), `query($id: ID!) { artifact(id: $id) { ... on Model { ${selection(field)} } } }`, { id: model.id });
      expect(outcome(response, field.name), `${field.name} as ${caller}`).toBe(expected(field.name, caller));
    }
  });
});

describe('who downloaded what', () => {
  const HISTORY = 'query($id: ID!) { artifact(id: $id) { history(first: 100) { edges { node { type actor } } } } }';
  type HistoryView = { artifact: { history: { edges: { node: { type: string; actor: string | null } }[] } } };

  it('is visible to admins only: others see the download without its actor, and no error', async () => {
    const asAdmin = await t.gql<HistoryView>(HISTORY, { id: model.id });
    const asSearcher = await t.gqlAs<HistoryView>(tokens.get('search'), HISTORY, { id: model.id });
    expect(asSearcher.errors).toBeUndefined();
    const downloads = (view: GraphQLResponse<HistoryView>) => view.data!.artifact.history.edges.map((e) => e.node).filter((n) => n.type === 'FILE_DOWNLOADED');
    expect(downloads(asAdmin).length).toBeGreaterThan(0);
    expect(downloads(asAdmin).every((n) => typeof n.actor === 'string')).toBe(true);
    expect(downloads(asSearcher)).toEqual(downloads(asAdmin).map((n) => ({ ...n, actor: null })));
    // Other changes keep their actor.
    expect(asSearcher.data!.artifact.history.edges[0]!.node).toEqual({ type: 'REGISTERED', actor: expect.any(String) });
  });
});
