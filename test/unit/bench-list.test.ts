import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/build-lambda.js';
import { BENCHES } from '../../bench/benches.js';
import { benchSize, sized } from '../../bench/support.js';

/** bench/ files that are not benchmarks: the runner, its list, shared helpers. */
const NOT_BENCHES = new Set(['run.ts', 'benches.ts', 'support.ts']);

describe('the bench list', () => {
  it('names every benchmark in bench/, so CI smoke-runs each one', () => {
    const scripts = readdirSync(path.join(REPO_ROOT, 'bench')).filter((file) => file.endsWith('.ts') && !NOT_BENCHES.has(file));
    expect(BENCHES.map((entry) => path.basename(entry.script)).sort()).toEqual(scripts.sort());
    expect(new Set(BENCHES.map((entry) => entry.name)).size).toBe(BENCHES.length);
  });

  it('holds only scripts that report through runBench, which sizes them and exits non-zero on a throw', () => {
    for (const { script } of BENCHES) expect(readFileSync(path.join(REPO_ROOT, script), 'utf8')).toMatch(/await runBench\('bench:[a-z]+', main\);/);
  });

  it('reads the size from --smoke', () => {
    expect(benchSize(['--smoke'])).toBe('smoke');
    expect(benchSize([])).toBe('full');
    expect(sized('smoke', { smoke: 1, full: 1000 })).toBe(1);
  });
});
