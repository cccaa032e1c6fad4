import type { Entities } from '../store/entities.js';
import { EventStore } from '../store/event-store.js';
import { ProjectionStore } from '../store/projection-store.js';
import { UrlClaims } from '../store/url-claims.js';
import { UploadRecords } from '../store/upload-records.js';
import { BlobReferences } from '../store/blob-references.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { foldEvents } from '../domain/artifact-state.js';
import type { ArtifactId } from '../domain/ids.js';

/** The storage ports the application uses, built over one table's entities. */
export class RegistryStore {
  readonly events: EventStore;
  readonly projections: ProjectionStore;
  readonly claims: UrlClaims;
  readonly uploads: UploadRecords;
  readonly blobRefs: BlobReferences;

  constructor(entities: Entities) {
    this.events = new EventStore(entities);
    this.projections = new ProjectionStore(entities);
    this.claims = new UrlClaims(entities);
    this.uploads = new UploadRecords(entities);
    this.blobRefs = new BlobReferences(entities);
  }

  /**
   * The true current state: the projection plus any events it has not absorbed yet. A lagging
   * projection (its writer died after committing the event) is repaired on the way.
   */
  async loadCurrent(id: ArtifactId): Promise<ArtifactState | undefined> {
    const [projected] = await this.projections.getMany([id]);
    const tail = await this.events.readStream(id, projected?.version ?? 0);
    if (tail.length === 0) return projected;
    const state = foldEvents(projected, tail);
    if (state) await this.projections.save(state);
    return state;
  }

  /** Refolds one projection from its whole stream; writes it only if the stored one lags. */
  async rebuildProjection(id: ArtifactId): Promise<'written' | 'already-newer' | 'no-stream'> {
    const state = foldEvents(undefined, await this.events.readStream(id));
    return state ? this.projections.save(state) : 'no-stream';
  }
}
