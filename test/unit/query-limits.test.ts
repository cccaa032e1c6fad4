import { describe, expect, it } from 'vitest';
import { execute, getIntrospectionQuery, getNamedType, parse, SchemaMetaFieldDef, validate, type FieldNode, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { IntrospectionSize } from '../../src/graphql/introspection-size.js';
import { schema } from '../../src/graphql/schema.js';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule, type QueryLimits } from '../../src/graphql/query-limits.js';
import { checkDocumentShape } from '../../src/graphql/document-shape.js';
import { doublingFragments } from '../support/query-documents.js';

const check = (document: string, limits: Partial<QueryLimits> = {}) =>
  validate(schema, parse(document), [queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits })]).map((e) => [e.extensions['code'], e.message]);
const limitNames = (document: string, limits: Partial<QueryLimits> = {}) =>
  validate(schema, parse(document), [queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits })]).map((e) => e.extensions['limitName']);

const historyPage = '{ artifacts(first: 2) { edges { node { ...H } } } } fragment H on Artifact { history(first: 3) { edges { node { version } } } }';

describe('queryLimitsRule', () => {
  it('measures depth through fragments', () => {
    // artifacts > edges > node > history > edges > node > version: 7 levels.
    expect(check(historyPage, { maxDepth: 7 })).toEqual([]);
    expect(check(historyPage, { maxDepth: 6 })).toEqual([['QUERY_TOO_COMPLEX', 'query depth 7 exceeds the limit of 6']]);
  });

  it('multiplies a connection subtree by its page size, and its edges not again', () => {
    // history edges > node > version = 3 fields per entry, x 3 entries + history itself = 10;
    // edges > node + 10 = 12 per artifact, x 2 artifacts + artifacts itself = 25.
    expect(check(historyPage, { maxCost: 25 })).toEqual([]);
    expect(check(historyPage, { maxCost: 24 })).toEqual([['QUERY_TOO_COMPLEX', 'estimated cost exceeds the limit of 24; ask for smaller pages or fewer fields']]);
  });

  it('counts a connection without first at the default page and with a variable at the largest page', () => {
    // 1 + pages x (edges 1 + node 1 + id 1).
    expect(check('{ artifacts { edges { node { id } } } }', { maxCost: 1 + 20 * 3 })).toEqual([]);
    expect(check('{ artifacts { edges { node { id } } } }', { maxCost: 20 * 3 })).toHaveLength(1);
    expect(check('query($n: Int) { artifacts(first: $n) { edges { node { id } } } }', { maxCost: 1 + 100 * 3 })).toEqual([]);
    expect(check('query($n: Int) { artifacts(first: $n) { edges { node { id } } } }', { maxCost: 100 * 3 })).toHaveLength(1);
  });

  it('counts unpaged lists at their caps, found by type through interfaces and fragments', () => {
    // The artifact 1 + files (1 + 1,000 x path). The cap is declared on the Artifact interface.
    const files = 'query($id: ID!) { artifact(id: $id) { ... on Model { files { path } } } }';
    expect(check(files, { maxCost: 1_002 })).toEqual([]);
    expect(limitNames(files, { maxCost: 1_001 })).toEqual(['maxCost']);
    // The model 1 + lineage 1 + nodes (1 + 200 x id).
    const lineage = 'query($id: ID!) { artifact(id: $id) { ...L } } fragment L on Model { lineage { nodes { id } } }';
    expect(check(lineage, { maxCost: 203 })).toEqual([]);
    expect(limitNames(lineage, { maxCost: 202 })).toEqual(['maxCost']);
  });

  it('counts a list field without a known cap conservatively', () => {
    const document = 'query($id: ID!) { artifact(id: $id) { ... on Model { datasets { id } } } }';
    expect(check(document, { maxCost: 1 + 1 + 50 })).toEqual([]);
    const { ['Model.datasets']: _forgotten, ...others } = DEFAULT_QUERY_LIMITS.listSizes;
    expect(check(document, { maxCost: 1_000, listSizes: others, unknownListSize: 1_000 })).toHaveLength(1);
  });

  it('admits a page of 100 typed history entries beside a model\'s lineage and files (the web UI\'s artifact page)', () => {
    const page = `query($id: ID!) { artifact(id: $id) { id name files { path size sha256 }
      ... on Model { lineage { nodes { id name } edges { parent { id } child { id } relationship source } } datasets { id name } code { id name } }
      history(first: 100) { edges { node { version type at actor change { __typename
        ... on LinkedChange { links { kind reference relationship targetId } }
        ... on UpdatedChange { name { from to } url { from to } netScore }
        ... on FileAddedChange { path size sha256 } } } } } } }`;
    expect(check(page)).toEqual([]);
    // Its links are priced at the 71 declared references an event can link, not at the unknown-list 1,000.
    const { ['LinkedChange.links']: _forgotten, ...others } = DEFAULT_QUERY_LIMITS.listSizes;
    expect(limitNames(page, { listSizes: others })).toEqual(['maxCost']);
  });

  it('does not count introspection depth, nor multiply its lists', () => {
    expect(check('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }', { maxDepth: 2, maxCost: 20 })).toEqual([]);
  });

  it('refuses doubling fragments at once, and counts aliases through them', () => {
    expect(limitNames(doublingFragments(40))).toEqual(['maxCost']);
    expect(limitNames(doublingFragments(6, 'a: __typename'))).toEqual(['maxAliases']);
  });

  it('counts aliases through fragments, not once per list element', () => {
    expect(check('{ artifacts(first: 100) { edges { node { a: id b: name } } } }')).toEqual([]);
    // 16 aliases in a fragment spread twice are 32.
    const aliased = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(limitNames(`{ ...A ...A } fragment A on Query { ${aliased} }`)).toEqual(['maxAliases']);
    expect(check(`{ ...A } fragment A on Query { ${aliased} }`)).toEqual([]);
  });

  it('counts download URLs through aliases, fragments and pages', () => {
    const aliased = Array.from({ length: 21 }, (_, i) => `a${i}: artifact(id: $id) { ...D }`).join(' ');
    expect(limitNames(`query($id: ID!) { ${aliased} } fragment D on Artifact { files { downloadUrl } }`, { maxAliases: 100 })).toEqual(['maxDownloadUrls']);
    expect(limitNames('{ artifacts(first: 21) { edges { node { downloadUrl } } } }')).toEqual(['maxDownloadUrls']);
    expect(check('{ artifacts(first: 20) { edges { node { downloadUrl } } } }')).toEqual([]);
    expect(check('query($id: ID!) { artifact(id: $id) { downloadUrl files { downloadUrl } } }')).toEqual([]);
  });
});

