import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { FixtureReplay } from '../support/fixture-replay.js';
import { routeSyntheticParent } from '../support/synthetic-parents.js';
import { ARTIFACT_FIELDS, DELETE, INGEST, RATING_FIELDS, UPDATE, type ArtifactView } from '../support/operations.js';
import { httpRequest, uploadFile } from '../support/files.js';
import { exportRegistry } from '../../src/application/registry-export.js';
import { ImportRefused, importRegistry } from '../../src/application/registry-import.js';
import { SILENT_PROGRESS, type Progress } from '../../src/application/progress.js';
import { SYSTEM_ACTOR } from '../../src/domain/ids.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';

/**
 * A registry with every kind of stored thing is exported, imported into a fresh table and bucket
 * on the same emulators, and read back through GraphQL over HTTP: the answers must be identical.
 */
const CHILD = 'deepset/roberta-base-squad2';
const PARENT = 'FacebookAI/roberta-base';

let storage: EmbeddedStorage;
let source: TestRegistry;
let target: TestRegistry;
let dir: string;
const ids: string[] = [];
let deletedId = '';
let beforeDeletion = '';
const FILE_BYTES = Buffer.from('{"hidden_size": 768, "layers": 12}');

const FULL = `query($id: ID!, $asOf: DateTime) { artifact(id: $id, asOf: $asOf) {
  __typename id type name url version createdAt updatedAt readme storedBytes
  mirrorStatus { state filesDone filesTotal bytesDone error }
  files { path size sha256 contentType }
  cost(includeDependencies: true) { standaloneBytes totalBytes items { artifact { id } sizeKnown standaloneBytes } }
  history(first: 100) { edges { cursor node { version type actor at changes change { __typename } } } pageInfo { hasNextPage endCursor } }
  ... on Model {
    rating { ${RATING_FIELDS} }
    lineage { nodes { id name } edges { parent { id name } child { id name } relationship source } unresolvedParents }
    datasets { id name }
    code { id name }
  }
} }`;
const USERS = 'query { users(first: 100) { edges { node { username permissions createdAt } } } }';
const ALIAS = 'query($name: String!, $alias: String!) { artifactByAlias(name: $name, alias: $alias) { id version } }';

