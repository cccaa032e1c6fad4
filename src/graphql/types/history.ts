import type { HistoryEntryType, HistoryItem } from '../../domain/history.js';
import type { ArtifactLink } from '../../domain/artifact-links.js';
import { TARGET_TYPE } from '../../domain/artifact-links.js';
import { artifactGlobalId } from '../../domain/global-id.js';
import { builder } from '../builder.js';
import { session } from '../session.js';
// Used inside a field thunk only (evaluated when the schema is built), so this circular import is safe.
import { ArtifactTypeEnum } from './artifact.js';
import { MirrorStatusRef } from './mirror-status.js';
import { EVENT_TYPE_BY_NAME, EVENT_TYPE_NAMES, type EventTypeName } from '../../domain/event-names.js';

/** The domain entry types a filter of enum values names. */
export const eventTypesOf = (names: readonly EventTypeName[]): HistoryEntryType[] => names.map((name) => EVENT_TYPE_BY_NAME[name]);

const EVENT_TYPE_DESCRIPTIONS = {
  REGISTERED: 'The artifact was registered (ingestArtifact): version 1. Change type RegisteredChange.',
  UPDATED: 'The artifact was renamed and/or pointed at another URL (updateArtifact). Change type UpdatedChange.',
  DELETED: 'The artifact was deleted (deleteArtifact). Change type DeletedChange.',
  RATED: 'A model was rated again (rateModel, or after a late link). Change type RatedChange.',
  FILE_ADDED: 'A file was stored (completeUpload, uploadFile, mirrorArtifactFiles). Change type FileAddedChange.',
  FILE_DOWNLOADED: "A download URL was issued; the artifact's version does not change. Change type DownloadedChange; the actor is shown to ADMIN only.",
  MIRROR_STATUS_CHANGED: 'A mirror from the Hub started, progressed, completed or failed. Change type MirrorStatusChange.',
  LINKED: "A model's declared references (parents, datasets, code) were resolved to registered artifacts. Change type LinkedChange.",
  ALIAS_MOVED: "An alias was set onto or moved off the artifact; the entry's version is the alias's. Change type AliasMovedChange.",
} as const satisfies Record<EventTypeName, string>;

export const ArtifactEventTypeEnum = builder.enumType('ArtifactEventType', {
  description: 'What a history entry changed: one value per kind of change, each with its own HistoryChange type.',
  values: Object.fromEntries(Object.values(EVENT_TYPE_NAMES).map((name) => [name, { description: EVENT_TYPE_DESCRIPTIONS[name] }])) as Record<
    EventTypeName,
    { description: string }
  >,
});

type Of<T extends HistoryEntryType> = Extract<HistoryItem, { type: T }>;

/**
 * The change as JSON (deprecated `changes`). Registration and rating events carry whole ratings and
 * READMEs; this shows what changed in brief.
 */
function changesJson(event: HistoryItem): Record<string, unknown> {
  switch (event.type) {
    case 'ArtifactRegistered': {
      const { readme: _readme, rating, metadata, ...rest } = event.payload;
      return { ...rest, ...(metadata && { source: metadata.source }), ...(rating && { netScore: rating.netScore.value, ratedAt: rating.ratedAt }) };
    }
    case 'ArtifactUpdated': {
      const { reading, ...rest } = event.payload;
      if (!reading) return rest;
      const { metadata, rating } = reading;
      return { ...rest, source: metadata.source, ...(rating && { netScore: rating.netScore.value, ratedAt: rating.ratedAt }) };
    }
    case 'ModelRated':
      return { netScore: event.payload.rating.netScore.value, ratedAt: event.payload.rating.ratedAt };
    case 'AliasMoved': {
      const { from, to, ...rest } = event.payload;
      return { ...rest, from: from && artifactGlobalId(from), to: to && artifactGlobalId(to) };
    }
    case 'ArtifactLinked':
      return { links: event.payload.links.map(({ kind, targetId, relationship, reference }) => ({ kind, targetId: linkTargetId({ kind, targetId }), relationship, reference })) };
    default:
      return { ...event.payload };
  }
}

/** A link's kind fixes its target's type, so the target is printed as the global id the API accepts. */
const linkTargetId = (link: Pick<ArtifactLink, 'kind' | 'targetId'>): string => artifactGlobalId({ type: TARGET_TYPE[link.kind], id: link.targetId });

const ValueChangeRef = builder.objectRef<{ from: string | null; to: string }>('ValueChange').implement({
  description: 'A value before and after a change.',
  fields: (t) => ({
    from: t.string({ nullable: true, description: 'The value before the change; null when the history does not hold it.', resolve: (change) => change.from }),
    to: t.exposeString('to', { description: 'The value after the change.' }),
  }),
});

