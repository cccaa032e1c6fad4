import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactId } from '../domain/ids.js';
import type { SearchPattern } from '../domain/search/search-pattern.js';
import { snippetOf, type Snippet } from '../domain/search/snippet.js';

/**
 * The scan of one search page, runnable in slices wherever the index's copy lives: the search
 * worker (search-worker.ts) or the request's own thread (search-host.ts). No I/O, no clock but
 * the one it is given; its only imports are the pattern and snippet types, so the worker loads
 * little.
 */

/** What a search reads of one live artifact. Replaced, never mutated, when the artifact changes. */
export interface IndexedArtifact {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly name: string;
  /** Only when the artifact's metadata says its source has one (a re-read source may have dropped it). */
  readonly readme: string | undefined;
  readonly version: number;
}

export type SearchField = 'NAME' | 'README';

export interface FieldMatch extends Snippet {
  readonly field: SearchField;
}

/** Name matches (group 0) rank before README-only matches (group 1); newest first within each. */
export type Group = 0 | 1;

/** Where a scan stands: after this artifact of this group (the empty id: before the first). */
export interface Position {
  readonly g: Group;
  readonly id: ArtifactId;
}

/** What a scan may spend: engine work (characters run times instructions) and time. */
export interface ScanAllowance {
  readonly work: number;
  readonly ms: number;
}

export interface ScanJob {
  readonly regex: string;
  readonly types: readonly ArtifactType[] | undefined;
  readonly start: Position;
  /** Matches to find: the page plus one, which answers hasNextPage without a second scan. */
  readonly want: number;
  /** Locate the page's matches for snippets too (GraphQL asks when `matches` is selected; REST never). */
  readonly withMatches: boolean;
  readonly allowance: ScanAllowance;
}

export interface FoundEntry {
  readonly id: ArtifactId;
  readonly group: Group;
  /** The first match in the name and the first in the README; empty when the job did not ask. */
  readonly matches: readonly FieldMatch[];
}

export interface ScanOutcome {
  readonly found: readonly FoundEntry[];
  /** Artifacts whose name or README the scan tested. */
  readonly examined: number;
  readonly readmesExamined: number;
  /** Live artifacts of the asked types in the copy the scan read. */
  readonly indexed: number;
  /** Set when the allowance ran out first: where the next page resumes (after this artifact). */
  readonly stoppedAt: Position | undefined;
  /** Work spent: characters the engine ran over times the pattern's instructions. */
  readonly work: number;
  /** Time spent scanning, slices only (not time waiting for a turn). */
  readonly ms: number;
}

/**
 * A copy of the search index: the artifacts by id, and newest first (ids are ULIDs: creation
 * order). A scan reads the ordered array it started with; a change builds a new one on the next
 * read, so changes applied while a scan is in its slices never move under it.
 */
export class IndexReplica {
  private readonly entries = new Map<ArtifactId, IndexedArtifact>();
  private ordered: readonly IndexedArtifact[] | undefined;

  upsert(entries: readonly IndexedArtifact[]): void {
    for (const entry of entries) this.entries.set(entry.id, entry);
    if (entries.length > 0) this.ordered = undefined;
  }

  remove(ids: readonly ArtifactId[]): void {
    for (const id of ids) if (this.entries.delete(id)) this.ordered = undefined;
  }

  clear(): void {
    this.entries.clear();
    this.ordered = undefined;
  }

  newestFirst(): readonly IndexedArtifact[] {
    this.ordered ??= [...this.entries.values()].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return this.ordered;
  }
}

/**
 * One page's scan: names newest first, then READMEs of artifacts whose name does not match, until
 * `want` matches; then, when asked, the first match of each page entry located for its snippet.
 * `step` runs for at most a slice and says whether it is done. When the allowance runs out the
 * page ends where the scan stands (`stoppedAt`), after at least one artifact or one located entry,
 * so paging always moves on: a scan may overrun its allowance by that one step.
 */
export class ScanRun {
  private readonly found: { id: ArtifactId; group: Group; entry: IndexedArtifact; matches: readonly FieldMatch[] }[] = [];
  private readonly examined = new Set<ArtifactId>();
  private readonly wanted: ReadonlySet<ArtifactType> | undefined;
  private readmesExamined = 0;
  private group: Group;
  private index: number;
  private located = 0;
  private stoppedAt: Position | undefined;
  private scanning = true;
  /** Time of the slices before this one; `spent` adds the running slice's. */
  private ms = 0;
  private sliceBegan = 0;

