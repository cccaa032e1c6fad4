import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { GET, INGEST, LIST, UPDATE, type ArtifactView } from '../support/operations.js';


const t = useTestRegistry();

async function eventCount(): Promise<number> {
  let total = 0;
  for await (const ids of (await t.scope()).store.events.allStreamIds()) total += ids.length;
  return total;
}

describe('bad input is BAD_USER_INPUT and writes nothing', () => {
  it.each([
    ['not a URL', { type: 'MODEL', url: 'not a url' }],
    ['an empty URL', { type: 'MODEL', url: '   ' }],
    ['a non-http scheme', { type: 'MODEL', url: 'ftp://huggingface.co/google-bert/bert-base-uncased' }],
    ['a URL with credentials', { type: 'CODE', url: 'https://user:secret@github.com/a/b' }],
    ['a GitHub URL without a repository', { type: 'CODE', url: 'https://github.com/openai' }],
    ['a dataset URL registered as a model', { type: 'MODEL', url: 'https://huggingface.co/datasets/stanfordnlp/imdb' }],
    ['a model URL registered as a dataset', { type: 'DATASET', url: 'https://huggingface.co/google-bert/bert-base-uncased' }],
    ['a Hub page that is not a repository', { type: 'MODEL', url: 'https://huggingface.co/docs' }],
    ['an empty name', { type: 'MODEL', url: 'https://huggingface.co/org/empty-name', name: '' }],
    ['a blank name', { type: 'MODEL', url: 'https://huggingface.co/org/blank-name', name: '   ' }],
    ['the reserved name *', { type: 'MODEL', url: 'https://huggingface.co/org/star', name: '*' }],
    ['a name with control characters', { type: 'MODEL', url: 'https://huggingface.co/org/ctl', name: 'a\u0000b' }],
    ['an over-long URL', { type: 'MODEL', url: `https://example.com/${'a'.repeat(2100)}` }],
  ])('rejects %s', async (_label, input) => {
    const before = await eventCount();
    const response = await t.gql(INGEST, { input });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message.length).toBeGreaterThan(5);
    expect(await eventCount()).toBe(before);
  });

  it('rejects an unknown artifact type, inline or as a variable', async () => {
    const inline = await t.gql('mutation { ingestArtifact(input: {type: WIDGET, url: "https://x.org/a"}) { artifact { id } } }');
    expect(errorCode(inline)).toBe('BAD_USER_INPUT');
    const variable = await t.gql(INGEST, { input: { type: 'WIDGET', url: 'https://x.org/a' } });
    expect(errorCode(variable)).toBe('BAD_USER_INPUT');
  });

  it('rejects malformed ids, cursors and page sizes', async () => {
    expect(errorCode(await t.gql(GET, { id: 'not-an-id' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(GET, { id: Buffer.from('User:01ARZ3NDEKTSV4RRFFQ69G5FAV').toString('base64') }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { first: -1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { first: 101 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { first: 5, after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(LIST, { filter: { name: 'a', normalizedName: 'a' } }))).toBe('BAD_USER_INPUT');
  });

  it('rejects a cursor from a different query', async () => {
    for (const name of ['cursor-a', 'cursor-b']) await t.gql(INGEST, { input: { type: 'CODE', url: `https://gitlab.com/org/${name}` } });
    const page = await t.gql<{ artifacts: { pageInfo: { endCursor: string } } }>(LIST, { first: 1 });
    const foreign = await t.gql(LIST, { first: 1, filter: { types: ['CODE'] }, after: page.data!.artifacts.pageInfo.endCursor });
    expect(errorCode(foreign)).toBe('BAD_USER_INPUT');
  });

  it('rejects an update that changes nothing it names, and invalid new values', async () => {
    // Code from a host with no API: nothing to read or rate, and a Hub dataset URL is no URL for it.
    const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/upd' } });
    const { id } = created.data!.ingestArtifact.artifact;
    expect(errorCode(await t.gql(UPDATE, { input: { id, expectedVersion: 1 } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(UPDATE, { input: { id, expectedVersion: 1, name: '*' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(UPDATE, { input: { id, expectedVersion: 1, url: 'https://huggingface.co/datasets/x/y' } }))).toBe('BAD_USER_INPUT');
    const after = await t.gql<{ artifact: ArtifactView }>(GET, { id });
    expect(after.data!.artifact.version).toBe(1);
  });
});
