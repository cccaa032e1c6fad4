import type { ArtifactState } from '../domain/artifact-state.js';
import { storedBytes } from '../domain/artifact-files.js';
import type { ArtifactId } from '../domain/ids.js';
import { MAX_LINEAGE_NODES } from './lineage-graph.js';

export interface CostItem {
  readonly artifact: ArtifactState;
  /** Bytes of the artifact alone; 0 when its source reported no size (`sizeKnown` false). */
  readonly standaloneBytes: number;
  readonly sizeKnown: boolean;
}

export interface ArtifactCost {
  readonly standaloneBytes: number;
  readonly totalBytes: number;
  /** The artifact first, then each dependency once, nearest first. */
  readonly items: readonly CostItem[];
}

/**
 * Stored size of one artifact: the bytes the registry itself stores for it (its files, each distinct
 * content once) when it has any; otherwise what the source says: a model's weights (one copy, as
 * the size metric counts them; never the Hub's `usedStorage`, which counts every format and
 * revision), a dataset's Hub storage, a GitHub repository's size.
 */
export function standaloneSize(state: ArtifactState): number | undefined {
  if (state.files.length > 0) return storedBytes(state.files);
  const metadata = state.metadata;
  if (!metadata || metadata.source === 'other') return undefined;
  return metadata.sizeBytes;
}

const item = (artifact: ArtifactState): CostItem => {
  const size = standaloneSize(artifact);
  return { artifact, standaloneBytes: size ?? 0, sizeKnown: size !== undefined };
};

/**
 * The artifact's size, and with dependencies the sum over everything it links to (datasets, code,
 * lineage parents) transitively, each counted once however many paths reach it: a diamond's shared
 * ancestor is paid for once, and a cycle ends where it meets a visited artifact. One batched load
 * per level.
 */
export async function artifactCost(
  start: ArtifactState,
  includeDependencies: boolean,
  states: (ids: readonly ArtifactId[]) => Promise<(ArtifactState | undefined)[]>,
): Promise<ArtifactCost> {
  const visited = new Map<ArtifactId, CostItem>([[start.id, item(start)]]);
  let frontier: ArtifactState[] = includeDependencies ? [start] : [];
  while (frontier.length > 0 && visited.size < MAX_LINEAGE_NODES) {
    const next = [...new Set(frontier.flatMap((state) => (state.links ?? []).map((link) => link.targetId)))].filter((id) => !visited.has(id));
    if (next.length === 0) break;
    const loaded = await states(next.slice(0, MAX_LINEAGE_NODES - visited.size));
    frontier = [];
    for (const state of loaded) {
      if (!state || visited.has(state.id)) continue;
      visited.set(state.id, item(state));
      frontier.push(state);
    }
  }
  const items = [...visited.values()];
  const own = items[0]!.standaloneBytes;
  return { standaloneBytes: own, totalBytes: items.reduce((sum, i) => sum + i.standaloneBytes, 0), items };
}
