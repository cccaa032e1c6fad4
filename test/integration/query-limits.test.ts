import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/query-limits.js';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';


const t = useTestRegistry();

describe('query limits', () => {
  it('accepts an ordinary page with history', async () => {
    const response = await t.gql('{ artifacts(first: 100) { edges { cursor node { id name history(first: 10) { edges { node { version type at } } } } } } }');
    expect(response.errors).toBeUndefined();
  });

  it('rejects a query that fans out past the cost limit, counting unpaged lists at their caps', async () => {
    // 100 artifacts x up to 1,000 files x 4 fields is far beyond the limit; 10 artifacts are not.
    const files = (first: number) => `{ artifacts(first: ${first}) { edges { node { files { path size sha256 contentType } } } } }`;
    expect(errorCode(await t.gql(files(100)))).toBe('QUERY_TOO_COMPLEX');
    expect((await t.gql(files(10))).errors).toBeUndefined();
  });

  it('assumes the largest page when first is a variable', async () => {
    const response = await t.gql('query($n: Int) { artifacts(first: $n) { edges { node { files { path size sha256 contentType } } } } }', { n: 1 });
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
  });

  it('lets GraphiQL introspect the schema', async () => {
    const response = await t.gql(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }));
    expect(response.errors).toBeUndefined();
  });

  it('rejects alias amplification', async () => {
    const aliases = Array.from({ length: DEFAULT_QUERY_LIMITS.maxAliases + 1 }, (_, i) => `h${i}: health { status }`).join(' ');
    expect(errorCode(await t.gql(`{ ${aliases} }`))).toBe('QUERY_TOO_COMPLEX');
  });

  it('rejects an oversized document before parsing it fully', async () => {
    const fields = Array.from({ length: DEFAULT_QUERY_LIMITS.maxTokens }, () => '__typename').join(' ');
    expect(errorCode(await t.gql(`{ ${fields} }`))).toBe('QUERY_TOO_COMPLEX');
  });
});
