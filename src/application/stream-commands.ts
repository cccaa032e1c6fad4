import type { Result } from '../domain/result.js';
import { backoff, type RetryPolicy } from '../store/backoff.js';
import type { EventStream, StreamEvent } from '../store/event-stream.js';

/** What one aggregate plugs into the core: its events, its projection, its fold. */
export interface StreamAggregate<Id extends string, E extends StreamEvent, S extends { readonly version: number }> {
  readonly events: EventStream<Id, E>;
  /** The stored projection, read consistently (it decides writes). */
  loadProjection(id: Id): Promise<S | undefined>;
  /** Writes the projection of `state` (and whatever else `events` change), version-guarded. */
  project(state: S, events: readonly E[]): Promise<'written' | 'already-newer'>;
  /** Pure: state after `events`; undefined when they make no aggregate (a refused ingest). */
  fold(state: S | undefined, events: readonly E[]): S | undefined;
  /**
   * Puts committed events on the change feed. Called after their append and before the projection
   * that absorbs them: an event a crash left off the feed leaves its projection behind, and
   * whatever repairs the projection (loadCurrent, rebuild) puts it on the feed.
   */
  record?(events: readonly E[]): Promise<void>;
  /** Runs what follows a commit (the reactors), after the projection; never throws. */
  afterCommit?(event: E, state: S): Promise<void>;
}

/** A commit either made `state` current or lost the version to a concurrent writer. */
export type CommitOutcome<S> = { readonly committed: S } | { readonly taken: true; readonly winnerVersion: number };

/**
 * Load with repair and commit, the same for every stream: the event's conditional put is the
 * commit point, the projection follows it and can always be rebuilt from the events.
 */
export class StreamCommands<Id extends string, E extends StreamEvent, S extends { readonly version: number }> {
  constructor(private readonly aggregate: StreamAggregate<Id, E, S>) {}

  get events(): EventStream<Id, E> {
    return this.aggregate.events;
  }

  /**
   * The true current state: the projection plus any events it has not absorbed yet (both read
   * consistently). A lagging projection (its writer died after committing the event) is repaired here.
   */
  async loadCurrent(id: Id): Promise<S | undefined> {
    const projected = await this.aggregate.loadProjection(id);
    const tail = await this.aggregate.events.readStream(id, projected?.version ?? 0);
    if (tail.length === 0) return projected;
    const state = this.aggregate.fold(projected, tail);
    if (state) {
      await this.aggregate.record?.(tail);
      await this.aggregate.project(state, tail);
    }
    return state;
  }

  /**
   * Refolds one projection from its whole stream; writes it only if the stored one lags. Events the
   * stored projection never absorbed (an import, a writer that died) go on the feed first, and their
   * reactions run here, after the projection, as they would have after their commit.
   */
  async rebuild(id: Id): Promise<{ state: S; events: readonly E[]; outcome: 'written' | 'already-newer' } | undefined> {
    const events = await this.aggregate.events.readStream(id);
    const state = this.aggregate.fold(undefined, events);
    if (!state) return undefined;
    const absorbed = this.aggregate.record || this.aggregate.afterCommit ? ((await this.aggregate.loadProjection(id))?.version ?? 0) : Number.POSITIVE_INFINITY;
    const unabsorbed = events.filter((event) => event.version > absorbed);
    if (unabsorbed.length > 0) await this.aggregate.record?.(unabsorbed);
    const outcome = await this.aggregate.project(state, events);
    if (this.aggregate.afterCommit && unabsorbed.length > 0) {
      let after: S | undefined;
      for (const event of events) {
        after = this.aggregate.fold(after, [event]);
        if (after && event.version > absorbed) await this.aggregate.afterCommit(event, after);
      }
    }
    return { state, events, outcome };
  }

  /**
   * Appends `event` (at `state.version + 1`), puts it on the feed, projects, runs `settle`, then
   * what follows a commit. A lost race does none of these: the winner does them for its own event, and the
   * caller decides whether to reload and try again.
   */
  async commit(state: S | undefined, event: E, settle?: (committed: S) => Promise<void>): Promise<CommitOutcome<S>> {
    const outcome = await this.aggregate.events.append(event);
    if (outcome !== 'appended') return outcome;
    const next = this.aggregate.fold(state, [event]);
    if (!next) throw new Error(`event ${event.type} at version ${event.version} folds to no state`);
    await this.aggregate.record?.([event]);
    await this.aggregate.project(next, [event]);
    // The aggregate's own bookkeeping (an artifact's old URL claim) before reactions that may take seconds.
    await settle?.(next);
    await this.aggregate.afterCommit?.(event, next);
    return { committed: next };
  }
}

/**
 * Runs `attempt` (which loads, decides and commits) until it succeeds or fails with anything but a
 * lost race (CONFLICT), at most `policy.attempts` times, with a jittered backoff in between.
 */
export async function retryOnConflict<T>(policy: RetryPolicy, attempt: (tryNumber: number) => Promise<Result<T>>): Promise<Result<T>> {
  for (let tryNumber = 1; ; tryNumber++) {
    const result = await attempt(tryNumber);
    if (result.ok || result.error.code !== 'CONFLICT' || tryNumber >= policy.attempts) return result;
    await backoff(policy, tryNumber);
  }
}
