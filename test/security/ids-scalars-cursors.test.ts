import { describe, expect, it } from 'vitest';
import { AUTH_CALLS_PER_REQUEST, dynamoCallsDuring, errorCode, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { artifactIdOf } from '../support/ids.js';
import { SYSTEM_ACTOR } from '../../src/domain/ids.js';
import { GET, HISTORY, INGEST, LIST, UPDATE, type ArtifactPage, type ArtifactView } from '../support/operations.js';

/** A client's mistake is a client error, every id the API prints is one it accepts, cursors are opaque and checked. */
const t = useTestRegistry();

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Artifact { name } } }';

async function ingest(type: string, url: string, name?: string): Promise<ArtifactView> {
  const response = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type, url, ...(name && { name }) } });
  if (!response.data?.ingestArtifact) throw new Error(JSON.stringify(response.errors));
  return response.data.ingestArtifact.artifact;
}

/** The `extensions.code` of every error, which must be there. */
const codes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.extensions?.['code']);

describe('global ids', () => {
  it('node(id) and artifact(id) answer BAD_USER_INPUT for strings that are no artifact id, before any store call', async () => {
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/ids/d1');
    const ulid = artifactIdOf(dataset.id);
    for (const id of [
      'not base64!',
      b64('User:x'),
      b64('Upload:x'),
      b64('Query:x'),
      b64('Model:x'),
      ulid,
      b64(`Dataset:${ulid.toLowerCase()}`),
      dataset.id.replace(/=+$/, ''), // the same bytes, not the canonical spelling
      b64(`Model:${'A'.repeat(100_000)}`),
    ]) {
      for (const query of [NODE, GET]) {
        const response = await t.gql(query, { id });
        expect(codes(response), `${query} ${id.slice(0, 40)}`).toEqual(['BAD_USER_INPUT']);
      }
    }
    const calls = await dynamoCallsDuring(t.registry, () => t.gql(NODE, { id: b64(`Model:${'A'.repeat(100_000)}`) }));
    expect(Object.values(calls).reduce((sum, n) => sum + n, 0)).toBe(AUTH_CALLS_PER_REQUEST);
  });

  it('agree on an id whose type prefix is not the artifact type: null in both', async () => {
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/ids/d2');
    const asModel = b64(`Model:${artifactIdOf(dataset.id)}`);
    for (const query of [NODE, GET]) {
      const wrong = await t.gql<Record<string, unknown>>(query, { id: asModel });
      expect(wrong.errors).toBeUndefined();
      expect(Object.values(wrong.data!)[0]).toBeNull();
      const right = await t.gql<Record<string, { id: string }>>(query, { id: dataset.id });
      expect(Object.values(right.data!)[0]!.id).toBe(dataset.id);
    }
  });

  it('CONFLICT names artifacts by the global ids the API accepts', async () => {
    const code = await ingest('CODE', 'https://gitlab.com/ids/holder');
    const again = await t.gql(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/ids/holder' } });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', existingId: code.id });
    expect(again.errors![0]!.message).toContain(code.id);
    const holder = await t.gql<{ artifact: ArtifactView }>(GET, { id: again.errors![0]!.extensions!['existingId'] });
    expect(holder.data!.artifact.id).toBe(code.id);

    const stale = await t.gql(UPDATE, { input: { id: code.id, expectedVersion: 7, name: 'renamed' } });
    expect(stale.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', id: code.id, currentVersion: 1 });
    expect(stale.errors![0]!.message).toContain(code.id);
  });

  it('prints link targets in history as global ids', async () => {
    // Only a model links, and every model is rated: two recorded Hub models that declare no link to each other.
    const parent = await ingest('MODEL', 'https://huggingface.co/openai-community/gpt2');
    const dataset = await ingest('DATASET', 'https://www.kaggle.com/datasets/ids/data');
    const child = await ingest('MODEL', 'https://huggingface.co/google-bert/bert-base-uncased');
    const { commands } = await t.scope();
    const linked = await commands.link(artifactIdOf(child.id), [
      { kind: 'parent', targetId: artifactIdOf(parent.id), relationship: 'finetune', source: 'card', reference: 'ids/parent' },
      { kind: 'dataset', targetId: artifactIdOf(dataset.id), relationship: 'training', source: 'card', reference: 'ids/data' },
    ], SYSTEM_ACTOR);
    expect(linked.ok).toBe(true);
    const history = await t.gql<{ artifact: { history: { edges: { node: { type: string; changes: string } }[] } } }>(HISTORY, { id: child.id });
    const entry = history.data!.artifact.history.edges.find((edge) => edge.node.type === 'LINKED')!;
    const targets = (JSON.parse(entry.node.changes) as { links: { targetId: string }[] }).links.map((link) => link.targetId);
    expect(targets).toEqual([parent.id, dataset.id]);
    for (const target of targets) expect((await t.gql<{ node: { id: string } }>(NODE, { id: target })).data!.node.id).toBe(target);
  });
});