const RegisteredChange = builder.objectRef<Of<'ArtifactRegistered'>>('RegisteredChange').implement({
  description: 'The artifact was registered.',
  fields: (t) => ({
    name: t.string({ description: 'The name it was registered under.', resolve: (e) => e.payload.name }),
    url: t.string({ description: 'The normalized URL it was registered with.', resolve: (e) => e.payload.url }),
    artifactType: t.field({ type: ArtifactTypeEnum, description: 'MODEL, DATASET or CODE.', resolve: (e) => e.payload.artifactType }),
    source: t.string({
      nullable: true,
      description: 'What the registry read the source as: huggingface-model, huggingface-dataset, github, or other (a host it has no API for); null for artifacts registered before sources were recorded.',
      resolve: (e) => e.payload.metadata?.source ?? null,
    }),
    netScore: t.float({ nullable: true, description: "A model's net score at registration.", resolve: (e) => e.payload.rating?.netScore.value ?? null }),
  }),
});

const UpdatedChange = builder.objectRef<Of<'ArtifactUpdated'>>('UpdatedChange').implement({
  description: 'The artifact was renamed and/or pointed at another URL (whose source was read, and for a model rated, with the change).',
  fields: (t) => ({
    name: t.field({
      type: ValueChangeRef,
      nullable: true,
      description: 'Renamed from, to; null when the name did not change.',
      resolve: async (e, _args, ctx) => (e.payload.name === undefined ? null : { from: (await session(ctx).queries.stateBefore(e))?.name ?? null, to: e.payload.name }),
    }),
    url: t.field({
      type: ValueChangeRef,
      nullable: true,
      description: 'URL changed from, to; null when the URL did not change.',
      resolve: async (e, _args, ctx) => (e.payload.url === undefined ? null : { from: (await session(ctx).queries.stateBefore(e))?.url ?? null, to: e.payload.url }),
    }),
    source: t.string({ nullable: true, description: 'When the new URL was read: which API it was read from.', resolve: (e) => e.payload.reading?.metadata.source ?? null }),
    netScore: t.float({ nullable: true, description: "When the new URL was a model that was rated: its net score.", resolve: (e) => e.payload.reading?.rating?.netScore.value ?? null }),
  }),
});

const DeletedChange = builder.objectRef<Of<'ArtifactDeleted'>>('DeletedChange').implement({
  description: 'The artifact was deleted; its history stays.',
  fields: (t) => ({ deleted: t.boolean({ description: 'Always true: the entry itself is the fact (GraphQL objects need a field).', resolve: () => true }) }),
});

const RatedChange = builder.objectRef<Of<'ModelRated'>>('RatedChange').implement({
  description: 'The model was rated again (the full rating is `Model.rating`, or `artifact(id, asOf)` for a past one).',
  fields: (t) => ({
    netScore: t.float({ description: 'The new net score, in [0, 1].', resolve: (e) => e.payload.rating.netScore.value }),
    ratedAt: t.field({ type: 'DateTime', description: 'When the new rating was computed.', resolve: (e) => e.payload.rating.ratedAt }),
  }),
});

const FileAddedChange = builder.objectRef<Of<'FileAdded'>>('FileAddedChange').implement({
  description: 'A file was stored (a path added again replaces the earlier file).',
  fields: (t) => ({
    path: t.string({ description: 'Relative path of the file inside the artifact.', resolve: (e) => e.payload.path }),
    size: t.field({ type: 'Bytes', description: 'Size of the file in bytes.', resolve: (e) => e.payload.size }),
    sha256: t.string({ description: 'Lower-case hex SHA-256 of the content.', resolve: (e) => e.payload.sha256 }),
    contentType: t.string({ description: 'MIME type recorded with the file.', resolve: (e) => e.payload.contentType }),
  }),
});

const DownloadedChange = builder.objectRef<Of<'FileDownloaded'>>('DownloadedChange').implement({
  description: "A download URL was issued, for the artifact's version in the entry's `version`.",
  fields: (t) => ({
    path: t.string({ nullable: true, description: 'The file; null for the zip of all files.', resolve: (e) => e.payload.path }),
  }),
});

const MirrorChange = builder.objectRef<Of<'MirrorStatusChanged'>>('MirrorStatusChange').implement({
  description: 'Progress of a mirror from the Hub.',
  fields: (t) => ({ status: t.field({ type: MirrorStatusRef, description: 'The mirror status this entry recorded.', resolve: (e) => e.payload }) }),
});

const LinkKindRef = builder.enumType('LinkKind', {
  description: 'What a resolved reference of a model points at.',
  values: {
    PARENT: { description: 'A lineage parent (base model) of the model.' },
    DATASET: { description: "A dataset the model's card declares (card datasets or a dataset: tag)." },
    CODE: { description: "The model's code repository." },
  } as const,
});

