/**
 * Helpers shared by the benchmarks: percentiles, bounded concurrency, emulators in their own
 * processes (so an emulator's CPU time is not billed to the server thread being measured).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Nearest-rank percentile (p in 0..100) of an unsorted sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Applies `fn` to every item with at most `limit` calls in flight; results keep input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildService {
  readonly endpoint: string;
  readonly child: ChildProcess;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, what: string): Promise<ChildService> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(endpoint, { method: 'POST' });
      return { endpoint, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  child.kill();
  throw new Error(`${what} did not start`);
}

export async function startDynaliteProcess(): Promise<ChildService> {
  const port = await freePort();
  const cli = createRequire(import.meta.url).resolve('dynalite/cli.js');
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'], { stdio: 'ignore' });
  return waitUntilUp(`http://127.0.0.1:${port}`, child, 'dynalite');
}

/** s3rver in its own process, on a temporary directory. */
export async function startS3rverProcess(): Promise<ChildService> {
  const port = await freePort();
  const cli = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const directory = await mkdtemp(path.join(tmpdir(), 'bench-s3-'));
  const child = spawn(process.execPath, [cli, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent'], { stdio: 'ignore' });
  return waitUntilUp(`http://127.0.0.1:${port}`, child, 's3rver');
}

/** `--smoke`: a size that runs in seconds and proves the bench still works; goals are judged only at full size. */
export type BenchSize = 'smoke' | 'full';

export function benchSize(argv: readonly string[] = process.argv.slice(2)): BenchSize {
  return argv.includes('--smoke') ? 'smoke' : 'full';
}

/** Picks the value for the run's size. */
export function sized<T>(size: BenchSize, values: { readonly smoke: T; readonly full: T }): T {
  return values[size];
}

/**
 * One row of `npm run bench`'s table. `met` is undefined for a figure with no goal, and at smoke
 * size, where the numbers only prove the bench ran.
 */
export interface Figure {
  readonly measure: string;
  readonly goal: string;
  readonly value: string;
  readonly met?: boolean | undefined;
}

/** Where bench/run.ts asks each bench to leave its figures (JSON lines); unset when run alone. */
export const FIGURES_FILE_VARIABLE = 'BENCH_FIGURES_FILE';

/**
 * Runs a bench's main and exits explicitly: a keep-alive socket left open by an SDK client or an
 * emulator must not hang the run, and a failure must end it non-zero with one readable line.
 * The figures main returns are printed, and handed to bench/run.ts when it started this process.
 */
export async function runBench(name: string, main: (size: BenchSize) => Promise<readonly Figure[]>): Promise<never> {
  try {
    const size = benchSize();
    const figures = await main(size);
    const judged = figures.map((figure) => (size === 'smoke' ? { ...figure, met: undefined } : figure));
    console.log();
    for (const figure of judged) console.log(`${name}: ${figure.measure} = ${figure.value} (goal: ${figure.goal}${verdict(figure.met)})`);
    const file = process.env[FIGURES_FILE_VARIABLE];
    if (file) appendFileSync(file, judged.map((figure) => `${JSON.stringify({ bench: name, ...figure })}\n`).join(''));
    process.exit(0);
  } catch (error) {
    console.error(`${name} aborted:`, error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? '' : met ? ', met' : ', NOT MET';
}

/**
 * Runs a load generator's source (`eval`) on a worker thread, so the clients do not share the
 * server's event loop, and resolves with the one message it posts back (`{ error }` rejects).
 */
export function runOnWorker<R>(source: string, workerData: unknown): Promise<R> {
  const worker = new Worker(source, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: R | { error: string }) => {
      void worker.terminate();
      if (typeof message === 'object' && message !== null && 'error' in message) reject(new Error(message.error));
      else resolve(message as R);
    });
    worker.once('error', reject);
  });
}
