import { describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { nestingDepth } from '../../src/graphql/document-nesting.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/graphql/query-limits.js';
import { postGraphQL, useTestRegistry } from '../support/registry-harness.js';

/** Issue 25, item 6: a 2,400-deep list literal overflowed the parser's stack (INTERNAL_SERVER_ERROR, a stack logged). */
const t = useTestRegistry();

describe('nestingDepth', () => {
  it('counts braces, brackets and parentheses, and skips strings, block strings and comments', () => {
    expect(nestingDepth('{ a(x: [[1]]) { b } }', 100)).toBe(4);
    expect(nestingDepth('{ a(x: "[[[[[[") }', 100)).toBe(2);
    expect(nestingDepth('{ a(x: "\\"[[[") }', 100)).toBe(2);
    expect(nestingDepth('{ a(x: """ [[[ \\""" [[[ """) }', 100)).toBe(2);
    expect(nestingDepth('# [[[[[[\n{ a }', 100)).toBe(1);
    expect(nestingDepth('['.repeat(5000), 100)).toBe(101);
  });

  it('leaves room for the standard introspection query', () => {
    expect(nestingDepth(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }), 1_000)).toBeLessThan(DEFAULT_QUERY_LIMITS.maxNesting / 2);
  });
});

describe('a deeply nested document', () => {
  it.each([
    ['a list literal', (n: number) => `{ health(x: ${'['.repeat(n)}1${']'.repeat(n)}) { status } }`],
    ['an object literal', (n: number) => `{ health(x: ${'{a:'.repeat(n)}1${'}'.repeat(n)}) { status } }`],
    ['selections', (n: number) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`],
  ])('is BAD_USER_INPUT before it is parsed: %s 2,400 deep, anonymously and with a token', async (_kind, build) => {
    for (const token of [undefined, t.adminToken]) {
      const answer = await postGraphQL(t.url, build(2_400), undefined, token);
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limitName: 'maxNesting' });
    }
  });
});
