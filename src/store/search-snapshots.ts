import { PassThrough, Readable, pipeline as pipe } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { ARTIFACT_TYPES, type ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import type { BlobStore } from './blob-store.js';

/**
 * Where an epoch's snapshot lives. Nothing else writes under `search-index/`; the staging and
 * package sweeps look only under their own prefixes, and a reset's sweep of objects older than the
 * reset removes the old epochs' snapshots with everything else they referred to.
 */
export const searchSnapshotKey = (epoch: number): string => `search-index/epoch-${epoch}.ndjson.gz`;

/** One artifact as a snapshot holds it: exactly what a search reads of it (IndexedArtifact). */
export interface SnapshotEntry {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly name: string;
  readonly readme: string | undefined;
  readonly version: number;
}

export interface SearchSnapshot {
  /**
   * The entries hold every change written to the search change feed before this instant (the start
   * of the load or catch-up that produced them): a reader catches up from here with the feed.
   */
  readonly validFrom: Date;
  readonly entries: readonly SnapshotEntry[];
}

/** What reading a snapshot found. `unusable` carries why, for a log line: the caller loads from the tables. */
export type SnapshotRead =
  | { readonly status: 'found'; readonly snapshot: SearchSnapshot }
  | { readonly status: 'absent' }
  | { readonly status: 'unusable'; readonly reason: string };

/** Decides from the header alone (before the body is downloaded) whether a snapshot is worth reading: a reason to refuse it, or undefined. */
export type SnapshotCheck = (validFrom: Date) => string | undefined;

const FORMAT = 'trustworthy-model-registry/search-index';
const FORMAT_VERSION = 1;
/**
 * No line of ours comes near this (a README is capped at 100 KB; JSON escapes at most multiply it
 * by six): a longer one is a foreign or damaged object, refused before it is held in memory whole.
 */
const MAX_LINE_CHARS = 2 * 1024 * 1024;

const headerSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(FORMAT_VERSION),
    epoch: z.number().int().nonnegative(),
    validFrom: z.iso.datetime(),
    entries: z.number().int().nonnegative(),
  })
  .strict();

const entrySchema = z
  .object({
    id: z.string().transform((raw, ctx) => parseArtifactId(raw) ?? (ctx.addIssue({ code: 'custom', message: 'not an artifact id' }), z.NEVER)),
    type: z.enum(ARTIFACT_TYPES),
    name: z.string().min(1),
    readme: z.string().optional(),
    version: z.number().int().positive(),
  })
  .strict();

/** A snapshot that cannot be trusted; caught in `read` and answered as `unusable`. */
class Unusable extends Error {}

/**
 * The search index of one epoch as one gzipped NDJSON object in the bucket: a header line (format,
 * epoch, validFrom, entry count), then one line per live artifact. Written whole by one multipart
 * upload (last writer wins; S3 never shows a half-written object) and streamed both ways, so
 * neither side holds the compressed or serialized form whole.
 */
export class SearchSnapshots {
  constructor(
    private readonly blobs: BlobStore,
    readonly epoch: number,
  ) {}

  async write(snapshot: SearchSnapshot): Promise<void> {
    const body = new PassThrough();
    const upload = this.blobs.putStream(searchSnapshotKey(this.epoch), body, 'application/gzip').catch((error: unknown) => {
      // The upload stopped reading: without this the gzip would wait on a full buffer forever.
      body.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
    const [fed, uploaded] = await Promise.allSettled([pipeline(Readable.from(this.lines(snapshot)), createGzip(), body), upload]);
    if (uploaded.status === 'rejected') throw uploaded.reason;
    if (fed.status === 'rejected') throw fed.reason;
  }

  /**
   * The snapshot, parsed strictly: a wrong format, another epoch, a bad entry, a duplicate id, a
   * count that disagrees with the header, broken gzip or an S3 failure all answer `unusable` (never
   * an exception). `check` may refuse it from its header before the body is read.
   */
  async read(check: SnapshotCheck): Promise<SnapshotRead> {
    let body: Readable | undefined;
    try {
      body = await this.blobs.openIfExists(searchSnapshotKey(this.epoch));
    } catch (error) {
      return { status: 'unusable', reason: `could not read it: ${String(error)}` };
    }
    if (!body) return { status: 'absent' };
    // pipeline destroys both streams when either fails or the reader stops early.
    const unzipped = pipe(body, createGunzip(), () => undefined);
    try {
      return { status: 'found', snapshot: await this.parse(unzipped, check) };
    } catch (error) {
      return { status: 'unusable', reason: error instanceof Unusable ? error.message : `could not read it: ${String(error)}` };
    } finally {
      unzipped.destroy();
    }
  }

  private async *lines(snapshot: SearchSnapshot): AsyncGenerator<Buffer> {
    const header: z.input<typeof headerSchema> = {
      format: FORMAT,
      version: FORMAT_VERSION,
      epoch: this.epoch,
      validFrom: snapshot.validFrom.toISOString(),
      entries: snapshot.entries.length,
    };
    yield Buffer.from(`${JSON.stringify(header)}\n`);
    for (const entry of snapshot.entries) {
      const line = { id: entry.id, type: entry.type, name: entry.name, ...(entry.readme !== undefined && { readme: entry.readme }), version: entry.version };
      yield Buffer.from(`${JSON.stringify(line)}\n`);
    }
  }

  private async parse(text: AsyncIterable<Buffer>, check: SnapshotCheck): Promise<SearchSnapshot> {
    let header: z.output<typeof headerSchema> | undefined;
    let validFrom: Date | undefined;
    const entries: SnapshotEntry[] = [];
    const seen = new Set<ArtifactId>();
    for await (const line of splitLines(text)) {
      const json = parseJson(line, header ? `entry ${entries.length + 1}` : 'header');
      if (!header) {
        const parsed = headerSchema.safeParse(json);
        if (!parsed.success) throw new Unusable(`not a search index snapshot: ${z.prettifyError(parsed.error)}`);
        if (parsed.data.epoch !== this.epoch) throw new Unusable(`holds epoch ${parsed.data.epoch}, not ${this.epoch}`);
        header = parsed.data;
        validFrom = new Date(header.validFrom);
        const refused = check(validFrom);
        if (refused !== undefined) throw new Unusable(refused);
        continue;
      }
      const parsed = entrySchema.safeParse(json);
      if (!parsed.success) throw new Unusable(`entry ${entries.length + 1}: ${z.prettifyError(parsed.error)}`);
      if (seen.has(parsed.data.id)) throw new Unusable(`entry ${entries.length + 1}: ${parsed.data.id} appears twice`);
      if (entries.length === header.entries) throw new Unusable(`more entries than the ${header.entries} its header announces`);
      seen.add(parsed.data.id);
      entries.push({ ...parsed.data, readme: parsed.data.readme });
    }
    if (!header || !validFrom) throw new Unusable('empty');
    if (entries.length !== header.entries) throw new Unusable(`${entries.length} entries, its header announces ${header.entries} (cut short?)`);
    return { validFrom, entries };
  }
}

function parseJson(line: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Unusable(`${what} is not JSON`);
  }
}

/** The lines of a UTF-8 stream (the last may lack its newline), refusing any longer than MAX_LINE_CHARS. */
async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      yield pending.slice(start, end);
      start = end + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new Unusable(`a line longer than ${MAX_LINE_CHARS} characters`);
  }
  pending += decoder.end();
  if (pending.length > 0) yield pending;
}
