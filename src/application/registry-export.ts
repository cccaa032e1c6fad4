import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from '../registry.js';
import { PORTABLE_ENTITIES, PortableItems } from '../store/portable-items.js';
import { cutAt } from './export-cut.js';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, HEADER_NOTE, type ExportHeader, type ExportTrailer } from './export-format.js';
import type { Progress } from './progress.js';
import { createPrivateFile, PrivateTree } from './private-files.js';

export interface ExportReport {
  readonly items: number;
  /** The cut (ISO instant). */
  readonly asOf: string;
  readonly blobs: number;
  readonly exportId: string;
}

/** Where a blob's copy goes under the blobs directory: its content key, which holds no `..`. */
export const blobPathIn = (dir: string, key: string): string => join(dir, ...key.split('/').filter((part) => part !== '' && part !== '.' && part !== '..'));

/** Blob keys named by FileAdded events: the S3 objects an export with blobs copies. */
function blobKeysOf(attributes: Record<string, unknown>): string[] {
  if (attributes['eventType'] !== 'FileAdded' || typeof attributes['payload'] !== 'string') return [];
  const payload: unknown = JSON.parse(attributes['payload']);
  const key = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)['blobKey'] : undefined;
  return typeof key === 'string' ? [key] : [];
}

export interface ExportOptions {
  readonly blobsDir?: string;
  /**
   * The cut: only items stamped at or before this instant (default: when the export starts).
   * Writers stamp an item a moment before its conditional put commits it, so a cut close to now
   * is only whole once they have had `settleMs` to commit: the scan waits that long after it.
   */
  readonly asOf?: Date;
  /** How long after `asOf` the scan starts: 0 when no other process can write (a locked DATA_DIR). */
  readonly settleMs?: number;
  readonly progress: Progress;
}

/** Long enough for a write stamped before the cut to have committed: a put takes milliseconds, its retries seconds. */
export const DEFAULT_SETTLE_MS = 5_000;

/**
 * Writes the current epoch's portable items (see PortableItems) stamped up to the cut to `out` as
 * NDJSON, and with `blobsDir` copies every referenced S3 object there under its key. Events are
 * immutable and a scan sees every item stored before it began, so the file is the registry as of
 * the cut however much is written meanwhile: whole streams up to that instant, nothing after it.
 * Reads storage only.
 */
export async function exportRegistry(registry: Registry, out: string, options: ExportOptions): Promise<ExportReport> {
  const startedAt = registry.clock.now();
  const asOf = (options.asOf ?? startedAt).toISOString();
  const settleUntil = new Date(asOf).getTime() + (options.settleMs ?? DEFAULT_SETTLE_MS);
  const wait = settleUntil - startedAt.getTime();
  if (wait > 0) {
    options.progress.phase(`settle (writes stamped before ${asOf})`);
    await sleep(wait);
    options.progress.finish();
  }
  const scope = await registry.currentScope();
  const portable = new PortableItems(registry.dynamo.doc, registry.config.tableName, scope.entities, scope.epoch);
  // Password hashes travel in it: the owner's only, as DATA_DIR is.
  const file = await createPrivateFile(out, 'utf8');
  const write = async (line: unknown): Promise<void> => {
    if (!file.write(`${JSON.stringify(line)}\n`)) await once(file, 'drain');
  };
  const exportId = randomUUID();
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportId,
    exportedAt: startedAt.toISOString(),
    asOf,
    entities: [...PORTABLE_ENTITIES],
    note: HEADER_NOTE,
  };
  await write(header);
  const blobKeys = new Set<string>();
  let items = 0;
  options.progress.phase('export items');
  const kept = cutAt(asOf);
  for await (const page of portable.all()) {
    for (const item of page) {
      if (!kept(item)) continue;
      await write(item);
      items += 1;
      if (item.entity === 'artifactEvent') for (const key of blobKeysOf(item.attributes)) blobKeys.add(key);
    }
    options.progress.advance(page.length);
  }
  options.progress.finish();
  const trailer: ExportTrailer = { end: true, items, blobs: [...blobKeys].sort() };
  await write(trailer);
  file.end();
  await once(file, 'finish');
  if (options.blobsDir !== undefined) await copyBlobs(registry, trailer.blobs, options.blobsDir, options.progress);
  return { items, asOf, blobs: blobKeys.size, exportId };
}

/** Each blob to its file under `dir`; the directories and files are the owner's only, as the export file is. */
async function copyBlobs(registry: Registry, keys: readonly string[], dir: string, progress: Progress): Promise<void> {
  progress.phase('export blobs', keys.length);
  const tree = new PrivateTree(dir);
  await tree.ensure(dir);
  for (const key of keys) {
    const target = blobPathIn(dir, key);
    await tree.ensure(dirname(target));
    await pipeline(await registry.blobs.open(key), await createPrivateFile(target));
    progress.advance(1);
  }
  progress.finish();
}
