import { createHash } from 'node:crypto';
import type { ArtifactId } from '../domain/ids.js';
import type { StreamVersion } from '../domain/artifact-events.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';
import { VERSION_PADDING } from './event-stream.js';

/**
 * Partitions the feed is split over. Fixed: a reader must know every shard, and changing the number
 * would move artifacts between shards (their order would no longer be one partition's). Four
 * partitions take four times one partition's write rate; the embedded poller pays four Queries a tick.
 */
export const FEED_SHARDS = 4;

/** How long a feed item lives (DynamoDB TTL): a reactor stopped for longer than this misses items. */
export const FEED_TTL_SECONDS = 7 * 24 * 60 * 60;

/** One committed event as the feed names it: where to read it, not the event itself. */
export interface FeedItem {
  readonly shard: number;
  readonly changedAt: string;
  readonly artifactId: ArtifactId;
  readonly version: StreamVersion;
  readonly eventType: string;
}

/** The shard an artifact's items go to: all of one artifact's items in one partition, in order. */
export function shardOf(artifactId: string): number {
  return createHash('sha256').update(artifactId).digest()[0]! % FEED_SHARDS;
}

/** Sorts as the item's sort key does: checkpoints compare positions as strings. */
export function positionOf(item: Pick<FeedItem, 'changedAt' | 'artifactId' | 'version'>): string {
  return `${item.changedAt}#${item.artifactId}#${String(item.version).padStart(VERSION_PADDING.length, VERSION_PADDING.char)}`;
}

/** Checkpoints of every reactor: reactor name → shard → position of the last item handled. */
export type Checkpoints = ReadonlyMap<string, ReadonlyMap<number, string>>;

/** The change feed (`feedChange` items) and the reactors' checkpoints on it (`feedCheckpoint`). */
export class ChangeFeed {
  constructor(private readonly entities: Entities) {}

  /** One item per event, written before the projection that absorbs them (see StreamCommands). */
  async record(events: readonly { readonly artifactId: ArtifactId; readonly version: StreamVersion; readonly type: string }[], now: Date = new Date()): Promise<void> {
    const ttl = Math.floor(now.getTime() / 1000) + FEED_TTL_SECONDS;
    await Promise.all(
      events.map((event) =>
        this.entities.feedChange
          .put({ shard: shardOf(event.artifactId), changedAt: now.toISOString(), artifactId: event.artifactId, version: event.version, eventType: event.type, ttl })
          .go({ response: 'none' }),
      ),
    );
  }

  /**
   * Up to `limit` items of one shard after `after` (a position; undefined: from the start), oldest
   * first. Consistent: an item written before the read is in it.
   */
  async read(shard: number, after: string | undefined, limit: number): Promise<FeedItem[]> {
    const query = this.entities.feedChange.query.byTime({ feed: 'changes', shard });
    const [changedAt, artifactId, version] = after?.split('#') ?? [];
    const ranged = changedAt && artifactId && version ? query.gt({ changedAt, artifactId, version: Number(version) }) : query;
    const { data } = await ranged.go({ limit, consistent: true });
    return data.map((item) => ({ shard, changedAt: item.changedAt, artifactId: item.artifactId as ArtifactId, version: item.version, eventType: item.eventType }));
  }

  /** Every checkpoint of every reactor: one consistent Query. */
  async checkpoints(): Promise<Checkpoints> {
    const { data } = await this.entities.feedCheckpoint.query.byFeed({ feed: 'changes' }).go({ pages: 'all', consistent: true });
    const all = new Map<string, Map<number, string>>();
    for (const item of data) {
      const shards = all.get(item.reactor) ?? new Map<number, string>();
      shards.set(item.shard, item.position);
      all.set(item.reactor, shards);
    }
    return all;
  }

  /** Moves a checkpoint forward; false when it already stood at or past `position` (another poller). */
  advance(reactor: string, shard: number, position: string, now: Date = new Date()): Promise<boolean> {
    return conditionHeld(
      this.entities.feedCheckpoint
        .put({ reactor, shard, position, updatedAt: now.toISOString() })
        .where((attr, op) => `${op.notExists(attr.position)} OR ${op.lt(attr.position, position)}`)
        .go({ response: 'none' }),
    );
  }
}
