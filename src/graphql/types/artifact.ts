import { ARTIFACT_TYPES } from '../../domain/artifact-type.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import type { ArtifactEvent, ArtifactEventType } from '../../domain/artifact-events.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { TYPENAME_BY_ARTIFACT_TYPE } from '../global-id.js';
import { artifactGlobalId } from '../../domain/global-id.js';
import { TARGET_TYPE } from '../../domain/artifact-links.js';
import { session } from '../session.js';
import { forwardConnectionArgs, forwardPageInfo, historyCursor, parseHistoryCursor } from '../connection-args.js';
import { RatingRef } from './rating.js';

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

/** Refusals live in streams of their own and never appear in an artifact's history. */
type HistoryEventType = Exclude<ArtifactEventType, 'IngestRefused'>;

const EVENT_TYPE_NAMES = {
  ArtifactRegistered: 'REGISTERED',
  ArtifactUpdated: 'UPDATED',
  ArtifactDeleted: 'DELETED',
  ModelRated: 'RATED',
  FileAdded: 'FILE_ADDED',
  FileDownloaded: 'FILE_DOWNLOADED',
  MirrorStatusChanged: 'MIRROR_STATUS_CHANGED',
  ArtifactLinked: 'LINKED',
} as const satisfies Record<HistoryEventType, string>;

function historyType(event: ArtifactEvent): (typeof EVENT_TYPE_NAMES)[HistoryEventType] {
  if (event.type === 'IngestRefused') throw new Error(`artifact ${event.artifactId}: a refused ingest has no history entry`);
  return EVENT_TYPE_NAMES[event.type];
}

/**
 * The change as JSON. Registration and rating events carry whole ratings and READMEs; history shows
 * what changed in brief (the full rating is `Model.rating`, the README `readme`).
 */
function changes(event: ArtifactEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ArtifactRegistered': {
      const { readme: _readme, rating, metadata, ...rest } = event.payload;
      return {
        ...rest,
        ...(metadata && { source: metadata.source }),
        ...(rating && { netScore: rating.netScore.value, ratedAt: rating.ratedAt }),
      };
    }
    case 'ArtifactUpdated': {
      // A URL change carries what its source said: in brief, like a registration.
      const { reading, ...rest } = event.payload;
      if (!reading) return rest;
      const { metadata, rating } = reading;
      return { ...rest, source: metadata.source, ...(rating && { netScore: rating.netScore.value, ratedAt: rating.ratedAt }) };
    }
    case 'ModelRated':
      return { netScore: event.payload.rating.netScore.value, ratedAt: event.payload.rating.ratedAt };
    case 'ArtifactLinked':
      // A link's kind fixes its target's type, so the target is printed as the global id the API accepts.
      return {
        links: event.payload.links.map(({ kind, targetId, relationship, reference }) => ({
          kind,
          targetId: artifactGlobalId({ type: TARGET_TYPE[kind], id: targetId }),
          relationship,
          reference,
        })),
      };
    default:
      return { ...event.payload };
  }
}

export const ArtifactEventTypeEnum = builder.enumType('ArtifactEventType', {
  description: 'What a history entry changed.',
  values: Object.values(EVENT_TYPE_NAMES),
});

export const HistoryEntry = builder.objectRef<ArtifactEvent>('HistoryEntry').implement({
  description: 'One committed change of an artifact. History is append-only and never rewritten.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Stream version this change created (1 = registration).' }),
    type: t.field({ type: ArtifactEventTypeEnum, resolve: historyType }),
    at: t.field({ type: 'DateTime', resolve: (event) => event.at }),
    actor: t.string({
      nullable: true,
      description: 'Who made the change. Who downloaded what is for admins: on FILE_DOWNLOADED entries it is null for everyone else.',
      authScopes: (event) => (event.type === 'FileDownloaded' ? { permission: 'ADMIN' } : true),
      // Null rather than an error: a history page holds many downloads, and reading it is allowed.
      unauthorizedResolver: () => null,
      resolve: (event) => event.actor,
    }),
    changes: t.string({
      description: 'The change itself, as JSON (e.g. the new name; for a rating, its net score).',
      resolve: (event) => JSON.stringify(changes(event)),
    }),
  }),
});

const HistoryConnection = builder.connectionObject({ type: HistoryEntry, name: 'HistoryConnection' }, { name: 'HistoryEdge' });

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
      resolve: async (artifact, _args, ctx) => (artifact.metadata?.readme.status === 'present' ? ((await session(ctx).queries.readme(artifact.id)) ?? null) : null),
    }),
    history: t.field({
      type: HistoryConnection,
      description: 'Every change, oldest first.',
      args: forwardConnectionArgs(t.arg),
      resolve: async (artifact, args, ctx) => {
        const after = unwrap(parseHistoryCursor(artifact.id, args.after));
        const page = unwrap(await session(ctx).queries.history(artifact.id, args.first, after));
        const edges = page.events.map((event) => ({ node: event, cursor: historyCursor(artifact.id, event.version) }));
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
