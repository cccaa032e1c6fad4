import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule, type QueryLimits } from '../../src/graphql/query-limits.js';

const check = (document: string, limits: Partial<QueryLimits> = {}) =>
  validate(schema, parse(document), [queryLimitsRule({ ...DEFAULT_QUERY_LIMITS, ...limits })]).map((e) => [e.extensions['code'], e.message]);

const historyPage = '{ artifacts(first: 2) { edges { node { ...H } } } } fragment H on Artifact { history(first: 3) { edges { node { version } } } }';

describe('queryLimitsRule', () => {
  it('measures depth through fragments', () => {
    // artifacts > edges > node > history > edges > node > version: 7 levels.
    expect(check(historyPage, { maxDepth: 7 })).toEqual([]);
    expect(check(historyPage, { maxDepth: 6 })).toEqual([['QUERY_TOO_COMPLEX', 'query depth 7 exceeds the limit of 6']]);
  });

  it('multiplies a list field subtree by its page size', () => {
    // history edges > node > version = 3 fields per entry, x 3 entries + history itself = 10;
    // edges > node + 10 = 12 per artifact, x 2 artifacts + artifacts itself = 25.
    expect(check(historyPage, { maxCost: 25 })).toEqual([]);
    expect(check(historyPage, { maxCost: 24 })).toEqual([['QUERY_TOO_COMPLEX', expect.stringContaining('estimated cost 25')]]);
  });

  it('does not count introspection depth', () => {
    expect(check('{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }', { maxDepth: 2 })).toEqual([]);
  });
});
