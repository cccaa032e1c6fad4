import type { Sha256Hex } from '../domain/artifact-files.js';
import type { ArtifactId } from '../domain/ids.js';
import type { Entities } from './entities.js';

/**
 * Which artifacts hold which blob, so a blob is deleted only when its last holder goes, without a
 * table scan. A reference is written before the FileAdded event that needs it commits, and removed
 * after the artifact lets go (deleted, or the path replaced by other bytes).
 */
export class BlobReferences {
  constructor(private readonly entities: Entities) {}

  async add(sha256: Sha256Hex, artifactId: ArtifactId, at: string): Promise<void> {
    await this.entities.blobReference.put({ sha256, artifactId, addedAt: at }).go({ response: 'none' });
  }

  async remove(sha256: Sha256Hex, artifactId: ArtifactId): Promise<void> {
    await this.entities.blobReference.delete({ sha256, artifactId }).go({ response: 'none' });
  }

  /**
   * Whether any artifact still holds the blob: one Query on its partition, at most one item read.
   * Consistent, since a blob is deleted on its answer: a reference added a moment ago must count.
   */
  async isHeld(sha256: Sha256Hex): Promise<boolean> {
    const { data } = await this.entities.blobReference.query.byBlob({ sha256 }).go({ limit: 1, count: 1, consistent: true });
    return data.length > 0;
  }
}
