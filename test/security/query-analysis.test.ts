import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/query-limits.js';
import { createRegistryYoga, listen, type RunningServer } from '../../src/server/yoga.js';
import { postGraphQL, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { FILES, uploadFile } from '../support/files.js';
import { doublingFragments } from '../support/query-documents.js';

// Issue 11 item 1 and issue 12: documents that froze the server or answered a bare "Validation
// aborted.", replayed over HTTP against the real emulators.
const t = useTestRegistry();

let counter = 0;
async function modelWithFiles(count: number): Promise<string> {
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'DATASET', url: `https://www.kaggle.com/datasets/org/qa-${++counter}` } });
  const id = created.data!.ingestArtifact.artifact.id;
  for (let i = 0; i < count; i++) expect((await uploadFile(t, id, `f${i}.txt`, Buffer.from(`file ${i} of ${id}`))).errors).toBeUndefined();
  return id;
}

const versionOf = async (id: string) => (await t.gql<{ artifact: { version: number } }>(FILES, { id })).data!.artifact.version;
/** Download URLs issued so far: download records, which leave the version alone. */
const downloadsOf = async (id: string) =>
  (await t.gql<{ artifact: { history: { edges: unknown[] } } }>('query($id: ID!) { artifact(id: $id) { history(first: 100, types: [FILE_DOWNLOADED]) { edges { cursor } } } }', { id })).data!.artifact.history.edges.length;
const only = (response: GraphQLResponse<unknown>) => {
  expect(response.errors).toHaveLength(1);
  return response.errors![0]!;
};

describe('fragments that double at every level', () => {
  it('answers QUERY_TOO_COMPLEX quickly, and a concurrent health probe is not held up', async () => {
    // Before: 11 s and more in the analysis alone, with the whole process blocked meanwhile.
    const started = performance.now();
    const attack = t.gqlAs(undefined, doublingFragments(24)).then((response) => ({ response, ms: performance.now() - started }));
    const probe = t.gqlAs(undefined, '{ health { status } }').then((response) => ({ response, ms: performance.now() - started }));
    const [a, p] = await Promise.all([attack, probe]);
    expect(only(a.response).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxCost' });
    expect(p.response.errors).toBeUndefined();
    // Generous bounds: they hold on a loaded machine, and fail by far on the old analysis.
    expect(a.ms).toBeLessThan(2_000);
    expect(p.ms).toBeLessThan(2_000);
  });
});

describe('download URLs per request', () => {
  it('refuses 30 aliases of files { downloadUrl } before anything runs, recording nothing', async () => {
    const id = await modelWithFiles(2);
    const before = await versionOf(id);
    const downloadsBefore = await downloadsOf(id);
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: artifact(id: $id) { files { downloadUrl } }`).join(' ');
    const response = await t.gql(`query($id: ID!) { ${aliases} }`, { id });
    expect(response.data).toBeUndefined();
    expect(only(response).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxDownloadUrls', limit: DEFAULT_QUERY_LIMITS.maxDownloadUrls });
    expect(await versionOf(id)).toBe(before);
    expect(await downloadsOf(id)).toBe(downloadsBefore);
  });

  describe('a list longer than the document shows', () => {
    // The same registry behind a server whose cap is 3, so 4 files are enough to pass it.
    let server: RunningServer;
    beforeAll(async () => {
      server = await listen(createRegistryYoga(t.registry, { queryLimits: { ...DEFAULT_QUERY_LIMITS, maxDownloadUrls: 3 } }), 0);
    });
    afterAll(() => server.close());

    it('issues URLs up to the cap as the request runs and refuses the rest, each refusal recording nothing', async () => {
      const id = await modelWithFiles(4);
      const before = await versionOf(id);
      const downloadsBefore = await downloadsOf(id);
      const response = await postGraphQL<{ artifact: { files: { path: string; downloadUrl: string | null }[] } }>(
        server.url,
        'query($id: ID!) { artifact(id: $id) { files { path downloadUrl } } }',
        { id },
        t.adminToken,
      );
      const urls = response.data!.artifact.files.map((file) => file.downloadUrl);
      expect(urls.filter((url) => url !== null)).toHaveLength(3);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxDownloadUrls', limit: 3 });
      expect(await downloadsOf(id)).toBe(downloadsBefore + 3);
      expect(await versionOf(id)).toBe(before);
    });
  });
});

describe('directive and field floods', () => {
  it('refuses a directive flood naming the directive limit', async () => {
    const flood = Array.from({ length: 200 }, () => '@skip(if: false)').join(' ');
    const response = await t.gqlAs(undefined, `{ health { status ${flood} } }`);
    expect(only(response).extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxDirectives', limit: DEFAULT_QUERY_LIMITS.maxDirectives });
  });

  it('answers a 1,000-field document with the field limit, not "Validation aborted."', async () => {
    const fields = Array.from({ length: 1_000 }, (_, i) => `f${i % 10}`).join(' ');
    const error = only(await t.gqlAs(undefined, `{ ${fields} }`));
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxFields', limit: DEFAULT_QUERY_LIMITS.maxFields });
    expect(error.message).toContain(`limit is ${DEFAULT_QUERY_LIMITS.maxFields}`);
  });

  it('says validation stopped at its error limit, first, instead of a bare "Validation aborted."', async () => {
    // Under the field limit, but every field is unknown: graphql-js stops after 100 errors.
    const fields = Array.from({ length: 150 }, (_, i) => `f${i}`).join(' ');
    const response = await t.gqlAs(undefined, `{ ${fields} }`);
    const [first, ...rest] = response.errors!;
    expect(first!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxValidationErrors', limit: 100 });
    expect(first!.message).toMatch(/validation stopped after 100 errors/);
    expect(rest).toHaveLength(100);
    expect(rest.every((error) => error.extensions?.['code'] === 'BAD_USER_INPUT')).toBe(true);
    expect(response.errors!.some((error) => /Validation aborted/.test(error.message))).toBe(false);
  });
});