const fieldUse = (document: string) =>
  validate(schema, parse(document), [queryLimitsRule(DEFAULT_QUERY_LIMITS)]).map((e) => [e.extensions['limitName'], e.extensions['field'], e.extensions['limit']]);

/** Everything GraphiQL can ask for in its introspection query. */
const GRAPHIQL = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true, schemaDescription: true, oneOf: true });
const TYPES_FRAGMENT = 'fragment T on __Schema { types { name kind description fields(includeDeprecated: true) { name description args { name type { name kind ofType { name kind } } } type { name kind ofType { name kind } } } enumValues { name } } }';

describe('introspection, priced by what it answers', () => {
  it('admits GraphiQL\'s full introspection query, with room for the schema to grow', () => {
    expect(check(GRAPHIQL)).toEqual([]);
    const answer = JSON.stringify(execute({ schema, document: parse(GRAPHIQL) })).length;
    // Refused at twice its size: the figure measures the answer, not a bound far above it.
    expect(limitNames(GRAPHIQL, { maxIntrospectionBytes: Math.floor(answer / 2) })).toEqual(['maxIntrospectionBytes']);
    expect(check(GRAPHIQL, { maxIntrospectionBytes: Math.ceil(answer * 1.05) })).toEqual([]);
    expect(answer).toBeLessThan(DEFAULT_QUERY_LIMITS.maxIntrospectionBytes / 2);
  });

  it('refuses a second __schema, however it is spelled (issue 25: 30 aliases answered 3 MB to anyone)', () => {
    const aliased = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: __schema { ...T }`).join(' ')} } ${TYPES_FRAGMENT}`;
    // Measured once: the aliases past the cap are refused without walking the schema again.
    const types = (getNamedType(SchemaMetaFieldDef.type) as GraphQLObjectType).getFields()['types']!;
    const original = types.resolve!;
    let walks = 0;
    types.resolve = (...args) => {
      walks += 1;
      return original(...args);
    };
    try {
      expect(fieldUse(aliased)).toEqual([['maxFieldUses', 'Query.__schema', 1]]);
    } finally {
      types.resolve = original;
    }
    expect(walks).toBe(1);
    expect(fieldUse(`{ ...S ...S } fragment S on Query { a: __schema { ...T } } ${TYPES_FRAGMENT}`)).toEqual([['maxFieldUses', 'Query.__schema', 1]]);
    expect(fieldUse(`{ __schema { ...T } } ${TYPES_FRAGMENT}`)).toEqual([]);
  });

  it('refuses one __schema that asks for the schema many times over', () => {
    const types = Array.from({ length: 29 }, (_, i) => `t${i}: types { ...F }`).join(' ');
    const document = `{ __schema { ${types} } } fragment F on __Type { name description fields { name description args { name description type { name } } type { name kind ofType { name kind ofType { name } } } } }`;
    expect(limitNames(document)).toEqual(['maxIntrospectionBytes']);
  });

  it('prices __type by the type it names, and a variable name as every type', () => {
    expect(check('{ __type(name: "Model") { name fields { name } } }', { maxIntrospectionBytes: 2_000 })).toEqual([]);
    expect(limitNames('query($n: String!) { __type(name: $n) { name fields { name } } }', { maxIntrospectionBytes: 2_000 })).toEqual(['maxIntrospectionBytes']);
    const eleven = Array.from({ length: 11 }, (_, i) => `t${i}: __type(name: "Model") { name }`).join(' ');
    expect(fieldUse(`{ ${eleven} }`)).toEqual([['maxFieldUses', 'Query.__type', 10]]);
  });

  it('stops walking at the limit: the figure saturates just past it', () => {
    const nested = parse('{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }');
    const root = (nested.definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    expect(new IntrospectionSize(schema, new Map(), 1_000).root(root)).toBe(1_001);
  });
});

describe('fields with a cap per request', () => {
  it('allows one authenticate per request, so an anonymous request runs scrypt once at most', () => {
    const login = (alias: string) => `${alias}: authenticate(username: "u", password: "p") { token }`;
    expect(fieldUse(`mutation { ${login('a')} }`)).toEqual([]);
    expect(fieldUse(`mutation { ${login('a')} ${login('b')} }`)).toEqual([['maxFieldUses', 'Mutation.authenticate', 1]]);
  });

  it('allows five searches per request, counted through aliases and fragments', () => {
    const search = (i: number) => `s${i}: searchArtifacts(regex: "a${i}") { examined }`;
    expect(fieldUse(`{ ${[0, 1, 2, 3, 4].map(search).join(' ')} }`)).toEqual([]);
    expect(fieldUse(`{ ${[0, 1, 2, 3, 4, 5].map(search).join(' ')} }`)).toEqual([['maxFieldUses', 'Query.searchArtifacts', 5]]);
    expect(fieldUse(`{ ...S ...S } fragment S on Query { ${[0, 1, 2].map(search).join(' ')} }`)).toEqual([['maxFieldUses', 'Query.searchArtifacts', 5]]);
  });
});

describe('checkDocumentShape', () => {
  const shape = (document: string) => checkDocumentShape(parse(document), { maxFields: 5, maxDirectives: 2 })?.extensions;

  it('names the field limit of a document with too many fields', () => {
    expect(shape('{ a b c d e }')).toBeUndefined();
    expect(shape('{ a b c d e f }')).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 5, limitName: 'maxFields' });
  });

  it('names the directive limit of a directive flood', () => {
    expect(shape('{ a @skip(if: false) @include(if: true) }')).toBeUndefined();
    expect(shape('{ a @skip(if: false) @skip(if: false) @skip(if: false) }')).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 2, limitName: 'maxDirectives' });
  });
});
