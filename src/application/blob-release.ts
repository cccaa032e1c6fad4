import { blobKeyFor, type ArtifactFile, type Sha256Hex } from '../domain/artifact-files.js';
import type { ArtifactId } from '../domain/ids.js';
import type { BlobStore } from '../store/blob-store.js';
import type { BlobReferences } from '../store/blob-references.js';

/**
 * For each blob the artifact no longer holds in `filesNow`: drop its reference, and the blob if it
 * was the last. Idempotent (a reference deleted twice, an object deleted twice), so a replay after a
 * crash finishes what the crash cut short; a reference added meanwhile by another artifact keeps the blob.
 */
export async function releaseUnheld(refs: BlobReferences, blobs: BlobStore, artifactId: ArtifactId, shas: readonly Sha256Hex[], filesNow: readonly ArtifactFile[]): Promise<void> {
  const held = new Set(filesNow.map((f) => f.sha256));
  for (const sha256 of new Set(shas)) {
    if (held.has(sha256)) continue;
    await refs.remove(sha256, artifactId);
    if (!(await refs.isHeld(sha256))) await blobs.delete(blobKeyFor(sha256));
  }
}