const HistoryLinkRef = builder.objectRef<ArtifactLink>('HistoryLink').implement({
  description: 'A reference resolved to a registered artifact.',
  fields: (t) => ({
    kind: t.field({ type: LinkKindRef, description: 'Parent, dataset or code.', resolve: (link) => (link.kind === 'parent' ? 'PARENT' : link.kind === 'dataset' ? 'DATASET' : 'CODE') }),
    targetId: t.id({ description: 'The linked artifact (global id).', resolve: linkTargetId }),
    relationship: t.exposeString('relationship', {
      description: 'For a parent: finetune, quantized, adapter, merge, or base when the card only names it; `training` for a dataset; `code` for code.',
    }),
    source: t.exposeString('source', { description: 'Where the model declared it: card (card metadata), tag (a base_model: or dataset: tag) or card-link (a GitHub link in the card).' }),
    reference: t.exposeString('reference', { description: 'The reference as the card or tags declared it.' }),
  }),
});

const LinkedChange = builder.objectRef<Of<'ArtifactLinked'>>('LinkedChange').implement({
  description: 'References of the model were resolved to registered artifacts.',
  fields: (t) => ({
    links: t.field({ type: [HistoryLinkRef], description: 'The references resolved by this change, at most 71 (20 parents, 50 datasets, 1 code repository).', resolve: (e) => e.payload.links }),
  }),
});

const AliasMovedChange = builder.objectRef<Of<'AliasMoved'>>('AliasMovedChange').implement({
  description: 'An alias (setAlias, removeAlias) moved onto or off this artifact. The entry\'s `version` is the alias\'s.',
  fields: (t) => ({
    name: t.string({ description: 'The artifact name the alias belongs to, normalized.', resolve: (e) => e.payload.name }),
    alias: t.string({ description: 'The alias that moved, e.g. `production`.', resolve: (e) => e.payload.alias }),
    from: t.id({ nullable: true, description: 'The artifact it named before (global id); null when it was unset.', resolve: (e) => e.payload.from && artifactGlobalId(e.payload.from) }),
    to: t.id({ nullable: true, description: 'The artifact it names since (global id); null when it was removed.', resolve: (e) => e.payload.to && artifactGlobalId(e.payload.to) }),
  }),
});

const CHANGE_TYPENAMES = {
  ArtifactRegistered: 'RegisteredChange',
  ArtifactUpdated: 'UpdatedChange',
  ArtifactDeleted: 'DeletedChange',
  ModelRated: 'RatedChange',
  FileAdded: 'FileAddedChange',
  FileDownloaded: 'DownloadedChange',
  MirrorStatusChanged: 'MirrorStatusChange',
  ArtifactLinked: 'LinkedChange',
  AliasMoved: 'AliasMovedChange',
} as const satisfies Record<HistoryEntryType, string>;

const HistoryChange = builder.unionType('HistoryChange', {
  description: 'What one history entry changed, typed per kind of change.',
  types: [RegisteredChange, UpdatedChange, DeletedChange, RatedChange, FileAddedChange, DownloadedChange, MirrorChange, LinkedChange, AliasMovedChange],
  resolveType: (entry) => CHANGE_TYPENAMES[(entry as HistoryItem).type],
});

export const HistoryEntry = builder.objectRef<HistoryItem>('HistoryEntry').implement({
  description: 'One change of an artifact, or one download of it. History is append-only and never rewritten.',
  fields: (t) => ({
    version: t.exposeInt('version', {
      description: 'Stream version this change created (1 = registration); for a download, the version that was downloaded (downloads do not change it).',
    }),
    type: t.field({ type: ArtifactEventTypeEnum, description: 'What kind of change; `change` holds its details.', resolve: (entry) => EVENT_TYPE_NAMES[entry.type] }),
    at: t.field({ type: 'DateTime', description: 'When the change was committed (or the download URL issued).', resolve: (entry) => entry.at }),
    actor: t.string({
      nullable: true,
      description: 'Who made the change. Who downloaded what is for admins: on FILE_DOWNLOADED entries it is null for everyone else.',
      authScopes: (entry) => (entry.type === 'FileDownloaded' ? { permission: 'ADMIN' } : true),
      // Null rather than an error: a history page holds many downloads, and reading it is allowed.
      unauthorizedResolver: () => null,
      resolve: (entry) => entry.actor,
    }),
    change: t.field({ type: HistoryChange, description: 'What changed, as typed fields.', resolve: (entry) => entry }),
    changes: t.string({
      description: 'The change itself, as JSON.',
      deprecationReason: 'Use `change`, typed per kind of change. Kept for one release.',
      resolve: (entry) => JSON.stringify(changesJson(entry)),
    }),
  }),
});

export const HistoryConnection = builder.connectionObject(
  { type: HistoryEntry, name: 'HistoryConnection', description: "A page of an artifact's history, oldest first." },
  { name: 'HistoryEdge', description: 'One history entry, with its cursor.' },
);