async function ingest(t: TestRegistry, type: string, url: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

async function ok(t: TestRegistry, query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await t.gql(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

function replay(): FixtureReplay {
  const fixtures = new FixtureReplay();
  routeSyntheticParent(fixtures, CHILD, PARENT);
  return fixtures;
}

beforeAll(async () => {
  storage = await startStorage();
  source = await startTestRegistry(storage, { replay: replay() });
  target = await startTestRegistry(storage, { replay: replay() });
  dir = await mkdtemp(join(tmpdir(), 'registry-export-'));

  const child = await ingest(source, 'MODEL', `https://huggingface.co/${CHILD}`);
  const parent = await ingest(source, 'MODEL', `https://huggingface.co/${PARENT}`);
  const bert = await ingest(source, 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
  const dataset = await ingest(source, 'DATASET', 'https://www.kaggle.com/datasets/registry-tests/bookcorpus');
  const code = await ingest(source, 'CODE', 'https://gitlab.com/org/export-code');
  const renamed = await ok(source, UPDATE, { input: { id: code.id, expectedVersion: code.version, name: 'renamed-code' } });
  expect(renamed).toBeTruthy();
  const uploaded = await uploadFile(source, child.id, 'config.json', FILE_BYTES, 'application/json');
  expect(uploaded.errors).toBeUndefined();
  // A download, recorded beside the stream.
  await ok(source, 'query($id: ID!) { artifact(id: $id) { files { downloadUrl } } }', { id: child.id });
  const setAlias = 'mutation($input: SetAliasInput!) { setAlias(input: $input) { moved } }';
  await ok(source, setAlias, { input: { name: 'roberta-base-squad2', alias: 'production', artifactId: child.id } });
  await ok(source, setAlias, { input: { name: 'roberta-base-squad2', alias: 'staging', artifactId: child.id } });
  await ok(source, 'mutation($input: RemoveAliasInput!) { removeAlias(input: $input) { __typename } }', { input: { name: 'roberta-base-squad2', alias: 'staging' } });
  const doomed = await ingest(source, 'CODE', 'https://gitlab.com/org/export-doomed');
  beforeDeletion = new Date().toISOString();
  await ok(source, DELETE, { input: { id: doomed.id, expectedVersion: doomed.version } });
  deletedId = doomed.id;
  await ok(source, 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', { input: { username: 'alice', password: 'correct horse battery staple', permissions: ['SEARCH'] } });
  await ok(source, 'mutation($input: SetPermissionsInput!) { setPermissions(input: $input) { user { username } } }', { input: { username: 'alice', permissions: ['SEARCH', 'DOWNLOAD'] } });
  await ok(source, 'mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', { input: { username: 'bob', password: 'another long passphrase', permissions: ['UPLOAD'] } });
  await ok(source, 'mutation($u: String!) { deleteUser(username: $u) { __typename } }', { u: 'bob' });
  ids.push(child.id, parent.id, bert.id, dataset.id, code.id);
});

afterAll(async () => {
  for (const t of [source, target]) {
    expect(t.serverErrors).toEqual([]);
    await t.close();
  }
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

describe('export and import', () => {
  it('round-trips every artifact, alias and user; a rerun is a no-op; a file downloads with its bytes', async () => {
    const file = join(dir, 'registry.ndjson');
    const blobs = join(dir, 'blobs');
    const exported = await exportRegistry(source.registry, file, { blobsDir: blobs, settleMs: 0, progress: SILENT_PROGRESS });
    expect(exported.blobs).toBe(1);
    const text = await readFile(file, 'utf8');
    const header = JSON.parse(text.split('\n')[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: 'trustworthy-model-registry-export', formatVersion: 1 });
    // Password hashes travel; tokens never do.
    expect(text).toContain('alice');
    const entities = new Set(text.trimEnd().split('\n').slice(1, -1).map((line) => (JSON.parse(line) as { entity: string }).entity));
    expect([...entities].sort()).toEqual(['aliasEvent', 'artifactEvent', 'auditRecord', 'blobReference', 'pendingReference', 'userEvent']);
    expect(text).not.toContain(source.adminToken);

    const first = await importRegistry(target.registry, file, { blobsDir: blobs, progress: SILENT_PROGRESS });
    expect(first).toMatchObject({ written: exported.items, skipped: 0, blobsWritten: 1, users: 3 });

    for (const id of ids) {
      const [before, after] = await Promise.all([ok(source, FULL, { id }), ok(target, FULL, { id })]);
      expect(after).toEqual(before);
      expect(before['artifact']).not.toBeNull();
    }
    // The comparison covers what matters: lineage, a file, a download and alias moves in history.
    const child = (await ok(target, FULL, { id: ids[0] }))['artifact'] as { lineage: { edges: unknown[] }; files: unknown[]; history: { edges: { node: { type: string } }[] } };
    expect(child.lineage.edges.length).toBeGreaterThan(0);
    expect(child.files).toHaveLength(1);
    const types = new Set(child.history.edges.map((edge) => edge.node.type));
    expect(types).toContain('FILE_DOWNLOADED');
    expect([...types].some((type) => type.startsWith('ALIAS'))).toBe(true);
    expect(await ok(target, FULL, { id: deletedId })).toEqual({ artifact: null });
    expect(await ok(target, FULL, { id: deletedId, asOf: beforeDeletion })).toEqual(await ok(source, FULL, { id: deletedId, asOf: beforeDeletion }));
    for (const alias of ['production', 'staging']) {
      const variables = { name: 'roberta-base-squad2', alias };
      expect(await ok(target, ALIAS, variables)).toEqual(await ok(source, ALIAS, variables));
    }
    expect(await ok(target, ALIAS, { name: 'roberta-base-squad2', alias: 'production' })).toEqual({ artifactByAlias: { id: ids[0], version: expect.any(Number) } });
    expect(await ok(target, USERS)).toEqual(await ok(source, USERS));
    // The imported password hash logs in.
    await target.login('alice', 'correct horse battery staple');
    // The URL claims were rebuilt: the same URL is refused as a duplicate.
    const duplicate = await target.gql(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/export-code' } });
    expect(duplicate.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');

    const again = await importRegistry(target.registry, file, { blobsDir: blobs, progress: SILENT_PROGRESS });
    expect(again).toMatchObject({ written: 0, skipped: exported.items, blobsWritten: 0 });
    for (const id of ids) expect(await ok(target, FULL, { id })).toEqual(await ok(source, FULL, { id }));

    const urls = await ok(target, 'query($id: ID!) { artifact(id: $id) { files { downloadUrl } } }', { id: ids[0] });
    const downloadUrl = (urls['artifact'] as { files: { downloadUrl: string }[] }).files[0]!.downloadUrl;
    const download = await httpRequest('GET', downloadUrl);
    expect(download.status).toBe(200);
    expect(download.body.equals(FILE_BYTES)).toBe(true);
  });

  it('exports the registry as of an instant: what was stored by then, nothing after', async () => {
    const file = join(dir, 'as-of.ndjson');
    const cut = await exportRegistry(source.registry, file, { asOf: new Date(beforeDeletion), progress: SILENT_PROGRESS });
    expect(cut.asOf).toBe(beforeDeletion);
    const past = await startTestRegistry(storage, { replay: replay() });
    try {
      await importRegistry(past.registry, file, { progress: SILENT_PROGRESS });
      // Deleted after the cut: live in the imported registry, as the source answers as of the cut.
      const AS_OF = `query($id: ID!, $asOf: DateTime) { artifact(id: $id, asOf: $asOf) { ${ARTIFACT_FIELDS} } }`;
      const then = await ok(source, AS_OF, { id: deletedId, asOf: beforeDeletion });
      expect(then['artifact']).not.toBeNull();
      expect(await ok(past, AS_OF, { id: deletedId })).toEqual(then);
      // alice and bob were registered after it.
      const users = (await ok(past, USERS))['users'] as { edges: { node: { username: string } }[] };
      expect(users.edges.map((edge) => edge.node.username)).toEqual([DEFAULT_ADMIN_USERNAME]);
      for (const id of ids) expect(await ok(past, AS_OF, { id })).toEqual(await ok(source, AS_OF, { id, asOf: beforeDeletion }));
    } finally {
      await past.close();
    }
  });

  it('an interrupted import refuses to finish when something wrote to the registry before its rerun', async () => {
    const file = join(dir, 'beside.ndjson');
    const exported = await exportRegistry(source.registry, file, { settleMs: 0, progress: SILENT_PROGRESS });
    const interruptAt = (phase: string): Progress => ({ phase: (name) => { if (name === phase) throw new Error(`interrupted at ${phase}`); }, advance() {}, finish() {} });

    // A sign-in while the import has removed the default administrator (before writing its items)
    // recreates it: the rerun finds that administrator under the key of the exported one.
    const signedIn = await startTestRegistry(storage, { replay: replay() });
    try {
      await expect(importRegistry(signedIn.registry, file, { progress: interruptAt('import items') })).rejects.toThrow('interrupted at import items');
      expect(await signedIn.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD)).toBeTruthy();
      await expect(importRegistry(signedIn.registry, file, { progress: SILENT_PROGRESS })).rejects.toThrow(
        `something wrote to the registry during the import: 1 items of the export (userEvent ${DEFAULT_ADMIN_USERNAME}@1) were found holding something else; reset the registry`,
      );
    } finally {
      await signedIn.close();
    }

    // A write already under way when the import began (sign-in is impossible until its users are
    // rebuilt) lands beside the imported items: the count at the end tells.
    const wroteBeside = await startTestRegistry(storage, { replay: replay() });
    try {
      await expect(importRegistry(wroteBeside.registry, file, { progress: interruptAt('rebuild artifacts') })).rejects.toThrow('interrupted at rebuild artifacts');
      const scope = await wroteBeside.registry.currentScope();
      expect((await scope.commands.ingest({ type: 'CODE', url: 'https://gitlab.com/org/written-beside' }, SYSTEM_ACTOR)).ok).toBe(true);
      await expect(importRegistry(wroteBeside.registry, file, { progress: SILENT_PROGRESS })).rejects.toThrow(
        `something wrote to the registry during the import: the registry holds ${exported.items + 1} stored events and records, the export ${exported.items}`,
      );
    } finally {
      await wroteBeside.close();
    }
  });

  it('refuses a non-empty registry and a truncated file with one-line reasons, writing nothing', async () => {
    const file = join(dir, 'again.ndjson');
    await exportRegistry(source.registry, file, { settleMs: 0, progress: SILENT_PROGRESS });
    await expect(importRegistry(source.registry, file, { progress: SILENT_PROGRESS })).rejects.toThrow(ImportRefused);
    await expect(importRegistry(source.registry, file, { progress: SILENT_PROGRESS })).rejects.toThrow(/not empty/);
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const truncated = join(dir, 'truncated.ndjson');
    await writeFile(truncated, lines.slice(0, -1).join('\n'));
    await expect(importRegistry(target.registry, truncated, { progress: SILENT_PROGRESS })).rejects.toThrow(/truncated/);
  });
});
