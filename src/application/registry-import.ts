import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Registry } from '../registry.js';
import { SYSTEM_ACTOR } from '../domain/ids.js';
import { foldUserEvents } from '../domain/users/user-events.js';
import { PortableItems, type PortableItem } from '../store/portable-items.js';
import { headerSchema, itemLineSchema, trailerSchema, type ExportHeader, type ExportTrailer } from './export-format.js';
import { DEFAULT_ADMIN_USERNAME } from './users/user-commands.js';
import type { Progress } from './progress.js';
import type { EpochScope } from '../registry.js';
import type { ScryptCost } from './password-hashing.js';
import { ItemChecks, type DeclaredBlob } from './import-checks.js';
import { importBlobs, NO_BLOBS, type ImportedBlobs } from './import-blobs.js';

export interface ImportReport {
  readonly written: number;
  /** Items already present: all of them on a rerun of a finished import. */
  readonly skipped: number;
  readonly blobsWritten: number;
  readonly artifacts: number;
  readonly users: number;
  readonly claims: number;
}

/** A refusal the operator can act on (a non-empty registry, a damaged file): one line, no stack. */
export class ImportRefused extends Error {
  override readonly name = 'ImportRefused';
}

const WRITE_CONCURRENCY = 16;

async function* lines(path: string): AsyncGenerator<{ number: number; value: unknown }> {
  let number = 0;
  for await (const text of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    number += 1;
    if (text.trim() === '') continue;
    try {
      yield { number, value: JSON.parse(text) as unknown };
    } catch {
      throw new ImportRefused(`${path}:${number}: not a JSON line`);
    }
  }
}

interface CheckedFile {
  readonly header: ExportHeader;
  readonly trailer: ExportTrailer;
  /** The blobs the end marker lists, as the file's FileAdded events declare them. */
  readonly blobs: readonly DeclaredBlob[];
}

/**
 * Checks the whole file before writing anything: the header, every item line (see ItemChecks:
 * user events as this registry writes them, password hashes within `scrypt`, blobs under the
 * content keys of their digests), the trailer's count, and that it lists exactly the blobs declared.
 */
async function readCheckedFile(path: string, scrypt: ScryptCost): Promise<CheckedFile> {
  let header: ExportHeader | undefined;
  let trailer: ExportTrailer | undefined;
  let items = 0;
  const checks = new ItemChecks(scrypt);
  for await (const { number, value } of lines(path)) {
    if (!header) {
      const parsed = headerSchema.safeParse(value);
      if (!parsed.success) throw new ImportRefused(`${path}: line 1 is not a registry export header of a known format version`);
      header = parsed.data;
    } else if (trailer) {
      throw new ImportRefused(`${path}:${number}: a line after the end marker`);
    } else if (trailerSchema.safeParse(value).success) {
      trailer = trailerSchema.parse(value);
    } else {
      const item = itemLineSchema.safeParse(value);
      if (!item.success) throw new ImportRefused(`${path}:${number}: not an item of this export format`);
      const checked = checks.check(item.data);
      if (!checked.ok) throw new ImportRefused(`${path}:${number}: ${checked.error}`);
      items += 1;
    }
  }
  if (!header) throw new ImportRefused(`${path}: empty file`);
  if (!trailer) throw new ImportRefused(`${path}: no end marker (the file is truncated)`);
  if (trailer.items !== items) throw new ImportRefused(`${path}: the end marker counts ${trailer.items} items, the file holds ${items}`);
  const listed = new Set(trailer.blobs);
  const unlisted = [...checks.blobs.keys()].find((key) => !listed.has(key));
  if (unlisted !== undefined) throw new ImportRefused(`${path}: blob ${unlisted} is declared by a FileAdded event but not listed by the end marker`);
  const blobs: DeclaredBlob[] = [];
  for (const key of listed) {
    const blob = checks.blobs.get(key);
    if (!blob) throw new ImportRefused(`${path}: the end marker lists blob ${key}, which no FileAdded event declares`);
    blobs.push(blob);
  }
  return { header, trailer, blobs };
}

