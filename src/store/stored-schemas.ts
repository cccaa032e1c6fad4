import { z } from 'zod';
import type { ArtifactMetadata, ReadmeSummary } from '../domain/artifact-metadata.js';
import type { Rating } from '../domain/rating/rating.js';
import type { ArtifactLink } from '../domain/artifact-links.js';
import type { ArtifactId } from '../domain/ids.js';
import type { SourceRecord } from '../domain/artifact-events.js';

/**
 * Schemas of the rating and metadata as stored in events and projections. Stored items are data
 * from disk: they are parsed on every read, never cast. Typed against the domain types so the two
 * cannot drift apart.
 */
/** A metric's value: null is "not applicable" (a -1 from before schema version 3 is lifted to null by the upcaster). */
const metric = z.object({ value: z.number().nullable(), latencySeconds: z.number(), explanation: z.string() });
const deviceValue = z.number().nullable();

export const ratingSchema: z.ZodType<Rating> = z.object({
  ratedAt: z.string(),
  netScore: z.object({ value: z.number(), latencySeconds: z.number(), explanation: z.string() }),
  rampUpTime: metric,
  busFactor: metric,
  performanceClaims: metric,
  license: metric,
  datasetAndCodeScore: metric,
  datasetQuality: metric,
  codeQuality: metric,
  reproducibility: metric,
  reviewedness: metric,
  treeScore: metric,
  sizeScore: z.object({
    raspberryPi: deviceValue,
    jetsonNano: deviceValue,
    desktopPc: deviceValue,
    awsServer: deviceValue,
    latencySeconds: z.number(),
    explanation: z.string(),
  }),
});

const readmeSummary: z.ZodType<ReadmeSummary> = z.discriminatedUnion('status', [
  z.object({ status: z.literal('present'), length: z.number(), truncated: z.boolean() }),
  z.object({ status: z.literal('absent') }),
  z.object({ status: z.literal('unavailable') }),
]);

const gated = z.enum(['open', 'auto', 'manual']);
const text = z.string().optional();

export const metadataSchema: z.ZodType<ArtifactMetadata> = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('huggingface-model'),
    repoId: z.string(),
    sha: text,
    author: text,
    license: text,
    licenseName: text,
    downloads: z.number(),
    likes: z.number(),
    lastModified: text,
    gated,
    pipelineTag: text,
    libraryName: text,
    tags: z.array(z.string()),
    datasets: z.array(z.string()),
    baseModels: z.array(z.string()),
    codeUrl: text,
    sizeBytes: z.number().optional(),
    sizeSource: text,
    usedStorageBytes: z.number().optional(),
    readme: readmeSummary,
  }),
  z.object({
    source: z.literal('huggingface-dataset'),
    repoId: z.string(),
    sha: text,
    author: text,
    license: text,
    downloads: z.number(),
    likes: z.number(),
    lastModified: text,
    gated,
    tags: z.array(z.string()),
    description: text,
    sizeBytes: z.number().optional(),
    readme: readmeSummary,
  }),
  z.object({
    source: z.literal('github'),
    fullName: z.string(),
    description: text,
    license: text,
    stars: z.number(),
    forks: z.number(),
    archived: z.boolean(),
    pushedAt: text,
    defaultBranch: text,
    sizeBytes: z.number().optional(),
    readme: readmeSummary,
  }),
  z.object({ source: z.literal('other'), host: z.string(), readme: readmeSummary }),
]);

const link = z.object({
  kind: z.enum(['parent', 'dataset', 'code']),
  targetId: z.string().transform((id) => id as ArtifactId),
  relationship: z.string(),
  source: z.string(),
  reference: z.string(),
});

export const linksSchema: z.ZodType<ArtifactLink[]> = z.array(link);

export const sourceRecordSchema: z.ZodType<SourceRecord> = z.object({
  metadata: metadataSchema,
  rating: ratingSchema.optional(),
  readme: z.string().optional(),
});

/** Parses an optional JSON-text attribute of a stored item. */
export function parseStoredJson<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  return raw === undefined ? undefined : schema.parse(JSON.parse(raw));
}
