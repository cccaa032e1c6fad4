import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { Registry } from '../registry.js';
import { PORTABLE_ENTITIES, PortableItems } from '../store/portable-items.js';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, HEADER_NOTE, type ExportHeader, type ExportTrailer } from './export-format.js';
import type { Progress } from './progress.js';

export interface ExportReport {
  readonly items: number;
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

/**
 * Writes the current epoch's portable items (see PortableItems) to `out` as NDJSON, and with
 * `blobsDir` copies every referenced S3 object there under its key. Reads storage only.
 */
export async function exportRegistry(registry: Registry, out: string, options: { blobsDir?: string; progress: Progress }): Promise<ExportReport> {
  const scope = await registry.currentScope();
  const portable = new PortableItems(registry.dynamo.doc, registry.config.tableName, scope.entities, scope.epoch);
  const file = createWriteStream(out, { encoding: 'utf8' });
  const write = async (line: unknown): Promise<void> => {
    if (!file.write(`${JSON.stringify(line)}\n`)) await once(file, 'drain');
  };
  const exportId = randomUUID();
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportId,
    exportedAt: registry.clock.now().toISOString(),
    entities: [...PORTABLE_ENTITIES],
    note: HEADER_NOTE,
  };
  await write(header);
  const blobKeys = new Set<string>();
  let items = 0;
  options.progress.phase('export items');
  for await (const page of portable.all()) {
    for (const item of page) {
      await write(item);
      if (item.entity === 'artifactEvent') for (const key of blobKeysOf(item.attributes)) blobKeys.add(key);
    }
    items += page.length;
    options.progress.advance(page.length);
  }
  options.progress.finish();
  const trailer: ExportTrailer = { end: true, items, blobs: [...blobKeys].sort() };
  await write(trailer);
  file.end();
  await once(file, 'finish');
  if (options.blobsDir !== undefined) await copyBlobs(registry, trailer.blobs, options.blobsDir, options.progress);
  return { items, blobs: blobKeys.size, exportId };
}

async function copyBlobs(registry: Registry, keys: readonly string[], dir: string, progress: Progress): Promise<void> {
  progress.phase('export blobs', keys.length);
  for (const key of keys) {
    const target = blobPathIn(dir, key);
    await mkdir(dirname(target), { recursive: true });
    await pipeline(await registry.blobs.open(key), createWriteStream(target));
    progress.advance(1);
  }
  progress.finish();
}
