import type { ArtifactState } from '../domain/artifact-state.js';
import type { LineageGraph } from '../application/lineage-graph.js';

/** Link relationships as the contract's clients name them (`base_model`, ...). */
const RELATIONSHIPS: Readonly<Record<string, string>> = { base: 'base_model', finetune: 'fine_tune' };
/** Where a parent was declared, in the contract's snake_case (`config_json` in its example). */
const SOURCES: Readonly<Record<string, string>> = { card: 'model_card', tag: 'hub_tag', 'card-link': 'model_card' };

const relationshipOf = (relationship: string) => RELATIONSHIPS[relationship] ?? relationship;
const sourceOf = (source: string) => SOURCES[source] ?? source.replace(/-/g, '_');

/**
 * ArtifactLineageGraph. Each node's `source` is how the registry knows it: the queried model is
 * `registry`; another node, the declaration of the edge that brought it in. The document's node
 * schema requires a property `node` it does not define: it repeats `artifact_id`.
 */
export function lineageView(model: ArtifactState, graph: LineageGraph) {
  const declaredBy = new Map<string, string>();
  for (const edge of graph.edges) {
    if (!declaredBy.has(edge.parentId)) declaredBy.set(edge.parentId, sourceOf(edge.source));
    if (!declaredBy.has(edge.childId)) declaredBy.set(edge.childId, sourceOf(edge.source));
  }
  return {
    nodes: graph.nodes.map((node) => ({
      artifact_id: node.id,
      node: node.id,
      name: node.name,
      source: node.id === model.id ? 'registry' : (declaredBy.get(node.id) ?? 'registry'),
    })),
    edges: graph.edges.map((edge) => ({ from_node_artifact_id: edge.parentId, to_node_artifact_id: edge.childId, relationship: relationshipOf(edge.relationship) })),
  };
}
