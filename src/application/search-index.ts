import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactId } from '../domain/ids.js';
import { SEARCH_CHANGE_TTL_SECONDS } from '../store/search-changes.js';
import type { SearchSnapshot, SearchSnapshots } from '../store/search-snapshots.js';
import type { RegistryStore } from './registry-store.js';
import { scanHost, type ScanHost, type ScanPlace, type ScanStats } from './search-host.js';
import type { IndexedArtifact, ScanJob, ScanOutcome } from './search-scan.js';

export type { IndexedArtifact } from './search-scan.js';

export interface SearchIndexOptions {
  /**
   * Changes written up to this long before the last catch-up began are read again: writers'
   * clocks differ a little (NTP keeps Lambda hosts within milliseconds), and a change item can
   * land a moment after a later one. Every request re-reads the change items of this window (one
   * Query row each; versions already held are skipped), so it trades safety against Query size.
   */
  readonly overlapMs: number;
  /** Work between two yields to the event loop while loading, and between two turns while scanning. */
  readonly sliceMs: number;
  /**
   * Where scans run (search-host.ts): `worker`, a thread of its own, wherever one process serves
   * many requests at once; `inline`, the request's thread, where a process serves one at a time.
   */
  readonly scanIn: ScanPlace;
  /**
   * The snapshot this index read or wrote last is rewritten from it once it is older than this: a
   * cold container then catches up at most this much of the feed. Each container rewrites at most
   * once per period, so writes stay few however many containers run.
   */
  readonly snapshotRefreshMs: number;
  readonly now: () => Date;
  /** Where a snapshot that could not be read or written is reported (never fatal). */
  readonly log: (message: string) => void;
}

const README_BATCHES_IN_FLIGHT = 4;

/**
 * An index (or a snapshot) caught up longer ago than this reloads: the change items it would need
 * live SEARCH_CHANGE_TTL_SECONDS, and DynamoDB deletes expired items only eventually, so half of
 * that leaves a wide margin either way.
 */
export const SEARCH_INDEX_STALE_AFTER_MS = (SEARCH_CHANGE_TTL_SECONDS * 1000) / 2;

export const DEFAULT_SEARCH_INDEX_OPTIONS: SearchIndexOptions = {
  overlapMs: 5_000,
  sliceMs: 5,
  scanIn: 'worker',
  snapshotRefreshMs: 60 * 60 * 1000,
  now: () => new Date(),
  log: (message) => console.warn(message),
};

/** Where the index came from at its last load: its own snapshot in the bucket, or the tables. */
export type IndexSource = 'snapshot' | 'tables';

/** Where the index keeps its snapshot: SearchSnapshots, the epoch's object in the bucket. */
export type SnapshotStorage = Pick<SearchSnapshots, 'read' | 'write'>;

/**
 * Per-process (per Lambda container) copy of every live artifact's name, type and README, so a
 * search never reads READMEs from DynamoDB. Loaded on the first search (the catalog index, then
 * the READMEs in batches of 100); kept fresh by one consistent Query of the search change feed at
 * the start of every search, which reads only the artifacts that changed since the last one.
 *
 * With a SnapshotStorage, a load first tries the snapshot (ARCHITECTURE.md, "Search"), and the
 * index writes one in the background after a load from the tables, and again whenever the one it
 * read or wrote is older than `snapshotRefreshMs`.
 */
export class SearchIndex {
  private readonly entries = new Map<ArtifactId, IndexedArtifact>();
  /** Newest first (ids are ULIDs: creation order); rebuilt after a change. */
  private ordered: readonly IndexedArtifact[] | undefined;
  private loading: Promise<void> | undefined;
  /**
   * The start of the last completed load or catch-up: every change written to the feed before it
   * is in `entries`. The next catch-up reads the changes written since, less the overlap.
   */
  private caughtUpAt = new Date(0);
  private loadedFrom: IndexSource | undefined;
  /** validFrom of the snapshot last read or written (undefined: none yet, write one). */
  private snapshotFrom: Date | undefined;
  private snapshotWrite: Promise<void> | undefined;
  private catchUp: { readonly run: Promise<void>; readonly coversRequest: number } | undefined;
  private requests = 0;
  /** Where scans run, with its copy of `entries`: every change below is sent to it. */
  private readonly host: ScanHost;

  constructor(
    private readonly store: RegistryStore,
    private readonly options: SearchIndexOptions = DEFAULT_SEARCH_INDEX_OPTIONS,
    private readonly snapshots?: SnapshotStorage,
  ) {
    this.host = scanHost(options.scanIn, () => this.entries.values(), options.sliceMs);
  }

