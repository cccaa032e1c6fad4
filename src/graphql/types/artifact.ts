import { ARTIFACT_TYPES } from '../../domain/artifact-type.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import { positionsAfter } from '../../domain/history.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { TYPENAME_BY_ARTIFACT_TYPE } from '../global-id.js';
import { session } from '../session.js';
import { forwardConnectionArgs, forwardPageInfo, historyCursor, parseHistoryCursor } from '../connection-args.js';
import { RatingRef } from './rating.js';
import { ArtifactEventTypeEnum, eventTypesOf, HistoryConnection } from './history.js';

/**
 * Reading an artifact needs SEARCH wherever it appears: under the `artifact` query, and also in a
 * mutation payload, a lineage edge or a cost item. Without this an UPLOAD-only user would read any
 * artifact, its README and history through an `updateArtifact` that changes nothing. Exempt (the
 * fields a writer needs to go on, and nothing its global id does not already say): `id`, `type`,
 * `version`.
 */
const ARTIFACT_DATA_SCOPES = { permission: 'SEARCH' } as const;

const ARTIFACT_TYPE_DESCRIPTIONS = {
  MODEL: 'A machine-learning model: a Hugging Face model (read from the Hub, rated, gated) or a model on another host. GraphQL type `Model`.',
  DATASET: 'A dataset: on the Hugging Face Hub, in a GitHub repository, or on another host (e.g. Kaggle). GraphQL type `Dataset`.',
  CODE: 'A code repository, usually on GitHub. GraphQL type `Code`.',
} as const satisfies Record<(typeof ARTIFACT_TYPES)[number], string>;

export const ArtifactTypeEnum = builder.enumType('ArtifactType', {
  description: 'What kind of artifact: each has its own object type implementing `Artifact`.',
  values: Object.fromEntries(ARTIFACT_TYPES.map((type) => [type, { description: ARTIFACT_TYPE_DESCRIPTIONS[type] }])) as Record<
    (typeof ARTIFACT_TYPES)[number],
    { description: string }
  >,
});

export const ArtifactInterface = builder.interfaceRef<ArtifactState>('Artifact').implement({
  description:
    'A model, dataset or code repository registered by URL, with its source metadata, files and history. Reading any field but `id`, `type` and `version` needs SEARCH, wherever the artifact appears.',
  interfaces: [builder.nodeInterfaceRef()],
  authScopes: ARTIFACT_DATA_SCOPES,
  resolveType: (artifact) => TYPENAME_BY_ARTIFACT_TYPE[artifact.type],
  fields: (t) => ({
    type: t.field({ type: ArtifactTypeEnum, skipTypeScopes: true, description: 'MODEL, DATASET or CODE; fixed at registration. Readable without SEARCH.', resolve: (artifact) => artifact.type }),
    name: t.exposeString('name', {
      description: 'As the client gave it (else the repository name from the URL): case-sensitive, not unique, 1 to 256 characters, never `*`.',
    }),
    url: t.exposeString('url', {
      description: 'The source URL, normalized (lower-case host, no trailing slash, no `.git`, no `/tree/main`); unique among live artifacts.',
    }),
    version: t.exposeInt('version', {
      skipTypeScopes: true,
      description: 'Event-stream version, 1 at registration and one more per change (downloads and alias moves do not count); pass it as expectedVersion to change the artifact. Readable without SEARCH.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the artifact was registered.', resolve: (artifact) => artifact.createdAt }),
    updatedAt: t.field({ type: 'DateTime', description: 'When its latest change (rename, URL change, rating, link, file, mirror progress) was committed; createdAt until the first one. Downloads and alias moves leave it.', resolve: (artifact) => artifact.updatedAt }),
    readme: t.string({
      nullable: true,
      description: 'README text read from the source at ingest or at the last URL change (at most 100 KB); null when the source has none or cannot be read.',
      // Only artifacts that stored one cost a read, and those of one request share a BatchGet.
      resolve: async (artifact, _args, ctx) => (artifact.metadata?.readme.status === 'present' ? ((await session(ctx).queries.readmeOf(artifact)) ?? null) : null),
    }),
    history: t.field({
      type: HistoryConnection,
      description:
        'Every change and every download, oldest first; optionally only some types, within a time range. Under `artifact(id, asOf)` it ends at that instant. Who downloaded is shown to ADMIN only.',
      args: {
        ...forwardConnectionArgs(t.arg),
        types: t.arg({ type: [ArtifactEventTypeEnum], required: false, description: 'Only entries of these types (all when absent or empty).' }),
        from: t.arg({ type: 'DateTime', required: false, description: 'Only entries at or after this instant.' }),
        to: t.arg({ type: 'DateTime', required: false, description: 'Only entries at or before this instant.' }),
      },
      resolve: async (artifact, args, ctx) => {
        const after = unwrap(parseHistoryCursor(artifact.id, args.after));
        const filter = { ...(args.types && { types: eventTypesOf(args.types) }), ...(args.from != null && { from: args.from }), ...(args.to != null && { to: args.to }) };
        const page = unwrap(await session(ctx).queries.historyOf(artifact, args.first, after, filter));
        const positions = positionsAfter(page.events, after);
        const edges = page.events.map((entry, i) => ({ node: entry, cursor: historyCursor(artifact.id, positions[i]!) }));
        return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
      },
    }),
  }),
});

/** The object type of each artifact type, for fields other modules add (lineage, links, cost). */
export const ARTIFACT_REFS = Object.fromEntries(ARTIFACT_TYPES.map((type) => [type, builder.objectRef<ArtifactState>(TYPENAME_BY_ARTIFACT_TYPE[type])])) as Record<
  (typeof ARTIFACT_TYPES)[number],
  ReturnType<typeof builder.objectRef<ArtifactState>>
>;

for (const type of ARTIFACT_TYPES) {
  const ref = ARTIFACT_REFS[type];
  builder.node(ref, {
    description: `An artifact of type ${type}. ${ARTIFACT_TYPE_DESCRIPTIONS[type]}`,
    interfaces: [ArtifactInterface],
    authScopes: ARTIFACT_DATA_SCOPES,
    isTypeOf: (value) => typeof value === "object" && value !== null && (value as ArtifactState).type === type,
    id: {
      resolve: (artifact) => artifact.id,
      skipTypeScopes: true,
      skipInterfaceScopes: true,
      description: `Relay global id: base64 of \`${TYPENAME_BY_ARTIFACT_TYPE[type]}:<ULID>\`. Pass it to artifact(id), node(id) and mutations; readable without SEARCH.`,
    },
    loadMany: async (ids, ctx) => {
      const states = await session(ctx).queries.getMany(ids.map((id) => id as ArtifactState['id']));
      return states.map((state) => (state?.type === type ? state : null));
    },
    fields: (t): Record<string, ReturnType<typeof t.field>> =>
      type === 'MODEL'
        ? {
            rating: t.field({
              type: RatingRef,
              nullable: true,
              description: 'The stored rating (rateModel refreshes it). Null for models from sources the registry cannot read, and for models registered before rating existed.',
              resolve: (artifact) => artifact.rating ?? null,
            }),
          }
        : {},
  });
}
