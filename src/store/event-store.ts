import { z } from 'zod';
import type { ArtifactEvent, ArtifactEventBody, StreamVersion } from '../domain/artifact-events.js';
import { ARTIFACT_TYPES } from '../domain/artifact-type.js';
import type { ActorId, ArtifactId } from '../domain/ids.js';
import type { Entities } from './entities.js';
import type { HistoryEventType } from '../domain/history.js';
import { linksSchema, metadataSchema, ratingSchema, sourceRecordSchema } from './stored-schemas.js';
import { upcastItem } from './upcasters.js';

/**
 * A lost version race names the version that won it, so the caller can answer CONFLICT with the
 * current version without reading it (or with one read where the engine does not say).
 */
export type AppendOutcome = 'appended' | { readonly taken: true; readonly winnerVersion: StreamVersion };

/** A file as events and projections store it. */
export const storedFileSchema = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string(),
});

export const mirrorStatusSchema = z.object({
  state: z.enum(['RUNNING', 'COMPLETED', 'FAILED']),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().int().nonnegative(),
  error: z.string().nullable(),
});

/** Stored payloads are data from disk: parse them, never trust them. */
const bodySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ArtifactRegistered'),
    payload: z.object({
      artifactType: z.enum(ARTIFACT_TYPES),
      name: z.string(),
      url: z.string(),
      metadata: metadataSchema.optional(),
      rating: ratingSchema.optional(),
      readme: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('ModelRated'), payload: z.object({ rating: ratingSchema }) }),
  z.object({ type: z.literal('ArtifactLinked'), payload: z.object({ links: linksSchema }) }),
  z.object({
    type: z.literal('IngestRefused'),
    payload: z.object({ artifactType: z.enum(ARTIFACT_TYPES), name: z.string(), url: z.string(), reason: z.string(), rating: ratingSchema, updateOf: z.string().optional() }),
  }),
  z.object({
    type: z.literal('ArtifactUpdated'),
    // `reading` is absent on events written before a URL change re-read its source: they still parse.
    payload: z.object({ name: z.string().optional(), url: z.string().optional(), reading: sourceRecordSchema.optional() }),
  }),
  z.object({ type: z.literal('ArtifactDeleted'), payload: z.object({}).strict() }),
  z.object({ type: z.literal('FileAdded'), payload: storedFileSchema.extend({ blobKey: z.string() }) }),
  z.object({ type: z.literal('FileDownloaded'), payload: z.object({ path: z.string().nullable() }) }),
  z.object({ type: z.literal('MirrorStatusChanged'), payload: mirrorStatusSchema }),
]);

interface StoredEvent {
  artifactId: string;
  version: number;
  eventType: string;
  at: string;
  actor: string;
  payload: string;
  schemaVersion?: number | undefined;
}

function fromItem(item: StoredEvent): ArtifactEvent {
  // The schema checks shapes; brands (names, URLs, paths, digests) were checked when the event was written.
  const body = bodySchema.parse(upcastItem('artifactEvent', item, { type: item.eventType, payload: JSON.parse(item.payload) as unknown })) as unknown as ArtifactEventBody;
  return { ...body, artifactId: item.artifactId as ArtifactId, version: item.version, at: item.at, actor: item.actor as ActorId };
}

export interface EventPage {
  readonly events: readonly ArtifactEvent[];
  readonly hasMore: boolean;
}

/**
 * Append-only event streams, one per artifact. The conditional put of an event is the commit point
 * of every change and the optimistic-concurrency guard: a version can be written once.
 */
export class EventStore {
  constructor(private readonly entities: Entities) {}

  async append(event: ArtifactEvent): Promise<AppendOutcome> {
    const { type, payload, ...envelope } = event;
    // `create` adds attribute_not_exists(pk) AND attribute_not_exists(sk): this version is free.
    // ALL_OLD: DynamoDB returns the item that holds the version when it is not; dynalite returns none.
    const put = await this.entities.artifactEvent
      .create({ ...envelope, eventType: type, payload: JSON.stringify(payload) })
      .go({ response: 'none', returnOnConditionCheckFailure: 'all_old' });
    if (!put.rejected) return 'appended';
    return { taken: true, winnerVersion: put.data?.version ?? (await this.latestVersion(event.artifactId)) };
  }

  /** Every event after `afterVersion`, in order. Used to fold state and to catch up a projection. */
  async readStream(artifactId: ArtifactId, afterVersion: StreamVersion = 0): Promise<ArtifactEvent[]> {
    const { data } = await this.entities.artifactEvent.query
      .stream({ artifactId })
      .gt({ version: afterVersion })
      // Consistent: the tail decides the next version, and a just-committed event must be in it.
      .go({ pages: 'all', consistent: true });
    return data.map(fromItem);
  }

  /**
   * Ids of every stream, found by their first event. A scan: for repair tooling only, never on a
   * request path. Streams are found even when their projection was never written.
   */
  async *allStreamIds(): AsyncGenerator<ArtifactId[]> {
    let cursor: string | null = null;
    do {
      const page: { data: { artifactId: string }[]; cursor: string | null } = await this.entities.artifactEvent.scan
        .where((attr, op) => op.eq(attr.version, 1))
        .go({ cursor, attributes: ['artifactId'] });
      yield page.data.map((item) => item.artifactId as ArtifactId);
      cursor = page.cursor;
    } while (cursor);
  }

  /** The stream's newest version (0 when there is none): one Query for the last sort key. */
  async latestVersion(artifactId: ArtifactId): Promise<StreamVersion> {
    const { data } = await this.entities.artifactEvent.query.stream({ artifactId }).go({ order: 'desc', limit: 1, count: 1, attributes: ['version'], consistent: true });
    return data[0]?.version ?? 0;
  }

  /**
   * One page of history, oldest first, optionally only some event types within a time range. The
   * filters are applied by DynamoDB after the key range (`count` pages on until the page is full).
   */
  async readPage(
    artifactId: ArtifactId,
    afterVersion: StreamVersion,
    first: number,
    filter: { readonly types?: readonly HistoryEventType[]; readonly from?: string; readonly to?: string } = {},
  ): Promise<EventPage> {
    const query = this.entities.artifactEvent.query.stream({ artifactId }).gt({ version: afterVersion });
    const { types, from, to } = filter;
    const filtered = types !== undefined || from !== undefined || to !== undefined
      ? query.where((attr, op) =>
          [
            types !== undefined ? `(${types.map((type) => op.eq(attr.eventType, String(type))).join(' OR ')})` : '',
            from !== undefined ? op.gte(attr.at, from) : '',
            to !== undefined ? op.lte(attr.at, to) : '',
          ].filter(Boolean).join(' AND '))
      : query;
    const { data } = await filtered.go({ count: first + 1, limit: first + 1 });
    return { events: data.slice(0, first).map(fromItem), hasMore: data.length > first };
  }

  /**
   * The stream as it stood at `asOf`: every event committed at or before it, in one Query (the
   * filter drops later ones server-side). Only the unbroken run from version 1 counts, so clocks
   * that disagree between writers can never fold a state that never existed.
   */
  async readUntil(artifactId: ArtifactId, asOf: string): Promise<ArtifactEvent[]> {
    const { data } = await this.entities.artifactEvent.query
      .stream({ artifactId })
      .where((attr, op) => op.lte(attr.at, asOf))
      .go({ pages: 'all' });
    const events = data.map(fromItem);
    const gap = events.findIndex((event, i) => event.version !== i + 1);
    return gap === -1 ? events : events.slice(0, gap);
  }
}
