import { z } from 'zod';
import { PORTABLE_ENTITIES } from '../store/portable-items.js';

/**
 * The export file: NDJSON. Line 1 is the header, then one line per stored item, then a trailer
 * with the counts, so an import can tell a whole file from a truncated one.
 */
export const EXPORT_FORMAT = 'trustworthy-model-registry-export';
export const EXPORT_FORMAT_VERSION = 1;

export const headerSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  formatVersion: z.literal(EXPORT_FORMAT_VERSION),
  /** Names this export: an import records it, so a rerun of the same file resumes and another file is refused. */
  exportId: z.string().min(1),
  exportedAt: z.string(),
  /**
   * The instant the export is a cut of: every stored item stamped at or before it, none after.
   * Absent in files written before the cut existed (version 1 still: an import does not use it).
   */
  asOf: z.string().optional(),
  entities: z.array(z.enum(PORTABLE_ENTITIES)),
  note: z.string(),
});
export type ExportHeader = z.infer<typeof headerSchema>;

export const itemLineSchema = z.object({
  entity: z.enum(PORTABLE_ENTITIES),
  attributes: z.record(z.string(), z.unknown()),
});

export const trailerSchema = z.object({
  end: z.literal(true),
  items: z.number().int().nonnegative(),
  blobs: z.array(z.string()),
});
export type ExportTrailer = z.infer<typeof trailerSchema>;

export const HEADER_NOTE =
  'Streams and the records beside them only. Projections, README details, URL claims and holders, the lineage ' +
  'index and search changes are rebuilt on import; tokens are never exported.';