describe('scalars', () => {
  const UPLOAD = 'mutation($input: CreateUploadUrlInput!) { createUploadUrl(input: $input) { uploadId } }';
  const upload = (size: unknown) => ({ input: { artifactId: b64('Model:01ARZ3NDEKTSV4RRFFQ69G5FAV'), path: 'a.bin', size, sha256: 'a'.repeat(64) } });

  it('refuse a bad Bytes variable as BAD_USER_INPUT naming the field, with HTTP 400 under graphql-response+json', async () => {
    for (const size of [-1, '5', 5.5, 2 ** 53 + 2, 1e21]) {
      const response = await t.gql(UPLOAD, upload(size));
      expect(errorCode(response), String(size)).toBe('BAD_USER_INPUT');
      expect(response.status).toBe(400);
      expect(response.errors![0]!.message).toContain('input.size');
    }
    // 2^53 + 1 is not even a JSON number JavaScript can hold: sent as text, it arrives as 2^53.
    const text = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${t.adminToken}` },
      body: `{"query": ${JSON.stringify(UPLOAD)}, "variables": {"input": {"artifactId": "x", "path": "a", "sha256": "x", "size": 9007199254740993}}}`,
    });
    expect(text.status).toBe(400);
    expect(((await text.json()) as GraphQLResponse).errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
  });

  it('refuse bad Bytes literals and a File given as a string as BAD_USER_INPUT', async () => {
    for (const size of ['-1', '1.5', '9007199254740992', '"5"']) {
      const response = await t.gql(`mutation { createUploadUrl(input: {artifactId: "x", path: "a", sha256: "x", size: ${size}}) { uploadId } }`);
      expect(errorCode(response), size).toBe('BAD_USER_INPUT');
      expect(response.status).toBe(400);
    }
    const file = await t.gql('mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path } } }', {
      input: { artifactId: b64('Model:01ARZ3NDEKTSV4RRFFQ69G5FAV'), path: 'a', file: 'not a file' },
    });
    expect(errorCode(file)).toBe('BAD_USER_INPUT');
    expect(file.status).toBe(400);
  });

  it('answer 200 for the same request error under application/json, as GraphQL over HTTP says', async () => {
    const response = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${t.adminToken}` },
      body: JSON.stringify({ query: UPLOAD, variables: upload(-1) }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as GraphQLResponse).errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
  });
});

