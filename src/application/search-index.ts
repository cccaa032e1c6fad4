import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactId } from '../domain/ids.js';
import { SEARCH_CHANGE_TTL_SECONDS } from '../store/search-changes.js';
import type { RegistryStore } from './registry-store.js';

/** What a search reads of one live artifact. Replaced, never mutated, when the artifact changes. */
export interface IndexedArtifact {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly name: string;
  /** Only when the artifact's metadata says its source has one (a re-read source may have dropped it). */
  readonly readme: string | undefined;
  readonly version: number;
}

export interface SearchIndexOptions {
  /**
   * Changes written up to this long before the last catch-up began are read again: writers'
   * clocks differ a little (NTP keeps Lambda hosts within milliseconds), and a change item can
   * land a moment after a later one. Every request re-reads the change items of this window (one
   * Query row each; versions already held are skipped), so it trades safety against Query size.
   */
  readonly overlapMs: number;
  /** Work between two yields to the event loop while loading. */
  readonly sliceMs: number;
  readonly now: () => Date;
}

const README_BATCHES_IN_FLIGHT = 4;

export const DEFAULT_SEARCH_INDEX_OPTIONS: SearchIndexOptions = { overlapMs: 5_000, sliceMs: 10, now: () => new Date() };

/**
 * Per-process (per Lambda container) copy of every live artifact's name, type and README, so a
 * search never reads READMEs from DynamoDB. Loaded on the first search (the catalog index, then
 * the READMEs in batches of 100); kept fresh by one consistent Query of the search change feed at
 * the start of every search, which reads only the artifacts that changed since the last one.
 */
export class SearchIndex {
  private readonly entries = new Map<ArtifactId, IndexedArtifact>();
  /** Newest first (ids are ULIDs: creation order); rebuilt after a change. */
  private ordered: readonly IndexedArtifact[] | undefined;
  private loading: Promise<void> | undefined;
  /** Changes written at or after this are read by the next catch-up. */
  private watermark = new Date(0);
  private catchUp: { readonly run: Promise<void>; readonly coversRequest: number } | undefined;
  private requests = 0;

  constructor(
    private readonly store: RegistryStore,
    private readonly options: SearchIndexOptions = DEFAULT_SEARCH_INDEX_OPTIONS,
  ) {}

  /**
   * The index as of now: every change committed before this call is in it. Concurrent callers
   * share one catch-up; a caller that arrives while one is running waits for the next.
   */
  async current(): Promise<readonly IndexedArtifact[]> {
    const request = ++this.requests;
    const staleAfterMs = (SEARCH_CHANGE_TTL_SECONDS * 1000) / 2;
    if (this.loading && this.options.now().getTime() - this.watermark.getTime() > staleAfterMs && !this.catchUp) this.loading = undefined;
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
    return this.ordered;
  }

  /** How many artifacts the index holds, and an estimate of the bytes of their text. */
  stats(): { readonly artifacts: number; readonly textChars: number } {
    let textChars = 0;
    for (const entry of this.entries.values()) textChars += entry.name.length + (entry.readme?.length ?? 0);
    return { artifacts: this.entries.size, textChars };
  }

  private async load(): Promise<void> {
    const startedAt = this.options.now();
    this.entries.clear();
    this.ordered = undefined;
    for await (const page of this.store.projections.allLive()) {
      await this.admit(page);
    }
    this.watermark = new Date(startedAt.getTime() - this.options.overlapMs);
  }

  private async applyChanges(): Promise<void> {
    const startedAt = this.options.now();
    const changes = await this.store.searchChanges.since(this.watermark);
    const newest = new Map<ArtifactId, number>();
    for (const change of changes) newest.set(change.artifactId, Math.max(change.version, newest.get(change.artifactId) ?? 0));
    const stale = [...newest].filter(([id, version]) => (this.entries.get(id)?.version ?? 0) < version).map(([id]) => id);
    if (stale.length > 0) {
      // Consistent: the change item was written after its projection, so this read finds it.
      const states = await this.store.projections.getMany(stale, { consistent: true });
      for (const [i, id] of stale.entries()) {
        const state = states[i];
        if (!state || state.deleted) {
          if (this.entries.delete(id)) this.ordered = undefined;
        }
      }
      await this.admit(states.filter((state): state is ArtifactState => state !== undefined && !state.deleted));
    }
    this.watermark = new Date(startedAt.getTime() - this.options.overlapMs);
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
    for (const state of changed) {
      this.entries.set(state.id, { id: state.id, type: state.type, name: state.name, readme: readmes.get(state.id), version: state.version });
      if (performance.now() - sliceStart > this.options.sliceMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
    if (changed.length > 0) this.ordered = undefined;
  }
}
