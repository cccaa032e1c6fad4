import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { schema } from '../../src/graphql/schema.js';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule } from '../../src/graphql/query-limits.js';
import { doublingFragments } from '../support/query-documents.js';

// Random documents with nested, repeated and cyclic fragment spreads, inline fragments, aliases,
// paged and unpaged lists, unknown fields and types: the analysis must never throw and must stay
// fast whatever the expansion. Type errors are other rules' business; this rule runs alone here.
const LEAVES = ['id', 'name', 'path', 'status', 'version', 'downloadUrl', '__typename', 'nope'];
const OBJECTS = [
  'artifacts(first: 100)', 'artifacts(first: $n)', 'artifacts', 'artifact(id: "x")', 'edges', 'node', 'files', 'lineage', 'nodes',
  'datasets', 'code', 'cost(includeDependencies: true)', 'items', 'history(first: 50)', 'health', 'components', '__schema', 'types', 'fields', 'unknown',
];
const TYPES = ['Query', 'Artifact', 'Model', 'Dataset', 'Lineage', 'ArtifactFile', 'Cost', 'Nope'];
const MAX_FRAGMENTS = 12;

const alias = fc.option(fc.constantFrom('a', 'b', 'c').map((a) => `${a}: `), { nil: '' });
const directive = fc.constantFrom('', '', ' @skip(if: false)', ' @include(if: $on)');

const selectionSet = fc.memo((depth: number): fc.Arbitrary<string> => {
  const leaf = fc.tuple(alias, fc.constantFrom(...LEAVES), directive).map(([a, name, d]) => `${a}${name}${d}`);
  const spread = fc.nat(MAX_FRAGMENTS - 1).map((i) => `...F${i}`);
  const options = depth <= 0
    ? [leaf, spread]
    : [
      leaf,
      spread,
      fc.tuple(alias, fc.constantFrom(...OBJECTS), selectionSet(depth - 1)).map(([a, field, set]) => `${a}${field} ${set}`),
      fc.tuple(fc.option(fc.constantFrom(...TYPES), { nil: undefined }), selectionSet(depth - 1)).map(([type, set]) => (type ? `... on ${type} ${set}` : `... ${set}`)),
    ];
  return fc.array(fc.oneof(...options), { minLength: 1, maxLength: 5 }).map((selections) => `{ ${selections.join(' ')} }`);
});

const documentArb = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...TYPES), selectionSet(3)), { minLength: MAX_FRAGMENTS, maxLength: MAX_FRAGMENTS }), selectionSet(4))
  .map(([fragments, operation]) => [`query Q($n: Int, $on: Boolean!) ${operation}`, ...fragments.map(([type, set], i) => `fragment F${i} on ${type} ${set}`)].join('\n'));

describe('query analysis on random documents', () => {
  it('never throws and finishes each document in well under 50 ms', () => {
    const rule = queryLimitsRule(DEFAULT_QUERY_LIMITS);
    // The schema builds its field maps on first use: not the analysis's time.
    validate(schema, parse(doublingFragments(2)), [rule]);
    const timings: number[] = [];
    fc.assert(
      fc.property(documentArb, (text) => {
        const document = parse(text);
        // The best of three runs: a slow analysis is slow every time, a busy machine only sometimes.
        let best = Infinity;
        for (let run = 0; run < 3; run++) {
          const started = performance.now();
          const errors = validate(schema, document, [rule]);
          best = Math.min(best, performance.now() - started);
          for (const error of errors) expect(error.extensions['code']).toBe('QUERY_TOO_COMPLEX');
        }
        timings.push(best);
        // A generous bound, so a loaded machine cannot fail it; the measured figures are printed.
        expect(timings.at(-1)).toBeLessThan(200);
      }),
      { seed: 20_261_123, numRuns: 200, examples: [[doublingFragments(40)], [doublingFragments(30, 'files { downloadUrl }')]] },
    );
    const sorted = [...timings].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
    console.info(`query analysis over ${sorted.length} random documents: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
  });
});