describe('cursors and paging', () => {
  const USERS = 'query($first: Int, $after: String) { users(first: $first, after: $after) { edges { cursor node { username } } pageInfo { hasNextPage endCursor } } }';

  it('refuse garbage, tampered and well-formed-but-foreign cursors on every connection as BAD_USER_INPUT naming after', async () => {
    const a = await ingest('CODE', 'https://gitlab.com/cursors/a');
    await ingest('CODE', 'https://gitlab.com/cursors/b');
    const artifacts = await t.gql<ArtifactPage>(LIST, { first: 1 });
    const users = await t.gql<{ users: { pageInfo: { endCursor: string } } }>(USERS, { first: 1 });
    const history = await t.gql<{ artifact: { history: { pageInfo: { endCursor: string } } } }>(HISTORY, { id: a.id, first: 1 });
    const real = {
      artifacts: artifacts.data!.artifacts.pageInfo.endCursor!,
      users: users.data!.users.pageInfo.endCursor,
      history: history.data!.artifact.history.pageInfo.endCursor,
    };
    const flip = (cursor: string, at: number) => cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
    const bad = (cursor: string) => [
      'garbage',
      '',
      b64url(JSON.stringify({ q: 'x', k: { pk: 'a', sk: 'b' } })),
      b64url(JSON.stringify({ id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', name: 'x' })),
      b64url('v1'),
      flip(cursor, 3),
      flip(cursor, cursor.length - 2),
      `${cursor}A`,
      'A'.repeat(100_000),
    ];
    for (const cursor of bad(real.artifacts)) {
      expect(codes(await t.gql(LIST, { first: 1, after: cursor }))).toEqual(['BAD_USER_INPUT']);
      expect((await t.gql(LIST, { first: 1, after: cursor })).errors![0]!.extensions!['field']).toBe('after');
    }
    for (const cursor of bad(real.users)) expect(codes(await t.gql(USERS, { first: 1, after: cursor }))).toEqual(['BAD_USER_INPUT']);
    for (const cursor of bad(real.history)) expect(codes(await t.gql(HISTORY, { id: a.id, first: 1, after: cursor }))).toEqual(['BAD_USER_INPUT']);
    // A cursor is bound to its connection: another connection's is refused too.
    expect(codes(await t.gql(USERS, { first: 1, after: real.artifacts }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(LIST, { first: 1, after: real.history }))).toEqual(['BAD_USER_INPUT']);
  });

  it('expose no table keys', async () => {
    await ingest('CODE', 'https://gitlab.com/cursors/keys');
    const page = await t.gql<ArtifactPage>(LIST, { first: 3, filter: { normalizedName: 'keys' } });
    for (const edge of page.data!.artifacts.edges) {
      const text = Buffer.from(edge.cursor, 'base64url').toString('latin1');
      expect(text).not.toMatch(/\$registry|artifactprojection|gsi|"pk"|"sk"/i);
    }
  });

  it('page through every listing, by name and exact name too', async () => {
    for (let i = 0; i < 5; i++) await ingest('DATASET', `https://www.kaggle.com/datasets/paging/p${i}`, 'Paging Name');
    await ingest('DATASET', 'https://www.kaggle.com/datasets/paging/other', 'paging-name');
    const walk = async (filter: Record<string, unknown>) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: GraphQLResponse<ArtifactPage> = await t.gql<ArtifactPage>(LIST, { first: 2, filter, after });
        expect(page.errors).toBeUndefined();
        seen.push(...page.data!.artifacts.edges.map((edge) => edge.node.id));
        if (!page.data!.artifacts.pageInfo.hasNextPage) return seen;
        after = page.data!.artifacts.pageInfo.endCursor;
      }
    };
    expect(await walk({ name: 'Paging Name' })).toHaveLength(5);
    expect(new Set(await walk({ normalizedName: 'PAGING name' })).size).toBe(6);
    const all = await walk({ types: ['DATASET'] });
    expect(new Set(all).size).toBe(all.length);
  });

  it('answers first: 0 with no edges and a pageInfo that says whether there are any', async () => {
    await ingest('CODE', 'https://gitlab.com/cursors/zero');
    const page = await t.gql<{ artifacts: { edges: unknown[]; pageInfo: Record<string, unknown> } }>(
      '{ artifacts(first: 0) { edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }',
    );
    expect(page.data!.artifacts).toEqual({ edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null } });
    const none = await t.gql<{ artifacts: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      '{ artifacts(first: 0, filter: { name: "no such name" }) { edges { cursor } pageInfo { hasNextPage } } }',
    );
    expect(none.data!.artifacts).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
    expect(codes(await t.gql(LIST, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('offers no last/before on any field, since no connection pages backwards', async () => {
    const schema = await t.gql<{ __schema: { types: { fields: { name: string; args: { name: string }[] }[] | null }[] } }>(
      '{ __schema { types { fields { name args { name } } } } }',
    );
    const backward = schema.data!.__schema.types.flatMap((type) => type.fields ?? []).filter((field) => field.args.some((arg) => ['last', 'before'].includes(arg.name)));
    expect(backward.map((field) => field.name)).toEqual([]);
  });

  it('refuses filters longer than any name before they become index keys', async () => {
    for (const filter of [{ name: 'n'.repeat(5_000) }, { normalizedName: 'n'.repeat(5_000) }]) {
      const response = await t.gql(LIST, { filter });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