  constructor(
    private readonly entries: readonly IndexedArtifact[],
    private readonly pattern: SearchPattern,
    private readonly job: ScanJob,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.wanted = job.types && job.types.length > 0 ? new Set(job.types) : undefined;
    this.group = job.start.g;
    this.index = indexAfter(entries, job.start.id);
  }

  /** Runs until done or `sliceMs` has passed; true when done. */
  step(sliceMs: number): boolean {
    const began = this.now();
    this.sliceBegan = began;
    const until = began + sliceMs;
    try {
      while (this.scanning) {
        if (!this.scanNext()) this.scanning = false;
        if (this.scanning && this.now() >= until) return false;
      }
      while (this.locateNext()) {
        if (this.now() >= until) return false;
      }
      return true;
    } finally {
      this.ms += this.now() - began;
    }
  }

  outcome(): ScanOutcome {
    return {
      found: this.found.map(({ id, group, matches }) => ({ id, group, matches })),
      examined: this.examined.size,
      readmesExamined: this.readmesExamined,
      indexed: this.wanted ? this.entries.filter((entry) => this.wanted!.has(entry.type)).length : this.entries.length,
      stoppedAt: this.stoppedAt,
      work: this.work(),
      ms: this.ms,
    };
  }

  private work(): number {
    return this.pattern.charsRun * this.pattern.instructions;
  }

  private spent(): boolean {
    return this.work() > this.job.allowance.work || this.ms + (this.now() - this.sliceBegan) > this.job.allowance.ms;
  }

  /** Tests the next artifact; false when the scan is over (page full, index done, allowance spent). */
  private scanNext(): boolean {
    if (this.found.length >= this.job.want) return false;
    if (this.index >= this.entries.length) {
      if (this.group === 1) return false;
      this.group = 1;
      this.index = 0;
      return true;
    }
    const entry = this.entries[this.index++]!;
    if (this.wanted && !this.wanted.has(entry.type)) return true;
    this.examined.add(entry.id);
    const nameMatches = this.pattern.test(entry.name);
    if (this.group === 0 && nameMatches) this.found.push({ id: entry.id, group: 0, entry, matches: [] });
    if (this.group === 1 && !nameMatches && entry.readme !== undefined) {
      this.readmesExamined += 1;
      if (this.pattern.test(entry.readme)) this.found.push({ id: entry.id, group: 1, entry, matches: [] });
    }
    if (this.found.length < this.job.want && this.spent()) {
      this.stoppedAt = { g: this.group, id: entry.id };
      return false;
    }
    return true;
  }

  /** Locates the next page entry's matches; false when there is none left to locate. */
  private locateNext(): boolean {
    // The page is `want - 1` entries; the one beyond it only says there is a next page.
    const page = Math.min(this.found.length, this.job.want - 1);
    if (!this.job.withMatches || this.located >= page) return false;
    if (this.located > 0 && this.spent()) {
      // The page ends after the last entry located; the next page resumes from there.
      this.found.length = this.located;
      const last = this.found[this.located - 1]!;
      this.stoppedAt = { g: last.group, id: last.id };
      return false;
    }
    const hit = this.found[this.located]!;
    hit.matches = matchesOf(this.pattern, hit.entry);
    this.located += 1;
    return true;
  }
}

/** Index of the first entry after `id` in newest-first order (ids sort by creation time). */
function indexAfter(entries: readonly IndexedArtifact[], id: string): number {
  if (id === '') return 0;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.id >= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function matchesOf(pattern: SearchPattern, entry: IndexedArtifact): FieldMatch[] {
  const matches: FieldMatch[] = [];
  const inName = pattern.locate(entry.name);
  if (inName) matches.push({ field: 'NAME', ...snippetOf(entry.name, inName) });
  const inReadme = entry.readme === undefined ? undefined : pattern.locate(entry.readme);
  if (inReadme && entry.readme !== undefined) matches.push({ field: 'README', ...snippetOf(entry.readme, inReadme) });
  return matches;
}
