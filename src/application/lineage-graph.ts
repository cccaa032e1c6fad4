import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactId } from '../domain/ids.js';

/** Traversal stops after this many nodes: a lineage query must have a bounded cost. */
export const MAX_LINEAGE_NODES = 200;

export interface LineageEdge {
  readonly parentId: ArtifactId;
  readonly childId: ArtifactId;
  readonly relationship: string;
  readonly source: string;
}

export interface LineageGraph {
  readonly nodes: readonly ArtifactState[];
  readonly edges: readonly LineageEdge[];
  /** Parents the graph's models declare that are not registered (Hub ids). */
  readonly unresolvedParents: readonly string[];
  /** True when the traversal stopped at MAX_LINEAGE_NODES. */
  readonly truncated: boolean;
}

/** Batched reads the traversal needs: each call is one level, answered by one batch per loader. */
export interface LineageReads {
  states(ids: readonly ArtifactId[]): Promise<(ArtifactState | undefined)[]>;
  children(ids: readonly ArtifactId[]): Promise<ArtifactId[][]>;
}

/**
 * Breadth-first over parent links (in the child's state) and the reverse index (children), both
 * ways, so every member of a connected lineage gets the same graph. Each level costs one batch of
 * projections and one batch of child sets. Cycle-safe: a node is visited once.
 */
export async function lineageGraph(start: ArtifactState, reads: LineageReads): Promise<LineageGraph> {
  const nodes = new Map<ArtifactId, ArtifactState>([[start.id, start]]);
  const edges = new Map<string, LineageEdge>();
  let frontier: ArtifactState[] = [start];
  let truncated = false;
  while (frontier.length > 0) {
    const childLists = await reads.children(frontier.map((node) => node.id));
    const next = new Set<ArtifactId>();
    frontier.forEach((node, i) => {
      for (const link of node.links ?? []) if (link.kind === 'parent' && !nodes.has(link.targetId)) next.add(link.targetId);
      for (const childId of childLists[i]!) if (!nodes.has(childId)) next.add(childId);
    });
    const ids = [...next];
    if (nodes.size + ids.length > MAX_LINEAGE_NODES) {
      truncated = true;
      ids.length = Math.max(0, MAX_LINEAGE_NODES - nodes.size);
    }
    const states = await reads.states(ids);
    frontier = [];
    for (const state of states) {
      if (!state || state.deleted || nodes.has(state.id)) continue;
      nodes.set(state.id, state);
      frontier.push(state);
    }
    if (truncated) break;
  }
  // Edges come only from the children's committed links: a reverse-index entry whose link never
  // committed (a crashed writer) names no edge.
  for (const child of nodes.values()) {
    for (const link of child.links ?? []) {
      if (link.kind !== 'parent' || !nodes.has(link.targetId)) continue;
      edges.set(`${link.targetId}>${child.id}`, { parentId: link.targetId, childId: child.id, relationship: link.relationship, source: link.source });
    }
  }
  const unresolved = new Set<string>();
  for (const node of nodes.values()) {
    if (node.metadata?.source !== 'huggingface-model') continue;
    // A link to a parent that was deleted since resolves nothing: the parent is absent again.
    const resolved = new Set((node.links ?? []).filter((link) => link.kind === 'parent' && nodes.has(link.targetId)).map((link) => link.reference.toLowerCase()));
    for (const parent of node.metadata.baseModels) if (!resolved.has(parent.toLowerCase())) unresolved.add(parent);
  }
  const ordered = [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nodes: ordered, edges: [...edges.values()], unresolvedParents: [...unresolved].sort(), truncated };
}
