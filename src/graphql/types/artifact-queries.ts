import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import type { GraphQLContext } from '../context.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import { forwardConnectionArgs, forwardPageInfo } from '../connection-args.js';
import { session } from '../session.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';

const ArtifactFilter = builder.inputType('ArtifactFilter', {
  fields: (t) => ({
    types: t.field({ type: [ArtifactTypeEnum], required: false, description: 'Only these types (all when absent).' }),
    name: t.string({ required: false, description: 'Exact, case-sensitive name.' }),
    normalizedName: t.string({
      required: false,
      description: 'Name with case, whitespace, `_`, `-` and `.` folded: "BERT base" finds "bert-base".',
    }),
  }),
});

/**
 * `artifact(id)` and `node(id)` answer alike: a string that is no artifact id is BAD_USER_INPUT; an
 * id of an artifact that does not exist, is deleted, or is of another type than the id says is null.
 */
async function artifactByGlobalId(ctx: GraphQLContext, rawId: string): Promise<ArtifactState | null> {
  const ref = unwrap(parseArtifactRef(rawId));
  const state = await session(ctx).queries.get(ref.id);
  return state?.type === ref.type ? state : null;
}

const ArtifactConnection = builder.connectionObject({ type: ArtifactInterface, name: 'ArtifactConnection' }, { name: 'ArtifactEdge' });

builder.queryFields((t) => ({
  artifact: t.field({
    type: ArtifactInterface,
    nullable: true,
    description: "The artifact with this id; null when absent, deleted, or not of the id's type.",
    authScopes: { permission: 'SEARCH' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => artifactByGlobalId(ctx, String(args.id)),
  }),
  // Pothos' own node field decodes any typename and fails on those that are not nodes; every node is an artifact.
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "The node with this id; null when absent, deleted, or not of the id's type.",
    authScopes: { permission: 'SEARCH' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => artifactByGlobalId(ctx, String(args.id)),
  }),
  artifactByUrl: t.field({
    type: ArtifactInterface,
    nullable: true,
    description: 'The live artifact registered under this URL (any spelling that normalizes to it).',
    authScopes: { permission: 'SEARCH' },
    args: { url: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => unwrap(await session(ctx).queries.byUrl(args.url)) ?? null,
  }),
  artifacts: t.field({
    type: ArtifactConnection,
    description: 'Live artifacts, oldest first, at most 100 per page.',
    authScopes: { permission: 'SEARCH' },
    args: { filter: t.arg({ type: ArtifactFilter, required: false }), ...forwardConnectionArgs(t.arg) },
    resolve: async (_root, args, ctx) => {
      const page = unwrap(await session(ctx).queries.list(args.filter ?? {}, args.first, args.after));
      const edges = page.items.map(({ state, cursor }) => ({ node: state, cursor }));
      return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
    },
  }),
}));
