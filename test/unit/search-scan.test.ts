import { describe, expect, it } from 'vitest';
import { IndexReplica, ScanRun, type IndexedArtifact, type ScanJob } from '../../src/application/search-scan.js';
import { parseSearchPattern, type SearchPattern } from '../../src/domain/search/search-pattern.js';
import type { ArtifactId } from '../../src/domain/ids.js';

// Ids sort by creation: a higher number is newer.
const entry = (n: number, name: string, readme?: string): IndexedArtifact => ({
  id: `01J0000000000000000000${String(n).padStart(4, '0')}` as ArtifactId,
  type: 'MODEL',
  name,
  readme,
  version: 1,
});

const ENTRIES = [
  entry(1, 'alpha', 'nothing here'),
  entry(2, 'bravo', 'the word needle once'),
  entry(3, 'needle-name', 'plain'),
  entry(4, 'charlie', 'x'.repeat(5_000)),
  entry(5, 'delta', 'needle at the end'),
];

const replica = new IndexReplica();
replica.upsert(ENTRIES);

const pattern = (source: string): SearchPattern => {
  const parsed = parseSearchPattern(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

const job = (overrides: Partial<ScanJob> = {}): ScanJob => ({
  regex: 'needle',
  types: undefined,
  start: { g: 0, id: '' as ArtifactId },
  want: 10,
  withMatches: true,
  allowance: { work: Number.POSITIVE_INFINITY, ms: Number.POSITIVE_INFINITY },
  ...overrides,
});

/** A clock that moves one millisecond each time it is read: slices end after a known number of steps. */
const ticking = () => {
  let now = 0;
  return () => now++;
};

function runToEnd(run: ScanRun, sliceMs: number): number {
  let slices = 1;
  while (!run.step(sliceMs)) slices += 1;
  return slices;
}

describe('ScanRun', () => {
  it('ranks name matches first, then README-only matches, newest first, with their snippets', () => {
    const run = new ScanRun(replica.newestFirst(), pattern('needle'), job());
    runToEnd(run, Number.POSITIVE_INFINITY);
    const outcome = run.outcome();
    expect(outcome.found.map((hit) => [hit.id.slice(-1), hit.group])).toEqual([['3', 0], ['5', 1], ['2', 1]]);
    expect(outcome.found[0]!.matches.map((m) => m.field)).toEqual(['NAME']);
    expect(outcome.found[1]!.matches[0]).toMatchObject({ field: 'README', text: 'needle at the end', start: 0, end: 6 });
    expect(outcome.stoppedAt).toBeUndefined();
  });

  it('answers the same in slices of one step as in one go', () => {
    const whole = new ScanRun(replica.newestFirst(), pattern('needle'), job());
    runToEnd(whole, Number.POSITIVE_INFINITY);
    const sliced = new ScanRun(replica.newestFirst(), pattern('needle'), job(), ticking());
    expect(runToEnd(sliced, 1)).toBeGreaterThan(5);
    const { ms: _wholeMs, ...expected } = whole.outcome();
    const { ms: _slicedMs, ...actual } = sliced.outcome();
    expect(actual).toEqual(expected);
  });

  it('stops where the work allowance runs out, one step past it at most, and says where', () => {
    const p = pattern('needle');
    const run = new ScanRun(replica.newestFirst(), p, job({ allowance: { work: 1, ms: Number.POSITIVE_INFINITY } }));
    runToEnd(run, Number.POSITIVE_INFINITY);
    const outcome = run.outcome();
    // One name tested (the newest), then the allowance is spent.
    expect(outcome.examined).toBe(1);
    expect(outcome.found).toEqual([]);
    expect(outcome.stoppedAt).toEqual({ g: 0, id: ENTRIES[4]!.id });
    expect(outcome.work).toBe('delta'.length * p.instructions);
    // The next page resumes after it.
    const next = new ScanRun(replica.newestFirst(), pattern('needle'), job({ start: outcome.stoppedAt!, allowance: { work: 1, ms: Number.POSITIVE_INFINITY } }));
    runToEnd(next, Number.POSITIVE_INFINITY);
    expect(next.outcome().stoppedAt).toEqual({ g: 0, id: ENTRIES[3]!.id });
  });

  it('ends the page after the last match it could locate within the allowance', () => {
    const names = new IndexReplica();
    names.upsert([entry(1, 'needle-1'), entry(2, 'needle-2'), entry(3, 'needle-3')]);
    // Enough to test the three names and locate one: the page ends after that one.
    const p = pattern('needle');
    const testing = ('needle-1'.length * 3 + 1) * p.instructions;
    const run = new ScanRun(names.newestFirst(), p, job({ allowance: { work: testing, ms: Number.POSITIVE_INFINITY } }));
    runToEnd(run, Number.POSITIVE_INFINITY);
    const outcome = run.outcome();
    expect(outcome.found.map((hit) => hit.id.slice(-1))).toEqual(['3']);
    expect(outcome.found[0]!.matches).toHaveLength(1);
    expect(outcome.stoppedAt).toEqual({ g: 0, id: names.newestFirst()[0]!.id });
  });

  it('stops at the time allowance, counted in its own slices only', () => {
    const run = new ScanRun(replica.newestFirst(), pattern('zzz'), job({ allowance: { work: Number.POSITIVE_INFINITY, ms: 3 } }), ticking());
    runToEnd(run, 1);
    const outcome = run.outcome();
    expect(outcome.stoppedAt).toBeDefined();
    expect(outcome.examined).toBeLessThan(ENTRIES.length);
  });
});

describe('IndexReplica', () => {
  it('keeps newest first through changes, and never moves the array a running scan holds', () => {
    const copy = new IndexReplica();
    copy.upsert([entry(1, 'a'), entry(3, 'c')]);
    const held = copy.newestFirst();
    copy.upsert([entry(2, 'b')]);
    copy.remove([entry(3, 'c').id]);
    expect(held.map((e) => e.name)).toEqual(['c', 'a']);
    expect(copy.newestFirst().map((e) => e.name)).toEqual(['b', 'a']);
    copy.clear();
    expect(copy.newestFirst()).toEqual([]);
  });
});
