import type { ArtifactCost, CostItem } from '../../application/artifact-cost.js';
import { MAX_LINEAGE_NODES } from '../../application/lineage-graph.js';
import { builder } from '../builder.js';
import { session } from '../session.js';
import { ArtifactInterface } from './artifact.js';

const CostItemRef = builder.objectRef<CostItem>('CostItem').implement({
  description: 'One artifact counted in a cost, with its own size.',
  fields: (t) => ({
    artifact: t.field({ type: ArtifactInterface, description: 'The artifact counted.', resolve: (item) => item.artifact }),
    standaloneBytes: t.field({
      type: 'Bytes',
      description: "Bytes of this artifact alone: the files the registry stores for it (each distinct content once) when it has any, else the size its source reports (a model's weights, a dataset's Hub storage, a repository's size); 0 when unknown.",
      resolve: (item) => item.standaloneBytes,
    }),
    sizeKnown: t.exposeBoolean('sizeKnown', { description: 'False when the source reported no size (non-API hosts); standaloneBytes is then 0.' }),
  }),
});

const CostRef = builder.objectRef<ArtifactCost>('Cost').implement({
  description: 'Download size in bytes (the REST API shows it in MB), from stored files or the sizes the sources reported at ingest.',
  fields: (t) => ({
    standaloneBytes: t.field({ type: 'Bytes', description: 'Bytes of the artifact alone (its first item).', resolve: (cost) => cost.standaloneBytes }),
    totalBytes: t.field({
      type: 'Bytes',
      description: 'The artifact plus every dependency, each counted once; equals standaloneBytes without includeDependencies.',
      resolve: (cost) => cost.totalBytes,
    }),
    items: t.field({
      type: [CostItemRef],
      description: `The artifact first, then each dependency once, nearest first; at most ${MAX_LINEAGE_NODES} artifacts.`,
      resolve: (cost) => [...cost.items],
    }),
  }),
});

// On the interface, so every artifact type has it and clients need no type condition.
builder.interfaceFields(ArtifactInterface, (t) => ({
  cost: t.field({
    type: CostRef,
    description: 'Size of the artifact; with includeDependencies, also its linked datasets and code and its lineage ancestors, transitively, each once (cycles end where they meet a counted artifact).',
    args: {
      includeDependencies: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: "Also count what the artifact links to (a model's datasets, code and lineage parents), and what those link to, each once.",
      }),
    },
    resolve: (artifact, args, ctx) => session(ctx).queries.cost(artifact, args.includeDependencies ?? false),
  }),
}));
