import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/query-limits.js';
import { dynamoCallsDuring, useTestRegistry } from '../support/registry-harness.js';

// Issue 25, item 1: anonymous documents that answered megabytes, replayed over HTTP. An anonymous
// request may ask for health, authenticate and introspection; each is bounded per request.
const t = useTestRegistry();

/** POSTs without a token and keeps the answer's size: what the server wrote is the point. */
async function anonymous(query: string, variables: Record<string, unknown> = {}): Promise<{ bytes: number; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) as never };
}

const TYPES = 'fragment T on __Schema { types { name kind description fields(includeDeprecated: true) { name description args { name description type { name kind ofType { name kind } } defaultValue } type { name kind ofType { name kind ofType { name kind } } } isDeprecated deprecationReason } inputFields { name type { name kind ofType { name kind } } } enumValues(includeDeprecated: true) { name description } interfaces { name } possibleTypes { name } } }';

describe('anonymous introspection', () => {
  it('refuses 30 aliases of __schema before running them, in a few hundred bytes (it answered 3 MB)', async () => {
    const document = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: __schema { ...T }`).join(' ')} } ${TYPES}`;
    expect(Buffer.byteLength(document)).toBeLessThan(1_500);
    const { bytes, body } = await anonymous(document);
    expect(body.data ?? undefined).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxFieldUses', field: 'Query.__schema', limit: 1 });
    expect(bytes).toBeLessThan(1_000);
  });

  it('refuses one __schema that repeats the schema under aliases, by the bytes it would answer', async () => {
    const types = Array.from({ length: 29 }, (_, i) => `t${i}: types { ...F }`).join(' ');
    const { bytes, body } = await anonymous(`{ __schema { ${types} } } fragment F on __Type { name description fields { name description args { name description type { name } } type { name kind ofType { name kind ofType { name } } } } }`);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitName: 'maxIntrospectionBytes', limit: DEFAULT_QUERY_LIMITS.maxIntrospectionBytes });
    expect(bytes).toBeLessThan(1_000);
  });

  it("answers GraphiQL's own introspection query, within the bound", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true, schemaDescription: true });
    const { bytes, body } = await anonymous(query);
    expect(body.errors).toBeUndefined();
    expect((body.data!['__schema'] as { types: unknown[] }).types.length).toBeGreaterThan(50);
    expect(bytes).toBeLessThan(DEFAULT_QUERY_LIMITS.maxIntrospectionBytes);
  });

  it('answers a few __type lookups, and refuses more than ten', async () => {
    const lookups = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `t${i}: __type(name: "Model") { name fields { name } }`).join(' ')} }`;
    expect((await anonymous(lookups(10))).body.errors).toBeUndefined();
    expect((await anonymous(lookups(11))).body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', field: 'Query.__type', limit: 10 });
  });
});

describe('what else an anonymous request can cost', () => {
  it('runs one login at most: two aliased authenticate calls are refused before either runs', async () => {
    const login = (alias: string) => `${alias}: authenticate(username: "nobody", password: "wrong password") { token }`;
    const calls = await dynamoCallsDuring(t.registry, async () => {
      const { body } = await anonymous(`mutation { ${login('a')} ${login('b')} }`);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', field: 'Mutation.authenticate', limit: 1 });
    });
    expect(calls).toEqual({});
  });

  it('costs at most the bound SECURITY.md states: a login, or a shared health check of storage', async () => {
    const total = (calls: Record<string, number>) => Object.values(calls).reduce((sum, count) => sum + count, 0);
    // A login reads its address's throttle record and the username's failures (consistently), reserves an
    // attempt, reads the user, then settles the attempt: 7 calls at most (SECURITY.md, "Lockout policy").
    const login = await dynamoCallsDuring(t.registry, () => anonymous('mutation { authenticate(username: "nobody", password: "wrong password") { token } }'));
    expect(total(login)).toBeLessThanOrEqual(7);
    // Health reads the table at most once a second, for every caller together; the rest reads nothing.
    const query = await dynamoCallsDuring(t.registry, () => anonymous('{ health { status } __schema { queryType { name } } artifacts { edges { node { id } } } }'));
    expect(total(query)).toBeLessThanOrEqual(1);
  });

  it('reads nothing from storage for protected fields, however many a document names', async () => {
    const searches = Array.from({ length: 5 }, (_, i) => `s${i}: searchArtifacts(regex: "[^\\\\n]{${990 + i}}") { examined }`).join(' ');
    const calls = await dynamoCallsDuring(t.registry, async () => {
      const { bytes, body } = await anonymous(`{ ${searches} artifacts(first: 100) { edges { node { id } } } users(first: 100) { edges { node { username } } } __schema { queryType { name } } }`);
      expect(new Set(body.errors!.map((error) => error.extensions?.['code']))).toEqual(new Set(['UNAUTHENTICATED']));
      expect(bytes).toBeLessThan(5_000);
    });
    expect(calls).toEqual({});
  });
});
