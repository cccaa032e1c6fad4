import type { BlobStore } from '../../store/blob-store.js';
import type { BlobReferences } from '../../store/blob-references.js';
import { packageKeyFor } from '../../store/package-archive.js';
import { releaseUnheld } from '../blob-release.js';
import type { CommittedChange, Reactor } from './reactor.js';

/**
 * After a deletion: the package archive of the files the artifact held, and every blob no other
 * artifact references any more. The deleted state still lists those files. Idempotent.
 */
export class BlobReleaseReactor implements Reactor {
  readonly name = 'blob-release';
  readonly handles = ['ArtifactDeleted'] as const;

  constructor(
    private readonly refs: BlobReferences,
    private readonly blobs: BlobStore,
  ) {}

  async react({ state }: CommittedChange): Promise<void> {
    if (!state || state.files.length === 0) return;
    // Another artifact with exactly these files would share the archive; it is rebuilt on demand.
    await this.blobs.delete(packageKeyFor(state.files));
    await releaseUnheld(this.refs, this.blobs, state.id, state.files.map((file) => file.sha256), []);
  }
}