/** The default administrator as every registry creates it on start, never changed since. */
const isUntouchedDefaultAdmin = (item: PortableItem): boolean =>
  item.entity === 'userEvent' && item.attributes['streamId'] === DEFAULT_ADMIN_USERNAME && item.attributes['version'] === 1 && item.attributes['actor'] === SYSTEM_ACTOR;

interface EpochState {
  /** An import of this export finished here before: a rerun. */
  readonly completed: boolean;
  /** Whether the epoch holds no marker yet, only (maybe) the untouched default administrator. */
  readonly fresh: boolean;
  readonly defaultAdmin: boolean;
}

/**
 * Reads, without writing, whether the epoch may take this export: it is empty (but for the
 * untouched default administrator), or it holds a started import of the same export (a rerun resumes).
 */
async function readEpoch(portable: PortableItems, header: ExportHeader): Promise<EpochState> {
  const marker = await portable.importMarker();
  if (marker && marker.exportId !== header.exportId) throw new ImportRefused(`the registry holds another import (export ${marker.exportId}); import into an empty registry`);
  if (marker) return { completed: marker.completed, fresh: false, defaultAdmin: false };
  let found = 0;
  let defaultAdmin = false;
  for await (const page of portable.all()) {
    for (const item of page) {
      if (isUntouchedDefaultAdmin(item)) defaultAdmin = true;
      else found += 1;
    }
  }
  if (found > 0) throw new ImportRefused(`the registry is not empty (${found} stored events and records); import into an empty registry`);
  return { completed: false, fresh: true, defaultAdmin };
}

/** Marks the epoch as taking this export, first removing the default administrator the export replaces. */
async function claimEpoch(portable: PortableItems, header: ExportHeader, state: EpochState): Promise<void> {
  if (state.fresh && state.defaultAdmin) await portable.removeUntouchedUser(DEFAULT_ADMIN_USERNAME);
  if (!(await portable.claimForImport(header.exportId))) throw new ImportRefused('another import claimed the registry at the same time');
}

/**
 * Loads an export into the current epoch of an empty registry. The file is checked whole first,
 * then the blobs (each verified against its declared digest), both before anything of the registry
 * changes, so a refusal leaves it as it was. Then conditional puts of every item (present ones
 * skipped, so a rerun after an interruption resumes), and projections, URL claims, user
 * projections and the admin count, rebuilt from the streams.
 */
export async function importRegistry(registry: Registry, path: string, options: { blobsDir?: string; progress: Progress }): Promise<ImportReport> {
  const { header, trailer, blobs } = await readCheckedFile(path, registry.scryptCost);
  const scope = await registry.currentScope();
  const portable = new PortableItems(registry.dynamo.doc, registry.config.tableName, scope.entities, scope.epoch);
  // Refused before any blob is uploaded; read again after the blobs, which can take long.
  await readEpoch(portable, header);
  let imported: ImportedBlobs = NO_BLOBS;
  if (options.blobsDir !== undefined) {
    const stored = await importBlobs(registry.blobs, blobs, options.blobsDir, options.progress);
    if (!stored.ok) throw new ImportRefused(`${stored.error}; the registry is unchanged`);
    imported = stored.value;
  }
  let epoch: EpochState;
  try {
    epoch = await readEpoch(portable, header);
    await claimEpoch(portable, header, epoch);
  } catch (error) {
    await imported.undo();
    throw error;
  }

  let written = 0;
  let skipped = 0;
  options.progress.phase('import items', trailer.items);
  let batch: PortableItem[] = [];
  const differing: PortableItem[] = [];
  const flush = async (): Promise<void> => {
    const outcomes = await Promise.all(batch.map((item) => portable.putIfAbsent(item)));
    written += outcomes.filter((outcome) => outcome === 'written').length;
    skipped += outcomes.filter((outcome) => outcome === 'present').length;
    outcomes.forEach((outcome, i) => outcome === 'differs' && differing.push(batch[i]!));
    options.progress.advance(batch.length);
    batch = [];
  };
  // Checked again as written: the file is read anew, and must not have changed since its check.
  const checks = new ItemChecks(registry.scryptCost);
  let first = true;
  for await (const { number, value } of lines(path)) {
    if (first) {
      first = false;
      continue;
    }
    const item = itemLineSchema.safeParse(value);
    if (!item.success) continue; // the trailer (checked above)
    const checked = checks.check(item.data);
    if (!checked.ok) throw new ImportRefused(`${path}:${number}: ${checked.error} (the file changed during the import)`);
    batch.push(item.data);
    if (batch.length >= WRITE_CONCURRENCY) await flush();
  }
  await flush();
  options.progress.finish();
  if (differing.length > 0) throw writtenBeside(`${differing.length} items of the export (${differing.slice(0, 3).map(describeItem).join(', ')}) were found holding something else`);

  const blobsWritten = imported.written;
  // A rerun of a finished import that found every item present has nothing to rebuild.
  if (epoch.completed && written === 0) return { written, skipped, blobsWritten, artifacts: 0, users: 0, claims: 0 };
  const { artifacts, claims } = await rebuildArtifacts(registry, scope, options.progress);
  const users = await rebuildUsers(scope, portable, options.progress);
  // Until the users are rebuilt nobody can sign in, so a write beside the import (an `npm start`
  // serving this registry) was under way when it began: it shows as an item the file does not hold.
  const stored = await portable.count();
  if (stored !== trailer.items) throw writtenBeside(`the registry holds ${stored} stored events and records, the export ${trailer.items}`);
  await portable.markImportCompleted(header.exportId);
  return { written, skipped, blobsWritten, artifacts, users, claims };
}

