import { describe, expect, it } from 'vitest';
import { lineProgress } from '../../src/server/terminal-progress.js';

describe('lineProgress (not a terminal)', () => {
  it('prints at most one line per two seconds of a phase, and always its final count with the rate', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = lineProgress((line) => lines.push(line), () => now);
    progress.phase('import items', 300);
    progress.advance(100);
    now = 1_000;
    progress.advance(100);
    expect(lines).toEqual([]);
    now = 2_000;
    progress.advance(100);
    now = 3_000;
    progress.finish();
    expect(lines).toEqual(['import items: 300/300 (150/s, 2.0 s)', 'import items: 300/300 (100/s, 3.0 s)']);
  });

  it('names a phase with no known total by its count alone', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = lineProgress((line) => lines.push(line), () => now);
    progress.phase('export items');
    progress.advance(50);
    now = 500;
    progress.finish();
    expect(lines).toEqual(['export items: 50 (100/s, 0.5 s)']);
  });
});
