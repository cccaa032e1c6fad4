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

export const ArtifactTypeEnum = builder.enumType('ArtifactType', {
  values: ARTIFACT_TYPES,
});

export const ArtifactInterface = builder.interfaceRef<ArtifactState>('Artifact').implement({
  description: 'A model, dataset or code repository registered by URL.',
  interfaces: [builder.nodeInterfaceRef()],
  authScopes: ARTIFACT_DATA_SCOPES,
  resolveType: (artifact) => TYPENAME_BY_ARTIFACT_TYPE[artifact.type],
  fields: (t) => ({
    type: t.field({ type: ArtifactTypeEnum, skipTypeScopes: true, resolve: (artifact) => artifact.type }),
    name: t.exposeString('name', { description: 'As the client gave it: case-sensitive, not unique.' }),
    url: t.exposeString('url', { description: 'Normalized URL; unique among live artifacts.' }),
    version: t.exposeInt('version', { skipTypeScopes: true, description: 'Event-stream version; pass it as expectedVersion to change the artifact.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (artifact) => artifact.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (artifact) => artifact.updatedAt }),
    readme: t.string({
      nullable: true,
      description: 'README text from the source at ingest (at most 100 KB); null when the source has none or cannot be read.',
      // Only artifacts that stored one cost a read, and those of one request share a BatchGet.
      resolve: async (artifact, _args, ctx) => (artifact.metadata?.readme.status === 'present' ? ((await session(ctx).queries.readmeOf(artifact)) ?? null) : null),
    }),
    history: t.field({
      type: HistoryConnection,
      description: 'Every change and every download, oldest first; optionally only some types, within a time range. Under `artifact(id, asOf)` it ends at that instant.',
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
    description: `An artifact of type ${type}.`,
    interfaces: [ArtifactInterface],
    authScopes: ARTIFACT_DATA_SCOPES,
    isTypeOf: (value) => typeof value === "object" && value !== null && (value as ArtifactState).type === type,
    id: { resolve: (artifact) => artifact.id, skipTypeScopes: true, skipInterfaceScopes: true },
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
