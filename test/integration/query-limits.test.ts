import { getIntrospectionQuery, getNamedType, SchemaMetaFieldDef, type GraphQLFieldResolver, type GraphQLObjectType } from 'graphql';
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

  it('answers a repeated introspection document from its first answer, without running it again', async () => {
    // Counts executions of the introspection type's `types` field (one per __schema answered);
    // validation's measure of the answer (introspection-size.ts) calls it too, without an operation.
    const types = (getNamedType(SchemaMetaFieldDef.type) as GraphQLObjectType).getFields()['types']!;
    const original = types.resolve!;
    let runs = 0;
    types.resolve = ((...args: Parameters<GraphQLFieldResolver<unknown, unknown>>) => {
      if (args[3].operation !== undefined) runs += 1;
      return original(...args);
    }) as GraphQLFieldResolver<unknown, unknown>;
    try {
      const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
      const first = await t.gqlAs(undefined, query);
      const again = await t.gqlAs(undefined, query);
      const other = await t.gqlAs(undefined, `${query} `);
      expect(first.errors).toBeUndefined();
      expect(again).toEqual(first);
      expect(other).toEqual(first);
      // The same text twice ran once; another text (one space more) is another document.
      expect(runs).toBe(2);
    } finally {
      types.resolve = original;
    }
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
