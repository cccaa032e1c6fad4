import type { ArtifactId, ActorId } from '../domain/ids.js';
import type { FilePath, Sha256Hex } from '../domain/artifact-files.js';
import type { Entities } from './entities.js';

export interface UploadRecord {
  readonly uploadId: string;
  readonly artifactId: ArtifactId;
  readonly path: FilePath;
  readonly size: number;
  readonly sha256: Sha256Hex;
  readonly contentType: string;
  readonly actor: ActorId;
  readonly expiresAt: string;
}

/** Presigned uploads in flight, keyed by upload id, in the epoch's key space (a reset drops them). */
export class UploadRecords {
  constructor(private readonly entities: Entities) {}

  async save(record: UploadRecord): Promise<void> {
    // Kept a day past the URL's expiry (as the staging/ lifecycle rule keeps the object), then TTL.
    const ttl = Math.ceil(Date.parse(record.expiresAt) / 1000) + 86_400;
    await this.entities.upload.create({ ...record, ttl }).go({ response: 'none' });
  }

  async get(uploadId: string): Promise<UploadRecord | undefined> {
    const { data } = await this.entities.upload.get({ uploadId }).go({ consistent: true });
    if (!data) return undefined;
    const { ttl: _ttl, ...record } = data;
    return record as UploadRecord;
  }

  async delete(uploadId: string): Promise<void> {
    await this.entities.upload.delete({ uploadId }).go({ response: 'none' });
  }
}
