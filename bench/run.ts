/**
 * `npm run bench [-- --smoke] [-- NAME ...]`: every bench, one after another, each in its own
 * process (a bench owns its emulators and exits explicitly), then one table of what they measured:
 * measure, goal, value, met or not. `--smoke` runs each at a size that takes seconds (CI runs it,
 * so a bench cannot rot unnoticed); at smoke size goals are not judged. Exits non-zero when any
 * bench fails; a goal not met is reported, never a failure (it depends on the machine).
 *
 * Adding a bench: one entry in bench/benches.ts, and the bench calls `runBench` from bench/support.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSize, FIGURES_FILE_VARIABLE, type Figure } from './support.js';
import { BENCHES, type BenchEntry } from './benches.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly figures: readonly (Figure & { readonly bench: string })[];
}

function runOne(entry: BenchEntry, args: readonly string[]): Outcome {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-figures-'));
  const file = path.join(directory, 'figures.jsonl');
  const started = performance.now();
  console.log(`\n=== bench ${entry.name} (${entry.script}${args.length ? ` ${args.join(' ')}` : ''})`);
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry.script, ...args], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, [FIGURES_FILE_VARIABLE]: file },
    });
    const figures = existsSync(file)
      ? readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Figure & { bench: string })
      : [];
    return { name: entry.name, ok: run.status === 0, seconds: (performance.now() - started) / 1000, figures };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

const argv = process.argv.slice(2);
const size = benchSize(argv);
const selected = argv.filter((arg) => !arg.startsWith('--'));
const unknown = selected.filter((name) => !BENCHES.some((entry) => entry.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; known: ${BENCHES.map((entry) => entry.name).join(', ')}`);
  process.exit(2);
}
const chosen = selected.length > 0 ? BENCHES.filter((entry) => selected.includes(entry.name)) : BENCHES;
const outcomes = chosen.map((entry) => runOne(entry, size === 'smoke' ? ['--smoke'] : []));

const cpus = os.cpus();
console.log(`\n=== ${size === 'smoke' ? 'smoke run (figures prove the benches run; goals not judged)' : 'benchmark figures'}: ${new Date().toISOString()}, node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'})\n`);
const rows = [['bench', 'measure', 'goal', 'value', 'met'], ...outcomes.flatMap((outcome) =>
  outcome.ok
    ? outcome.figures.map((figure) => [outcome.name, figure.measure.replace(`${outcome.name}: `, ''), figure.goal, figure.value, figure.met === undefined ? '-' : figure.met ? 'yes' : 'NO'])
    : [[outcome.name, 'FAILED (see its output above)', '', '', '']],
)];
console.log(table(rows));
console.log(`\n${outcomes.map((outcome) => `${outcome.name} ${outcome.ok ? 'ok' : 'FAILED'} in ${outcome.seconds.toFixed(1)} s`).join(', ')}`);
process.exit(outcomes.every((outcome) => outcome.ok) ? 0 : 1);