  /** Scans the index as of now (`current`) where its scans run. */
  async scan(job: ScanJob): Promise<ScanOutcome> {
    // A worker's thread starts loading its code while the index loads or catches up.
    this.host.prepare();
    await this.current();
    return this.host.run(job);
  }

  /** Scans run and work spent so far, and where. */
  scanStats(): ScanStats {
    return this.host.stats();
  }

  /** Stops the scan worker, if one started (a registry being destroyed). */
  close(): void {
    this.host.close();
  }

  /**
   * The index as of now: every change committed before this call is in it. Concurrent callers
   * share one catch-up; a caller that arrives while one is running waits for the next.
   */
  async current(): Promise<readonly IndexedArtifact[]> {
    const request = ++this.requests;
    if (this.loading && this.options.now().getTime() - this.caughtUpAt.getTime() > SEARCH_INDEX_STALE_AFTER_MS && !this.catchUp) this.loading = undefined;
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    await this.loading;
    for (;;) {
      const running = this.catchUp;
      if (running && running.coversRequest >= request) {
        await running.run;
        break;
      }
      if (running) {
        await running.run.catch(() => undefined);
        continue;
      }
      const run = this.applyChanges().finally(() => {
        this.catchUp = undefined;
      });
      this.catchUp = { run, coversRequest: this.requests };
    }
    this.ordered ??= [...this.entries.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    this.refreshSnapshot();
    return this.ordered;
  }

  /** How many artifacts the index holds, an estimate of the bytes of their text, and where its last load read them. */
  stats(): { readonly artifacts: number; readonly textChars: number; readonly loadedFrom: IndexSource | undefined } {
    let textChars = 0;
    for (const entry of this.entries.values()) textChars += entry.name.length + (entry.readme?.length ?? 0);
    return { artifacts: this.entries.size, textChars, loadedFrom: this.loadedFrom };
  }

  /** Resolves once no snapshot write is in flight (tests; a process that wants to exit cleanly). */
  async snapshotWritten(): Promise<void> {
    while (this.snapshotWrite) await this.snapshotWrite;
  }

  /**
   * Brings the index up to date and writes its snapshot now, failing if the write fails: for an
   * operator (`registry search-snapshot`) when no search can finish a load within a request's time.
   */
  async writeSnapshot(): Promise<{ readonly artifacts: number; readonly validFrom: Date }> {
    if (!this.snapshots) throw new Error('this index has no snapshot storage');
    await this.current();
    await this.snapshotWritten();
    const snapshot = this.capture();
    await this.snapshots.write(snapshot);
    return { artifacts: snapshot.entries.length, validFrom: snapshot.validFrom };
  }

  private async load(): Promise<void> {
    this.loadedFrom = undefined;
    this.entries.clear();
    this.host.clear();
    this.ordered = undefined;
    if (await this.loadSnapshot()) return;
    const startedAt = this.options.now();
    for await (const page of this.store.projections.allLive()) {
      await this.admit(page);
    }
    this.caughtUpAt = startedAt;
    this.loadedFrom = 'tables';
    this.snapshotFrom = undefined;
  }

  /**
   * Fills the index from the snapshot when there is a usable one: its entries as they were at its
   * validFrom, which becomes the instant the first catch-up reads the feed from. False (index
   * still empty) when there is none, it is damaged or foreign, or too old for the feed to cover.
   */
  private async loadSnapshot(): Promise<boolean> {
    if (!this.snapshots) return false;
    const now = this.options.now().getTime();
    const read = await this.snapshots.read((validFrom) => {
      if (now - validFrom.getTime() > SEARCH_INDEX_STALE_AFTER_MS) return `valid from ${validFrom.toISOString()}, older than the change feed covers`;
      // A writer's clock may run a little ahead (the overlap covers that); further ahead, the feed would be read from a future instant and miss changes.
      if (validFrom.getTime() - now > this.options.overlapMs) return `valid from ${validFrom.toISOString()}, in the future`;
      return undefined;
    });
    if (read.status === 'absent') return false;
    if (read.status === 'unusable') {
      this.options.log(`search index: snapshot ignored, loading from the tables: ${read.reason}`);
      return false;
    }
    let sliceStart = performance.now();
    let batch: IndexedArtifact[] = [];
    for (const entry of read.snapshot.entries) {
      this.entries.set(entry.id, entry);
      batch.push(entry);
      if (performance.now() - sliceStart > this.options.sliceMs) {
        this.host.upsert(batch);
        batch = [];
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    this.host.upsert(batch);
    this.caughtUpAt = read.snapshot.validFrom;
    this.loadedFrom = 'snapshot';
    this.snapshotFrom = read.snapshot.validFrom;
    return true;
  }

  /**
   * Writes a snapshot in the background when there is none from this index yet or the last one is
   * older than snapshotRefreshMs. Taken synchronously, so it is self-consistent: `caughtUpAt` is
   * from a completed load or catch-up, and the entries hold at least every change before it (a
   * catch-up running meanwhile may have applied some later ones, which its feed items, all
   * written after `caughtUpAt`, make the reader read again). A failed write is logged and retried
   * after snapshotRefreshMs; it never fails a search.
   */
  private refreshSnapshot(): void {
    if (!this.snapshots || this.snapshotWrite || this.loadedFrom === undefined) return;
    if (this.snapshotFrom && this.options.now().getTime() - this.snapshotFrom.getTime() <= this.options.snapshotRefreshMs) return;
    const snapshot = this.capture();
    this.snapshotFrom = snapshot.validFrom;
    this.snapshotWrite = this.snapshots
      .write(snapshot)
      .catch((error: unknown) => this.options.log(`search index: snapshot not written (the next try is in ${this.options.snapshotRefreshMs / 60_000} min): ${String(error)}`))
      .finally(() => {
        this.snapshotWrite = undefined;
      });
  }

  /** The index as a snapshot, taken synchronously (see refreshSnapshot for why it is self-consistent). */
  private capture(): SearchSnapshot {
    return { validFrom: this.caughtUpAt, entries: [...this.entries.values()] };
  }

  private async applyChanges(): Promise<void> {
    const startedAt = this.options.now();
    const changes = await this.store.searchChanges.since(new Date(this.caughtUpAt.getTime() - this.options.overlapMs));
    const newest = new Map<ArtifactId, number>();
    for (const change of changes) newest.set(change.artifactId, Math.max(change.version, newest.get(change.artifactId) ?? 0));
    const stale = [...newest].filter(([id, version]) => (this.entries.get(id)?.version ?? 0) < version).map(([id]) => id);
    if (stale.length > 0) {
      // Consistent: the change item was written after its projection, so this read finds it.
      const states = await this.store.projections.getMany(stale, { consistent: true });
      for (const [i, id] of stale.entries()) {
        const state = states[i];
        if (!state || state.deleted) {
          if (this.entries.delete(id)) {
            this.ordered = undefined;
            this.host.remove([id]);
          }
        }
      }
      await this.admit(states.filter((state): state is ArtifactState => state !== undefined && !state.deleted));
    }
    this.caughtUpAt = startedAt;
  }

  /** Adds or replaces live artifacts, reading the READMEs of those whose version moved. */
  private async admit(states: readonly ArtifactState[]): Promise<void> {
    const changed = states.filter((state) => (this.entries.get(state.id)?.version ?? 0) < state.version);
    const withReadme = changed.filter((state) => state.metadata?.readme.status === 'present');
    const readmes = new Map<ArtifactId, string | undefined>();
    const batches: ArtifactId[][] = [];
    for (let i = 0; i < withReadme.length; i += 100) batches.push(withReadme.slice(i, i + 100).map((state) => state.id));
    // A few BatchGets in flight: a cold load is dominated by their round trips.
    for (let i = 0; i < batches.length; i += README_BATCHES_IN_FLIGHT) {
      await Promise.all(
        batches.slice(i, i + README_BATCHES_IN_FLIGHT).map(async (ids) => {
          // Consistent, like the projections: a README replaced by a URL change is read as committed.
          const texts = await this.store.details.readmes(ids, { consistent: true });
          ids.forEach((id, j) => readmes.set(id, texts[j]));
        }),
      );
    }
    let sliceStart = performance.now();
    let batch: IndexedArtifact[] = [];
    for (const state of changed) {
      const entry: IndexedArtifact = { id: state.id, type: state.type, name: state.name, readme: readmes.get(state.id), version: state.version };
      this.entries.set(state.id, entry);
      batch.push(entry);
      if (performance.now() - sliceStart > this.options.sliceMs) {
        this.host.upsert(batch);
        batch = [];
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    this.host.upsert(batch);
    if (changed.length > 0) this.ordered = undefined;
  }
}
