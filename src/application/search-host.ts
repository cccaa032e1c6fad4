import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ArtifactId } from '../domain/ids.js';
import { parseSearchPattern } from '../domain/search/search-pattern.js';
import { IndexReplica, ScanRun, type IndexedArtifact, type ScanJob, type ScanOutcome } from './search-scan.js';
import type { FromWorker, SearchWorkerData, ToWorker } from './search-worker.js';

/**
 * Where a search index's scans run, and the copy of the index they read, kept by the index's
 * changes. `worker`: a thread of its own, so a scan (one RE2 run over a 100 KB README can take
 * hundreds of milliseconds on a hostile pattern) never holds up other requests; `inline`: the
 * request's thread in slices, for a process that serves one request at a time (Lambda).
 */
export type ScanPlace = 'worker' | 'inline';

export interface ScanHost {
  readonly place: ScanPlace;
  /** A scan is coming: a host with a thread to start may start it now, while the index catches up. */
  prepare(): void;
  upsert(entries: readonly IndexedArtifact[]): void;
  remove(ids: readonly ArtifactId[]): void;
  clear(): void;
  run(job: ScanJob): Promise<ScanOutcome>;
  /** Scans run and work spent since the host started: what tests and operators read. */
  stats(): ScanStats;
  close(): void;
}

export interface ScanStats {
  readonly place: ScanPlace;
  readonly scans: number;
  readonly work: number;
  /** Scans waiting for or taking their turns now. */
  readonly running: number;
}

/**
 * `current` is the index's content, sent to a worker when it starts; changes before that need not
 * be sent. `sliceMs` is the longest stretch of scanning between two turns of the thread it runs on.
 */
export function scanHost(place: ScanPlace, current: () => Iterable<IndexedArtifact>, sliceMs: number): ScanHost {
  return place === 'worker' ? new WorkerScanHost(current, sliceMs) : new InlineScanHost(sliceMs);
}

class Tally {
  scans = 0;
  work = 0;
  running = 0;

  stats(place: ScanPlace): ScanStats {
    return { place, scans: this.scans, work: this.work, running: this.running };
  }

  async count(run: () => Promise<ScanOutcome>): Promise<ScanOutcome> {
    this.running += 1;
    try {
      const outcome = await run();
      this.scans += 1;
      this.work += outcome.work;
      return outcome;
    } finally {
      this.running -= 1;
    }
  }
}

class InlineScanHost implements ScanHost {
  readonly place = 'inline';
  private readonly replica = new IndexReplica();
  private readonly tally = new Tally();

  constructor(private readonly sliceMs: number) {}

  prepare(): void {}

  upsert(entries: readonly IndexedArtifact[]): void {
    this.replica.upsert(entries);
  }

  remove(ids: readonly ArtifactId[]): void {
    this.replica.remove(ids);
  }

  clear(): void {
    this.replica.clear();
  }

  run(job: ScanJob): Promise<ScanOutcome> {
    return this.tally.count(async () => {
      const pattern = parseSearchPattern(job.regex);
      if (!pattern.ok) throw new Error(`search pattern refused after it was checked: ${pattern.error.message}`);
      const run = new ScanRun(this.replica.newestFirst(), pattern.value, job);
      while (!run.step(this.sliceMs)) await nextTurn();
      return run.outcome();
    });
  }

  stats(): ScanStats {
    return this.tally.stats(this.place);
  }

  close(): void {}
}

/**
 * The worker's thread starts with the first search (`prepare`: its code loads while the index
 * reads storage) and gets the whole index when that search's scan is sent, in chunks between turns of
 * this thread (a clone of 80 MB of READMEs at once would hold it up). Changes before that copy are
 * in it and need not be sent; changes made while it is being sent wait until its last chunk, so
 * none is overwritten by an older copy. Messages keep their order, so a scan sent after a change
 * reads it. A worker that fails fails the scans it held and is started afresh by the next one.
 */
