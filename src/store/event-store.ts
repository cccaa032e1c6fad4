import { z } from 'zod';
import type { ArtifactEvent, ArtifactEventBody } from '../domain/artifact-events.js';
import { ARTIFACT_TYPES } from '../domain/artifact-type.js';
import type { ArtifactId } from '../domain/ids.js';
import type { Entities } from './entities.js';
import { linksSchema, metadataSchema, ratingSchema, sourceRecordSchema } from './stored-schemas.js';
import { EventStream, type EventCodec } from './event-stream.js';

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
      sourceUrl: z.string().optional(),
      metadata: metadataSchema.optional(),
      rating: ratingSchema.optional(),
      readme: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('ModelRated'), payload: z.object({ rating: ratingSchema }) }),
  z.object({ type: z.literal('ArtifactLinked'), payload: z.object({ links: linksSchema }) }),
  z.object({
    type: z.literal('IngestRefused'),
    payload: z.object({ artifactType: z.enum(ARTIFACT_TYPES), name: z.string(), url: z.string(), reason: z.string(), rating: ratingSchema.optional(), updateOf: z.string().optional() }),
  }),
  z.object({
    type: z.literal('ArtifactUpdated'),
    // `reading` is absent on events written before a URL change re-read its source: they still parse.
    payload: z.object({ name: z.string().optional(), url: z.string().optional(), sourceUrl: z.string().optional(), reading: sourceRecordSchema.optional() }),
  }),
  z.object({ type: z.literal('ArtifactDeleted'), payload: z.object({}).strict() }),
  z.object({ type: z.literal('FileAdded'), payload: storedFileSchema.extend({ blobKey: z.string() }) }),
  z.object({ type: z.literal('FileDownloaded'), payload: z.object({ path: z.string().nullable() }) }),
  z.object({ type: z.literal('MirrorStatusChanged'), payload: mirrorStatusSchema }),
]);

/** Artifact streams on the core: their events are this module's union, keyed by artifact id. */
export const artifactEventCodec: EventCodec<ArtifactId, ArtifactEvent> = {
  kind: 'artifactEvent',
  streamOf: (event) => event.artifactId,
  // The schema checks shapes; brands (names, URLs, paths, digests) were checked when the event was written.
  decode: ({ streamId, body, ...envelope }) => ({ ...(bodySchema.parse(body) as unknown as ArtifactEventBody), ...envelope, artifactId: streamId }),
};

export type EventStore = EventStream<ArtifactId, ArtifactEvent>;

export const createEventStore = (entities: Entities): EventStore => new EventStream(entities.artifactEvent, artifactEventCodec);
