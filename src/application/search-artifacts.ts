import { z } from 'zod';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { ok, type Result } from '../domain/result.js';
import { parseSearchPattern } from '../domain/search/search-pattern.js';
import { decodeCursor, encodeCursor } from '../store/page-cursor.js';
import { pageSize } from './artifact-queries.js';
import type { RequestSearches, Spent } from './search-budget.js';
import type { SearchIndex } from './search-index.js';
import type { FieldMatch, Position } from './search-scan.js';

export type { FieldMatch, SearchField } from './search-scan.js';

export interface SearchHit {
  readonly state: ArtifactState;
  readonly cursor: string;
  /** The first match in the name and the first in the README, in that order; empty unless the request asked (`withMatches`). */
  readonly matches: readonly FieldMatch[];
}

export interface SearchPage {
  readonly hits: readonly SearchHit[];
  readonly hasNextPage: boolean;
  /** Where the next page starts: the last hit, or where the scan stopped when its budget ran out. */
  readonly endCursor: string | null;
  /** Artifacts whose name or README this page's scan tested. */
  readonly examined: number;
  /** READMEs among them. */
  readonly readmesExamined: number;
  /** Live artifacts of the asked types the index holds. */
  readonly indexed: number;
  /** What this page took from the request's search budget. */
  readonly spent: Spent;
}

export interface SearchRequest {
  readonly regex: string;
  readonly types?: readonly ArtifactType[] | null | undefined;
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
  /** Locate each hit's first matches for snippets (costs more than testing; REST never asks). */
  readonly withMatches?: boolean;
}

export interface SearchDeps {
  readonly index: SearchIndex;
  /** Current states by id, e.g. a request's DataLoader or `store.projections.getMany` (deleted ones are dropped). */
  readonly states: (ids: readonly ArtifactId[]) => Promise<readonly (ArtifactState | undefined)[]>;
  /** The request's search budget and its user's place in the process's searches. */
  readonly searches: RequestSearches;
}

const positionSchema = z.strictObject({
  g: z.union([z.literal(0), z.literal(1)]),
  id: z.string().refine((id) => parseArtifactId(id) !== undefined).transform((id) => id as ArtifactId),
});

const cursorScope = (regex: string, types: readonly ArtifactType[] | undefined) =>
  `search:${JSON.stringify({ regex, types: types ? [...new Set(types)].sort() : null })}`;

/**
 * Regular-expression search over names and READMEs (RE2 semantics, linear time). The caller gets
 * domain values; GraphQL and REST shape them. The index's scan host runs the scan (search-scan.ts:
 * newest first, names before READMEs, stopping once the page plus one is full) within what is
 * left of the request's search budget.
 */
export async function searchArtifacts(deps: SearchDeps, request: SearchRequest): Promise<Result<SearchPage>> {
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
  return deps.searches.run(async (allowance) => {
    const scan = await deps.index.scan({ regex: request.regex, types, start, want: size.value + 1, withMatches: request.withMatches ?? false, allowance });
    const page = scan.found.slice(0, size.value);
    const states = await deps.states(page.map((hit) => hit.id));
    const hits: SearchHit[] = [];
    for (const [i, { id, group, matches }] of page.entries()) {
      const state = states[i];
      // Deleted after the index caught up, in this same request: never shown.
      if (!state || state.deleted) continue;
      hits.push({ state, cursor: encodeCursor(scope, { g: group, id }), matches });
    }
    const lastHit = page.at(-1);
    const endPosition = scan.stoppedAt ?? (lastHit ? { g: lastHit.group, id: lastHit.id } : undefined);
    return ok({
      hits,
      hasNextPage: scan.found.length > size.value || scan.stoppedAt !== undefined,
      endCursor: endPosition ? encodeCursor(scope, endPosition) : null,
      examined: scan.examined,
      readmesExamined: scan.readmesExamined,
      indexed: scan.indexed,
      spent: { work: scan.work, ms: scan.ms },
    });
  });
}
