import { FEED_SHARDS, positionOf, type FeedItem } from '../../store/change-feed.js';
import type { Clock } from '../clock.js';
import type { RegistryStore } from '../registry-store.js';
import { handlesEvent, type CommittedChange, type Reactor } from './reactor.js';
import { committedChangeAt } from './committed-change.js';

export interface FeedReplayOptions {
  /**
   * Only items older than this are replayed. An item's time is its writer's clock when it wrote it,
   * so a slow writer can add an item just behind the newest ones: the settled part no longer grows
   * at its front, and a checkpoint never passes an item written later. It also leaves inline
   * reactions the time to finish before the replay looks.
   */
  readonly settleMs: number;
  /** Items read per shard and pass. */
  readonly batchSize: number;
  /** Failures of one reaction to one item before it is logged as given up and passed. */
  readonly maxAttempts: number;
}

export const DEFAULT_FEED_REPLAY: FeedReplayOptions = { settleMs: 5_000, batchSize: 100, maxAttempts: 5 };

export interface ReplayReport {
  readonly replayed: number;
  readonly failed: number;
}

/**
 * Runs, for each reactor and shard, the reactions past its checkpoint that this process did not
 * run inline, then moves the checkpoint (at least once: a crash between a reaction and its
 * checkpoint runs the reaction again). Items are taken in feed order; a failing reaction stops its
 * reactor's shard there (so later items wait, and order is kept) until it succeeds or is given up.
 */
export class FeedReplay {
  private readonly attempts = new Map<string, number>();
  private running: Promise<ReplayReport> | undefined;

  constructor(
    private readonly store: RegistryStore,
    private readonly clock: Clock,
    private readonly options: FeedReplayOptions = DEFAULT_FEED_REPLAY,
    private readonly log: (line: string) => void = console.error,
  ) {}

  /** One pass over every shard; concurrent callers share it. */
  catchUp(): Promise<ReplayReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<ReplayReport> {
    const reactors = this.store.reactions.reactors;
    if (reactors.length === 0) return { replayed: 0, failed: 0 };
    this.store.reactions.forgetOld();
    const checkpoints = await this.store.feed.checkpoints();
    const settledBefore = new Date(this.clock.now().getTime() - this.options.settleMs).toISOString();
    let replayed = 0;
    let failed = 0;
    for (let shard = 0; shard < FEED_SHARDS; shard++) {
      const positions = reactors.map((reactor) => checkpoints.get(reactor.name)?.get(shard));
      // From the reactor furthest behind (a reactor with no checkpoint: from the start).
      const from = positions.includes(undefined) ? undefined : positions.reduce((a, b) => (a! < b! ? a : b));
      const read = await this.store.feed.read(shard, from, this.options.batchSize);
      const settled = read.slice(0, indexOrLength(read.findIndex((item) => item.changedAt >= settledBefore), read.length));
      if (settled.length === 0) continue;
      const changes = new Map<string, Promise<CommittedChange | undefined>>();
      const changeOf = (item: FeedItem) => {
        const key = positionOf(item);
        let change = changes.get(key);
        if (!change) changes.set(key, (change = this.load(item)));
        return change;
      };
      for (const [i, reactor] of reactors.entries()) {
        const outcome = await this.replay(reactor, shard, positions[i], settled, changeOf);
        replayed += outcome.replayed;
        failed += outcome.failed;
      }
    }
    return { replayed, failed };
  }

  private async replay(
    reactor: Reactor,
    shard: number,
    checkpoint: string | undefined,
    items: readonly FeedItem[],
    changeOf: (item: FeedItem) => Promise<CommittedChange | undefined>,
  ): Promise<ReplayReport> {
    let position = checkpoint;
    let replayed = 0;
    let failed = 0;
    for (const item of items) {
      const at = positionOf(item);
      if (checkpoint !== undefined && at <= checkpoint) continue;
      if (handlesEvent(reactor, item.eventType)) {
        const inline = this.store.reactions.inlineOutcome(reactor.name, item.artifactId, item.version);
        // Still running inline in this process: wait for it (it may yet fail and need the replay).
        if (inline === 'running') break;
        if (inline === undefined && !(await this.react(reactor, item, changeOf))) {
          failed += 1;
          break;
        }
        if (inline === undefined) replayed += 1;
      }
      position = at;
    }
    if (position !== undefined && position !== checkpoint) await this.store.feed.advance(reactor.name, shard, position, this.clock.now());
    return { replayed, failed };
  }

  /** True when the reaction ran, or failed too often and was given up (logged). */
  private async react(reactor: Reactor, item: FeedItem, changeOf: (item: FeedItem) => Promise<CommittedChange | undefined>): Promise<boolean> {
    const key = `${reactor.name}\u0000${positionOf(item)}`;
    try {
      const change = await changeOf(item);
      if (change) await reactor.react(change);
      this.attempts.delete(key);
      return true;
    } catch (error) {
      const attempts = (this.attempts.get(key) ?? 0) + 1;
      this.attempts.set(key, attempts);
      if (attempts < this.options.maxAttempts) {
        this.log(`replay: ${reactor.name} on ${item.eventType} of ${item.artifactId} v${item.version} failed (attempt ${attempts}), retried on the next pass: ${String(error)}`);
        return false;
      }
      this.attempts.delete(key);
      this.log(`replay: ${reactor.name} on ${item.eventType} of ${item.artifactId} v${item.version} given up after ${attempts} attempts: ${String(error)}`);
      return true;
    }
  }

  private load(item: FeedItem): Promise<CommittedChange | undefined> {
    return committedChangeAt(this.store, item.artifactId, item.version);
  }
}

const indexOrLength = (index: number, length: number) => (index === -1 ? length : index);
