/**
 * The search worker's thread (started by WorkerScanHost, search-host.ts): a copy of the search
 * index, kept by the messages the index sends as it changes, and the scans run over it. Scans take
 * turns a slice at a time, so a long scan delays another by a slice, not by its whole length;
 * between slices the thread reads its messages, so changes and new scans never wait for a scan.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ArtifactId } from '../domain/ids.js';
import { parseSearchPattern } from '../domain/search/search-pattern.js';
import { IndexReplica, ScanRun, type IndexedArtifact, type ScanJob, type ScanOutcome } from './search-scan.js';

export type ToWorker =
  | { readonly kind: 'upsert'; readonly entries: readonly IndexedArtifact[] }
  | { readonly kind: 'remove'; readonly ids: readonly ArtifactId[] }
  | { readonly kind: 'clear' }
  | { readonly kind: 'scan'; readonly id: number; readonly job: ScanJob };

export type FromWorker = { readonly kind: 'done'; readonly id: number; readonly outcome: ScanOutcome } | { readonly kind: 'failed'; readonly id: number; readonly message: string };

export interface SearchWorkerData {
  readonly sliceMs: number;
}

const port = parentPort;
if (!port) throw new Error('search-worker.ts runs as a worker thread (search-host.ts starts it)');
const { sliceMs } = workerData as SearchWorkerData;
const replica = new IndexReplica();
const turns: { readonly id: number; readonly run: ScanRun }[] = [];
let scheduled = false;

const reply = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.kind) {
    case 'upsert':
      replica.upsert(message.entries);
      return;
    case 'remove':
      replica.remove(message.ids);
      return;
    case 'clear':
      replica.clear();
      return;
    case 'scan': {
      // The request's thread checked the pattern already; this only compiles it again.
      const pattern = parseSearchPattern(message.job.regex);
      if (!pattern.ok) {
        reply({ kind: 'failed', id: message.id, message: pattern.error.message });
        return;
      }
      turns.push({ id: message.id, run: new ScanRun(replica.newestFirst(), pattern.value, message.job) });
      schedule();
    }
  }
});

function schedule(): void {
  if (scheduled || turns.length === 0) return;
  scheduled = true;
  setImmediate(takeTurn);
}

function takeTurn(): void {
  scheduled = false;
  const turn = turns.shift();
  if (!turn) return;
  try {
    if (turn.run.step(sliceMs)) reply({ kind: 'done', id: turn.id, outcome: turn.run.outcome() });
    else turns.push(turn);
  } catch (error) {
    reply({ kind: 'failed', id: turn.id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
  schedule();
}
