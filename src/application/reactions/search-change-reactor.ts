import type { SearchChanges } from '../../store/search-changes.js';
import type { CommittedChange, Reactor } from './reactor.js';

/**
 * Announces to search indexes that a projection changed (the `searchChange` items they catch up
 * from, docs/search.md). It runs after the projection is written (inline after the commit; a replay
 * catches the projection up first), so an index that reads the change finds the state it announces.
 * Downloads and refusals change nothing a search sees. Idempotent: a second item for one version
 * makes an index re-read one projection.
 */
export class SearchChangeReactor implements Reactor {
  readonly name = 'search-change';
  readonly handles = ['ArtifactRegistered', 'ArtifactUpdated', 'ArtifactDeleted', 'ModelRated', 'ArtifactLinked', 'FileAdded', 'MirrorStatusChanged'] as const;

  constructor(private readonly changes: SearchChanges) {}

  async react({ event }: CommittedChange): Promise<void> {
    await this.changes.record(event.artifactId, event.version);
  }
}
