/**
 * Every benchmark `npm run bench` runs, in order: one entry each. A bench is a script that calls
 * `runBench` from ./support.js with a main that takes the size (`smoke` or `full`) and returns its
 * figures (measure, goal, value, met). test/unit/bench-list.test.ts fails when a bench/ script is
 * missing here, so none can be left out of CI's smoke run.
 */
export interface BenchEntry {
  /** What `npm run bench -- NAME` selects, and the table's first column. */
  readonly name: string;
  readonly script: string;
}

export const BENCHES: readonly BenchEntry[] = [
  { name: 'coldstart', script: 'bench/coldstart.ts' },
  { name: 'read', script: 'bench/read.ts' },
  { name: 'download', script: 'bench/download.ts' },
  { name: 'ingest', script: 'bench/ingest.ts' },
  { name: 'search', script: 'bench/search.ts' },
  { name: 'export', script: 'bench/export.ts' },
  { name: 'flood', script: 'bench/flood.ts' },
];