/** Something wrote to the registry while the import ran: both are now in it, and only a reset separates them. */
const writtenBeside = (found: string): ImportRefused =>
  new ImportRefused(`something wrote to the registry during the import: ${found}; reset the registry (DELETE /reset or the resetRegistry mutation) and import again with nobody using it`);

const describeItem = (item: PortableItem): string => {
  const { streamId, version } = item.attributes;
  return typeof streamId === 'string' ? `${item.entity} ${streamId}@${String(version)}` : item.entity;
};

/** Projections (with README details, lineage and URL-holder indexes) from the streams, then a claim per live URL. */
async function rebuildArtifacts(registry: Registry, scope: EpochScope, progress: Progress): Promise<{ artifacts: number; claims: number }> {
  const { store } = scope;
  const now = registry.clock.now().toISOString();
  let artifacts = 0;
  let claims = 0;
  progress.phase('rebuild artifacts');
  for await (const ids of store.events.allStreamIds()) {
    for (let i = 0; i < ids.length; i += WRITE_CONCURRENCY) {
      const slice = ids.slice(i, i + WRITE_CONCURRENCY);
      await Promise.all(slice.map((id) => store.rebuildProjection(id)));
      const states = await store.projections.getMany(slice, { consistent: true });
      const live = states.flatMap((state) => (state && !state.deleted ? [state] : []));
      // A rerun finds its own claims already there: they count as held, not as lost.
      const held = await Promise.all(
        live.map(async (state) => {
          // rebuildProjection recorded the holder of every URL the stream held, this one included.
          const outcome = await store.claims.claimRecorded(state.url, state.id, now, state.type);
          return outcome.claimed || outcome.holder.artifactId === state.id;
        }),
      );
      claims += held.filter(Boolean).length;
      artifacts += slice.length;
      progress.advance(slice.length);
    }
  }
  progress.finish();
  return { artifacts, claims };
}

/** User projections folded from their streams, then the admin count they imply. */
async function rebuildUsers(scope: EpochScope, portable: PortableItems, progress: Progress): Promise<number> {
  let users = 0;
  let admins = 0;
  progress.phase('rebuild users');
  for await (const names of scope.users.events.allStreamIds()) {
    for (const name of names) {
      const state = foldUserEvents(undefined, await scope.users.events.readStream(name));
      if (!state) continue;
      await scope.users.save(state);
      if (!state.deleted && state.permissions.includes('ADMIN')) admins += 1;
      users += 1;
    }
    progress.advance(names.length);
  }
  await portable.setAdminCount(admins);
  progress.finish();
  return users;
}
