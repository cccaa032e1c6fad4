import type { ArtifactState } from '../../domain/artifact-state.js';
import { MAX_LINEAGE_NODES, type LineageEdge, type LineageGraph } from '../../application/lineage-graph.js';
import { builder } from '../builder.js';
import { session } from '../session.js';
import { ARTIFACT_REFS, ArtifactInterface } from './artifact.js';

type ResolvedEdge = LineageEdge & { readonly parent: ArtifactState; readonly child: ArtifactState };
type ResolvedGraph = Omit<LineageGraph, 'edges'> & { readonly edges: readonly ResolvedEdge[] };

const LineageEdgeRef = builder.objectRef<ResolvedEdge>('LineageEdge').implement({
  description: 'A parent/child relation between two registered models.',
  fields: (t) => ({
    parent: t.field({ type: ArtifactInterface, description: 'The model the child was derived from.', resolve: (edge) => edge.parent }),
    child: t.field({ type: ArtifactInterface, description: 'The model that declares the parent.', resolve: (edge) => edge.child }),
    relationship: t.exposeString('relationship', {
      description: 'One of finetune, quantized, adapter, merge (from base_model:<relationship>: tags), or base when the card only names the parent.',
    }),
    source: t.exposeString('source', { description: 'Where the child declared it: card (base_model) or tag.' }),
  }),
});

const LineageRef = builder.objectRef<ResolvedGraph>('Lineage').implement({
  description: 'The connected lineage graph of a model: every member of it gets the same graph.',
  fields: (t) => ({
    nodes: t.field({
      type: [ArtifactInterface],
      description: `The registered models of the graph, the queried one included; at most ${MAX_LINEAGE_NODES} (see truncated).`,
      resolve: (graph) => [...graph.nodes],
    }),
    edges: t.field({ type: [LineageEdgeRef], description: 'Parent/child relations among the nodes.', resolve: (graph) => [...graph.edges] }),
    unresolvedParents: t.stringList({
      description: 'Parents the graph\'s models declare (Hub ids) that are not registered; they become nodes when registered.',
      resolve: (graph) => [...graph.unresolvedParents],
    }),
    truncated: t.exposeBoolean('truncated', { description: `True when the graph has more than ${MAX_LINEAGE_NODES} models and only the nearest were returned.` }),
  }),
});

builder.objectFields(ARTIFACT_REFS.MODEL, (t) => ({
  lineage: t.field({
    type: LineageRef,
    description: 'Registered ancestors and descendants (from base_model in the card and base_model: tags), and declared parents not registered.',
    resolve: async (model, _args, ctx) => {
      const graph = await session(ctx).queries.lineage(model);
      const byId = new Map(graph.nodes.map((node) => [node.id, node]));
      const edges = graph.edges.flatMap((edge) => {
        const parent = byId.get(edge.parentId);
        const child = byId.get(edge.childId);
        return parent && child ? [{ ...edge, parent, child }] : [];
      });
      return { ...graph, edges };
    },
  }),
  datasets: t.field({
    type: [ArtifactInterface],
    description: 'Registered datasets the model declares (card datasets, dataset: tags; at most 50), linked at ingest or when the dataset is registered later.',
    resolve: (model, _args, ctx) => session(ctx).queries.linked(model, 'dataset'),
  }),
  code: t.field({
    type: [ArtifactInterface],
    description: 'The registered code repository the model card links to (its GitHub link): at most one.',
    resolve: (model, _args, ctx) => session(ctx).queries.linked(model, 'code'),
  }),
}));
