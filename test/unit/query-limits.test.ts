import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
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
