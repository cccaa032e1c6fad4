import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../domain/result.js';
import type { BlobStore } from '../store/blob-store.js';
import type { DeclaredBlob } from './import-checks.js';
import { blobPathIn } from './registry-export.js';
import { stagingKeyFor } from './file-commands.js';
import type { Progress } from './progress.js';

/** How many blobs an import stored; `undo` removes those it added when the import is refused after all. */
export interface ImportedBlobs {
  readonly written: number;
  undo(): Promise<void>;
}

export const NO_BLOBS: ImportedBlobs = { written: 0, undo: async () => {} };

/**
 * Stores each declared blob from `dir` unless the bucket holds its bytes already. The files are
 * whatever the bearer of the export made of them, so each is streamed through a SHA-256 to a
 * staging key and copied to its content key only when digest and size are the declared ones: a
 * blob is never served as bytes other than those its events name. The first file that differs
 * refuses the import, naming it, and removes every blob this run added, so the bucket is as it was
 * (but for other bytes found at a content key, which stay replaced by the declared ones).
 */
export async function importBlobs(blobs: BlobStore, declared: readonly DeclaredBlob[], dir: string, progress: Progress): Promise<Result<ImportedBlobs, string>> {
  progress.phase('import blobs', declared.length);
  const created: string[] = [];
  let written = 0;
  const undo = async (): Promise<void> => {
    for (const key of created) await blobs.delete(key);
  };
  try {
    for (const blob of declared) {
      const present = (await blobs.head(blob.key)) !== undefined;
      // A blob already there (a rerun) is trusted only once verified; other bytes are replaced.
      if (!present || !(await blobs.holds(blob.key, blob.sha256, blob.size))) {
        const stored = await storeVerified(blobs, blob, blobPathIn(dir, blob.key));
        if (!stored.ok) {
          await undo();
          return err(stored.error);
        }
        if (!present) created.push(blob.key);
        written += 1;
      }
      progress.advance(1);
    }
  } catch (error) {
    // A storage failure, not a refusal: still, nothing of this run stays behind if it can be helped.
    await undo().catch(() => {});
    throw error;
  }
  progress.finish();
  return ok({ written, undo });
}

async function storeVerified(blobs: BlobStore, blob: DeclaredBlob, file: string): Promise<Result<true, string>> {
  const declared = `the export declares ${blob.size} bytes with SHA-256 ${blob.sha256} (blob ${blob.key})`;
  let size: number;
  try {
    const found = await stat(file);
    if (!found.isFile()) return err(`${file} is not a file; ${declared}`);
    size = found.size;
  } catch {
    return err(`${file} is missing; ${declared} (export it with --with-blobs)`);
  }
  // Cheap to tell before any upload; the digest below also catches a file that changes meanwhile.
  if (size !== blob.size) return err(`${file} holds ${size} bytes; ${declared}`);
  // A key no upload URL names (theirs are staging/<uuid>): nothing rewrites the hashed bytes before the copy.
  const staging = stagingKeyFor(`import-${randomUUID()}`);
  // One byte past the declared size is enough to tell a longer file, however long it has grown.
  const hashed = await blobs.putHashing(staging, createReadStream(file, { start: 0, end: blob.size }), blob.contentType);
  if (hashed === 'unreadable') return err(`${file} could not be read to its end; ${declared}`);
  try {
    if (hashed.size !== blob.size) return err(`${file} holds ${hashed.size > blob.size ? `more than ${blob.size}` : hashed.size} bytes; ${declared}`);
    if (hashed.sha256 !== blob.sha256) return err(`${file} has SHA-256 ${hashed.sha256}; ${declared}`);
    await blobs.copy(staging, blob.key);
    return ok(true);
  } finally {
    await blobs.delete(staging);
  }
}
