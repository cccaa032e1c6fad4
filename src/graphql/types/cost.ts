import type { ArtifactCost, CostItem } from '../../application/artifact-cost.js';
import { builder } from '../builder.js';
import { session } from '../session.js';
import { ArtifactInterface } from './artifact.js';

const CostItemRef = builder.objectRef<CostItem>('CostItem').implement({
  fields: (t) => ({
    artifact: t.field({ type: ArtifactInterface, resolve: (item) => item.artifact }),
    standaloneBytes: t.field({ type: 'Bytes', description: 'Stored size of this artifact alone; 0 when unknown.', resolve: (item) => item.standaloneBytes }),
    sizeKnown: t.exposeBoolean('sizeKnown', { description: 'False when the source reported no size (non-API hosts); standaloneBytes is then 0.' }),
  }),
});

const CostRef = builder.objectRef<ArtifactCost>('Cost').implement({
  description: 'Download size in bytes, from the sizes stored at ingest.',
  fields: (t) => ({
    standaloneBytes: t.field({ type: 'Bytes', resolve: (cost) => cost.standaloneBytes }),
    totalBytes: t.field({ type: 'Bytes', description: 'The artifact plus every dependency, each counted once.', resolve: (cost) => cost.totalBytes }),
    items: t.field({ type: [CostItemRef], description: 'The artifact first, then its dependencies.', resolve: (cost) => [...cost.items] }),
  }),
});

// On the interface, so every artifact type has it and clients need no type condition.
builder.interfaceFields(ArtifactInterface, (t) => ({
  cost: t.field({
    type: CostRef,
    description: 'Size of the artifact; with includeDependencies, also its linked datasets and code and its lineage ancestors, transitively, each once.',
    args: { includeDependencies: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (artifact, args, ctx) => session(ctx).queries.cost(artifact, args.includeDependencies ?? false),
  }),
}));
