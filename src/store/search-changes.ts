import type { ArtifactId } from '../domain/ids.js';
import type { StreamVersion } from '../domain/artifact-events.js';
import type { Entities } from './entities.js';

/** How long a change item lives (DynamoDB TTL); an index that fell further behind reloads. */
export const SEARCH_CHANGE_TTL_SECONDS = 24 * 60 * 60;

export interface SearchChange {
  readonly artifactId: ArtifactId;
  readonly version: StreamVersion;
  readonly changedAt: string;
}

/** The search change feed (the `searchChange` items): what changed, and when it was written. */
export class SearchChanges {
  constructor(private readonly entities: Entities) {}

  async record(artifactId: ArtifactId, version: StreamVersion, now: Date = new Date()): Promise<void> {
    await this.entities.searchChange
      .put({ changedAt: now.toISOString(), artifactId, version, ttl: Math.floor(now.getTime() / 1000) + SEARCH_CHANGE_TTL_SECONDS })
      .go({ response: 'none' });
  }

  /** Every change written at or after `since`, oldest first: one Query (more pages only after a burst), consistent, so a change committed before the request is seen. */
  async since(since: Date): Promise<SearchChange[]> {
    const { data } = await this.entities.searchChange.query.byTime({ feed: 'search' }).gte({ changedAt: since.toISOString() }).go({ pages: 'all', consistent: true });
    return data.map((item) => ({ artifactId: item.artifactId as ArtifactId, version: item.version, changedAt: item.changedAt }));
  }
}
