import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { ok, type Result } from '../domain/result.js';
import { parseSearchPattern, type SearchPattern } from '../domain/search/search-pattern.js';
import { snippetOf, type Snippet } from '../domain/search/snippet.js';
import { decodeCursor, encodeCursor } from '../store/page-cursor.js';
import { pageSize } from './artifact-queries.js';
import type { IndexedArtifact, SearchIndex } from './search-index.js';

export type SearchField = 'NAME' | 'README';

export interface FieldMatch extends Snippet {
  readonly field: SearchField;
}

export interface SearchHit {
  readonly state: ArtifactState;
  readonly cursor: string;
  /**
   * The first match in the name and the first in the README, in that order; at least one.
   * Computed when asked (locating costs more than testing; a REST list never asks).
   */
  readonly matches: () => readonly FieldMatch[];
}

export interface SearchPage {
  readonly hits: readonly SearchHit[];
  readonly hasNextPage: boolean;
  /** Where the next page starts: the last hit, or where the scan stopped when its time ran out. */
  readonly endCursor: string | null;
  /** Artifacts whose name or README this page's scan tested. */
  readonly examined: number;
  /** READMEs among them. */
  readonly readmesExamined: number;
  /** Live artifacts of the asked types the index holds. */
  readonly indexed: number;
}

export interface SearchRequest {
  readonly regex: string;
  readonly types?: readonly ArtifactType[] | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

export interface SearchDeps {
  readonly index: SearchIndex;
  /** Current states by id, e.g. a request's DataLoader or `store.projections.getMany` (deleted ones are dropped). */
  readonly states: (ids: readonly ArtifactId[]) => Promise<readonly (ArtifactState | undefined)[]>;
}

export interface SearchLimits {
  /**
   * Scan time one page may spend. A page that runs out ends early with `hasNextPage` and an
   * `endCursor` where the scan stopped, so a client pages on instead of a request running long.
   */
  readonly scanBudgetMs: number;
  /** Longest stretch of matching between two yields to the event loop. */
  readonly sliceMs: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { scanBudgetMs: 5_000, sliceMs: 10 };

/** Name matches (group 0) rank before README-only matches (group 1); newest first within each. */
type Group = 0 | 1;
const positionSchema = z.strictObject({
  g: z.union([z.literal(0), z.literal(1)]),
  id: z.string().refine((id) => parseArtifactId(id) !== undefined).transform((id) => id as ArtifactId),
});
type Position = z.output<typeof positionSchema>;

const cursorScope = (regex: string, types: readonly ArtifactType[] | undefined) =>
  `search:${JSON.stringify({ regex, types: types ? [...new Set(types)].sort() : null })}`;

/**
 * Regular-expression search over names and READMEs (RE2 semantics, linear time). The caller gets
 * domain values; GraphQL and REST shape them. Scans the in-memory index newest first, names before
 * READMEs, and stops as soon as the page (plus one, for hasNextPage) is full.
 */
export async function searchArtifacts(deps: SearchDeps, request: SearchRequest, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): Promise<Result<SearchPage>> {
  const pattern = parseSearchPattern(request.regex);
  if (!pattern.ok) return pattern;
  const size = pageSize(request.first);
  if (!size.ok) return size;
  const types = request.types && request.types.length > 0 ? request.types : undefined;
  const scope = cursorScope(request.regex, types);
  let start: Position = { g: 0, id: '' as ArtifactId };
  if (request.after != null) {
    const decoded = decodeCursor(scope, positionSchema, request.after);
    if (!decoded.ok) return decoded;
    start = decoded.value;
  }
  const entries = await deps.index.current();
  const wanted = types ? new Set<ArtifactType>(types) : undefined;
  const scan = await scanEntries(entries, pattern.value, wanted, start, size.value + 1, limits);
  const page = scan.found.slice(0, size.value);
  const states = await deps.states(page.map((hit) => hit.entry.id));
  const hits: SearchHit[] = [];
  for (const [i, { entry, group }] of page.entries()) {
    const state = states[i];
    // Deleted after the index caught up, in this same request: never shown.
    if (!state || state.deleted) continue;
    let matches: readonly FieldMatch[] | undefined;
    hits.push({ state, cursor: encodeCursor(scope, { g: group, id: entry.id }), matches: () => (matches ??= matchesOf(pattern.value, entry)) });
  }
  const full = scan.found.length > size.value;
  const lastHit = page.at(-1);
  const endPosition = scan.stoppedAt ?? (lastHit ? { g: lastHit.group, id: lastHit.entry.id } : undefined);
  return ok({
    hits,
    hasNextPage: full || scan.stoppedAt !== undefined,
    endCursor: endPosition ? encodeCursor(scope, endPosition) : null,
    examined: scan.examined,
    readmesExamined: scan.readmesExamined,
    indexed: wanted ? entries.filter((entry) => wanted.has(entry.type)).length : entries.length,
  });
}

interface Scan {
  readonly found: readonly { readonly entry: IndexedArtifact; readonly group: Group }[];
  readonly examined: number;
  readonly readmesExamined: number;
  /** Set when the time budget ran out before the scan finished or filled the page. */
  readonly stoppedAt: Position | undefined;
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

async function scanEntries(
  entries: readonly IndexedArtifact[],
  pattern: SearchPattern,
  types: ReadonlySet<ArtifactType> | undefined,
  start: Position,
  want: number,
  limits: SearchLimits,
): Promise<Scan> {
  const found: { entry: IndexedArtifact; group: Group }[] = [];
  const examined = new Set<ArtifactId>();
  let readmesExamined = 0;
  const began = performance.now();
  let sliceStart = began;
  for (const group of [0, 1] as const) {
    if (group < start.g) continue;
    for (let i = group === start.g ? indexAfter(entries, start.id) : 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (types && !types.has(entry.type)) continue;
      examined.add(entry.id);
      const nameMatches = pattern.test(entry.name);
      if (group === 0 && nameMatches) found.push({ entry, group });
      if (group === 1 && !nameMatches && entry.readme !== undefined) {
        readmesExamined += 1;
        if (pattern.test(entry.readme)) found.push({ entry, group });
      }
      if (found.length >= want) return { found, examined: examined.size, readmesExamined, stoppedAt: undefined };
      const now = performance.now();
      if (now - sliceStart > limits.sliceMs) {
        if (now - began > limits.scanBudgetMs) return { found, examined: examined.size, readmesExamined, stoppedAt: { g: group, id: entry.id } };
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  }
  return { found, examined: examined.size, readmesExamined, stoppedAt: undefined };
}

function matchesOf(pattern: SearchPattern, entry: IndexedArtifact): FieldMatch[] {
  const matches: FieldMatch[] = [];
  const inName = pattern.locate(entry.name);
  if (inName) matches.push({ field: 'NAME', ...snippetOf(entry.name, inName) });
  const inReadme = entry.readme === undefined ? undefined : pattern.locate(entry.readme);
  if (inReadme && entry.readme !== undefined) matches.push({ field: 'README', ...snippetOf(entry.readme, inReadme) });
  return matches;
}
