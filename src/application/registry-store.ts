import type { Entities } from '../store/entities.js';
import { createEventStore, type EventStore } from '../store/event-store.js';
import { ProjectionStore } from '../store/projection-store.js';
import { UrlClaims } from '../store/url-claims.js';
import { ArtifactDetailStore } from '../store/detail-store.js';
import { UploadRecords } from '../store/upload-records.js';
import { BlobReferences } from '../store/blob-references.js';
import { LinkStore } from '../store/link-store.js';
import { SearchChanges } from '../store/search-changes.js';
import { AuditRecords } from '../store/audit-records.js';
import { AliasStore } from '../store/alias-store.js';
import { ChangeFeed } from '../store/change-feed.js';
import { Reactions } from './reactions/reactions.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { foldEvents } from '../domain/artifact-state.js';
import { StreamCommands } from './stream-commands.js';
import { latestReadme, type ArtifactEvent } from '../domain/artifact-events.js';
import type { ArtifactId } from '../domain/ids.js';
import { urlKeyOf, type UrlKey } from '../domain/artifact-url.js';

/** Every URL key a stream's artifact has been registered under or moved to. */
function urlKeysHeld(events: readonly ArtifactEvent[]): UrlKey[] {
  return events.flatMap((event) =>
    event.type === 'ArtifactRegistered' ? [urlKeyOf(event.payload.url)] : event.type === 'ArtifactUpdated' && event.payload.url ? [urlKeyOf(event.payload.url)] : [],
  );
}

/** The storage ports the application uses, built over one table's entities. */
export class RegistryStore {
  readonly events: EventStore;
  readonly projections: ProjectionStore;
  readonly claims: UrlClaims;
  readonly details: ArtifactDetailStore;
  readonly uploads: UploadRecords;
  readonly blobRefs: BlobReferences;
  readonly links: LinkStore;
  /** Artifact streams on the stream core: load with repair, commit. */
  readonly stream: StreamCommands<ArtifactId, ArtifactEvent, ArtifactState>;
  readonly searchChanges: SearchChanges;
  readonly audit: AuditRecords;
  readonly aliases: AliasStore;
  /** Every commit, in order per shard: what reactors replay from (src/application/reactions/). */
  readonly feed: ChangeFeed;
  /** What follows a commit: the reactors the wiring registers, run inline after each commit. */
  readonly reactions = new Reactions();

  constructor(entities: Entities) {
    this.events = createEventStore(entities);
    this.projections = new ProjectionStore(entities);
    this.claims = new UrlClaims(entities);
    this.details = new ArtifactDetailStore(entities);
    this.uploads = new UploadRecords(entities);
    this.blobRefs = new BlobReferences(entities);
    this.links = new LinkStore(entities);
    this.stream = new StreamCommands({
      events: this.events,
      loadProjection: async (id) => (await this.projections.getMany([id], { consistent: true }))[0],
      project: (state, events) => this.project(state, events),
      fold: foldEvents,
      record: (events) => this.feed.record(events),
      afterCommit: (event, state) => this.reactions.afterCommit(event, state),
    });
    this.feed = new ChangeFeed(entities);
    this.searchChanges = new SearchChanges(entities);
    this.audit = new AuditRecords(entities);
    this.aliases = new AliasStore(entities);
  }

  /**
   * Writes what `events` (just committed, or caught up) change beyond the projection: the README
   * detail item first, so a reader who finds the projection finds its README too; then the projection.
   * The search change is a reactor's (search-change-reactor.ts), after the projection.
   */
  async project(state: ArtifactState, events: readonly ArtifactEvent[]): Promise<'written' | 'already-newer'> {
    const readme = latestReadme(events);
    if (readme) await this.details.save(state.id, readme.version, readme.text);
    return this.projections.save(state);
  }

  /**
   * A refused ingest's audit event: version 1 of a stream of its own, which folds to no artifact. On
   * the feed like every commit, so reactors see refusals too (with no state).
   */
  async recordRefusal(event: Extract<ArtifactEvent, { type: 'IngestRefused' }>): Promise<void> {
    if ((await this.events.append(event)) !== 'appended') throw new Error(`refusal ${event.artifactId} collided with an existing stream`);
    await this.feed.record([event]);
    await this.reactions.afterCommit(event, undefined);
  }

  /** The true current state, a lagging projection repaired on the way (StreamCommands.loadCurrent). */
  loadCurrent(id: ArtifactId): Promise<ArtifactState | undefined> {
    return this.stream.loadCurrent(id);
  }

  /**
   * Refolds one projection from its whole stream; writes it only if the stored one lags. A stream
   * holding only a refused ingest has no artifact to project.
   */
  async rebuildProjection(id: ArtifactId): Promise<'written' | 'already-newer' | 'no-artifact'> {
    const rebuilt = await this.stream.rebuild(id);
    if (!rebuilt) return 'no-artifact';
    // The reverse lineage index is derived from parent links too; ADD makes re-adding harmless.
    const parents = (rebuilt.state.links ?? []).filter((link) => link.kind === 'parent').map((link) => link.targetId);
    if (parents.length > 0) await this.links.addChild(parents, id);
    // Backfills the URL-holder index (artifactByUrl as of a past instant) for streams older than it.
    for (const key of new Set(urlKeysHeld(rebuilt.events))) await this.claims.recordHolder(key, id);
    return rebuilt.outcome;
  }
}
