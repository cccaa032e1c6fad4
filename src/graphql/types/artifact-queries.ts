import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { parseArtifactRef } from '../global-id.js';
import type { GraphQLContext } from '../context.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import { forwardConnectionArgs, forwardPageInfo } from '../connection-args.js';
import { session } from '../session.js';
import { ArtifactInterface, ArtifactTypeEnum } from './artifact.js';

const ArtifactFilter = builder.inputType('ArtifactFilter', {
  description: 'Which live artifacts `artifacts` lists. Fields combine with AND; `name` and `normalizedName` exclude each other (both: BAD_USER_INPUT).',
  fields: (t) => ({
    types: t.field({ type: [ArtifactTypeEnum], required: false, description: 'Only artifacts of these types (all when absent or empty).' }),
    name: t.string({ required: false, description: 'Exact, case-sensitive name, 1 to 256 characters.' }),
    normalizedName: t.string({
      required: false,
      description: 'Name compared with Unicode compatibility forms and case folded and whitespace, `_`, `-` and `.` removed: "BERT base" finds "bert-base". At most 256 characters.',
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

const ArtifactConnection = builder.connectionObject(
  { type: ArtifactInterface, name: 'ArtifactConnection', description: 'A page of live artifacts, oldest first (registration order).' },
  { name: 'ArtifactEdge', description: 'One artifact of the page, with its cursor.' },
);

builder.queryFields((t) => ({
  artifact: t.field({
    type: ArtifactInterface,
    nullable: true,
    description:
      "The artifact with this id; null when absent, deleted, or not of the id's type. With `asOf`, the artifact as it was at that instant, folded from its events up to then (name, URL, rating, files, links, README as stored then); null when it did not exist or was deleted by then. Needs SEARCH.",
    authScopes: { permission: 'SEARCH' },
    args: {
      id: t.arg.id({ required: true, description: "The artifact's global id (`Artifact.id`). A string that is no artifact id is BAD_USER_INPUT." }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'A past instant: read the artifact as it was then (absent: now).' }),
    },
    resolve: (_root, args, ctx) => artifactByGlobalId(ctx, String(args.id), args.asOf),
  }),
  // Pothos' own node field decodes any typename and fails on those that are not nodes; every node is an artifact.
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: "The node with this id (Relay's refetch field: every node is an artifact, so it answers as `artifact(id)`); null when absent, deleted, or not of the id's type. Needs SEARCH.",
    authScopes: { permission: 'SEARCH' },
    args: { id: t.arg.id({ required: true, description: 'A global id. A string that is no artifact id is BAD_USER_INPUT.' }) },
    resolve: (_root, args, ctx) => artifactByGlobalId(ctx, String(args.id)),
  }),
  artifactByUrl: t.field({
    type: ArtifactInterface,
    nullable: true,
    description:
      'The live artifact registered under this URL (any spelling that normalizes to it). With `asOf`, the artifact that held this URL live at that instant, as it was then. Null when none. Needs SEARCH.',
    authScopes: { permission: 'SEARCH' },
    args: {
      url: t.arg.string({
        required: true,
        description: 'Any spelling of the URL: host case, a trailing slash, `.git` and `/tree/main` do not matter. Not a URL, or longer than 2,048 characters: BAD_USER_INPUT.',
      }),
      asOf: t.arg({ type: 'DateTime', required: false, description: 'A past instant: who held the URL then, as it was then (absent: now).' }),
    },
    resolve: async (_root, args, ctx) => {
      const queries = session(ctx).queries;
      return unwrap(args.asOf == null ? await queries.byUrl(args.url) : await queries.byUrlAsOf(args.url, args.asOf)) ?? null;
    },
  }),
  artifacts: t.field({
    type: ArtifactConnection,
    description: 'Live artifacts, oldest first, at most 100 per page. Needs SEARCH.',
    authScopes: { permission: 'SEARCH' },
    args: { filter: t.arg({ type: ArtifactFilter, required: false, description: 'Which artifacts to list (all live ones when absent).' }), ...forwardConnectionArgs(t.arg) },
    resolve: async (_root, args, ctx) => {
      const page = unwrap(await session(ctx).queries.list(args.filter ?? {}, args.first, args.after));
      const edges = page.items.map(({ state, cursor }) => ({ node: state, cursor }));
      return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
    },
  }),
}));