class WorkerScanHost implements ScanHost {
  readonly place = 'worker';
  private thread: Worker | undefined;
  /** Resolves once the thread holds the copy. */
  private ready: Promise<Worker> | undefined;
  private copied = false;
  /** Changes made while the copy is being sent. */
  private backlog: ToWorker[] | undefined;
  private readonly pending = new Map<number, { readonly resolve: (outcome: ScanOutcome) => void; readonly reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly tally = new Tally();

  constructor(
    private readonly current: () => Iterable<IndexedArtifact>,
    private readonly sliceMs: number,
  ) {}

  prepare(): void {
    this.thread ??= this.spawn();
  }

  upsert(entries: readonly IndexedArtifact[]): void {
    if (entries.length > 0) this.send({ kind: 'upsert', entries });
  }

  remove(ids: readonly ArtifactId[]): void {
    if (ids.length > 0) this.send({ kind: 'remove', ids });
  }

  clear(): void {
    this.send({ kind: 'clear' });
  }

  run(job: ScanJob): Promise<ScanOutcome> {
    return this.tally.count(async () => {
      const worker = await (this.ready ??= this.copying());
      const id = ++this.nextId;
      const outcome = new Promise<ScanOutcome>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      worker.postMessage({ kind: 'scan', id, job } satisfies ToWorker);
      return outcome;
    });
  }

  stats(): ScanStats {
    return this.tally.stats(this.place);
  }

  close(): void {
    const thread = this.thread;
    this.forget();
    this.failAll(new Error('the search worker was closed'));
    void thread?.terminate();
  }

  private send(message: ToWorker): void {
    if (this.backlog) this.backlog.push(message);
    else if (this.copied) this.thread?.postMessage(message);
  }

  /** A copy that fails is tried again, with a new thread, by the next scan; the failure is not remembered. */
  private copying(): Promise<Worker> {
    const ready: Promise<Worker> = this.copy().catch((error: unknown) => {
      if (this.ready === ready) this.close();
      throw error;
    });
    return ready;
  }

  private async copy(): Promise<Worker> {
    const worker = (this.thread ??= this.spawn());
    this.backlog = [];
    const entries = [...this.current()];
    let chunk: IndexedArtifact[] = [];
    let chars = 0;
    for (const entry of entries) {
      chunk.push(entry);
      chars += entry.name.length + (entry.readme?.length ?? 0);
      if (chars >= INITIAL_CHUNK_CHARS) {
        worker.postMessage({ kind: 'upsert', entries: chunk } satisfies ToWorker);
        chunk = [];
        chars = 0;
        await nextTurn();
        if (this.thread !== worker) throw new Error('the search worker stopped while the index was being copied to it');
      }
    }
    worker.postMessage({ kind: 'upsert', entries: chunk } satisfies ToWorker);
    for (const message of this.backlog) worker.postMessage(message);
    this.backlog = undefined;
    this.copied = true;
    return worker;
  }

  private spawn(): Worker {
    const worker = startWorker({ sliceMs: this.sliceMs });
    // Never what keeps a process alive: a server has its socket, a CLI command ends when done.
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.kind === 'done') waiting.resolve(message.outcome);
      else waiting.reject(new Error(`search worker: ${message.message}`));
    });
    const lost = (error: Error) => {
      if (this.thread !== worker) return;
      this.forget();
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the search worker exited (${code})`)));
    return worker;
  }

  private forget(): void {
    this.thread = undefined;
    this.ready = undefined;
    this.copied = false;
    this.backlog = undefined;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** About 2 ms of cloning per chunk of the first copy. */
const INITIAL_CHUNK_CHARS = 2_000_000;

/**
 * From the TypeScript sources (npm start, the CLI, tests) the worker registers tsx itself before
 * loading its module: a worker thread inherits no loader hooks. Built JavaScript loads directly.
 */
function startWorker(data: SearchWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './search-worker.ts' : './search-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const tsx = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')));
  const boot = `import(${JSON.stringify(tsx.href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}
