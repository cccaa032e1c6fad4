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
async function artifactByGlobalId(ctx: GraphQLContext, rawId: string, asOf?: string | null): Promise<ArtifactState | null> {
  const ref = unwrap(parseArtifactRef(rawId));
  const queries = session(ctx).queries;
  const state = asOf == null ? await queries.get(ref.id) : unwrap(await queries.getAsOf(ref.id, asOf));
  return state?.type === ref.type ? state : null;
}

const ArtifactConnection = builder.connectionObject({ type: ArtifactInterface, name: 'ArtifactConnection' }, { name: 'ArtifactEdge' });

builder.queryFields((t) => ({
  artifact: t.field({
    type: ArtifactInterface,
    nullable: true,
    description:
      "The artifact with this id; null when absent, deleted, or not of the id's type. With `asOf`, the artifact as it was at that instant, folded from its events up to then (name, URL, rating, files, links, README as stored then); null when it did not exist or was deleted by then.",
    authScopes: { permission: 'SEARCH' },
    args: { id: t.arg.id({ required: true }), asOf: t.arg({ type: 'DateTime', required: false, description: 'A past instant: read the artifact as it was then.' }) },
    resolve: (_root, args, ctx) => artifactByGlobalId(ctx, String(args.id), args.asOf),
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
    description:
      'The live artifact registered under this URL (any spelling that normalizes to it). With `asOf`, the artifact that held this URL live at that instant, as it was then.',
    authScopes: { permission: 'SEARCH' },
    args: { url: t.arg.string({ required: true }), asOf: t.arg({ type: 'DateTime', required: false, description: 'A past instant: who held the URL then, as it was then.' }) },
    resolve: async (_root, args, ctx) => {
      const queries = session(ctx).queries;
      return unwrap(args.asOf == null ? await queries.byUrl(args.url) : await queries.byUrlAsOf(args.url, args.asOf)) ?? null;
    },
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
