import type { ArtifactEvent } from '../../domain/artifact-events.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
import { killBeforeReactionIfAsked } from './kill-point.js';
import { handlesEvent, type CommittedChange, type Reactor } from './reactor.js';

/** What this process did inline for one reactor and event: the replay skips it, or waits for it. */
export type InlineOutcome = 'running' | 'done';

/** How long an inline outcome is remembered: well past the moment the replay reaches its item. */
const REMEMBER_INLINE_MS = 10 * 60 * 1000;

/**
 * The reactors of one epoch and their inline run: after each commit, every reactor that handles the
 * event reacts, in the order registered, before the command answers. A reactor that fails is
 * logged, not the command's failure: the event is on the change feed, and the replay
 * (FeedReplay) runs the reaction again. What ran inline is remembered for a while, so this
 * process's replay does not run it a second time; after a crash nothing is remembered and the
 * replay runs everything past the checkpoints (at least once).
 */
export class Reactions {
  private registered: readonly Reactor[] = [];
  private epoch = 0;
  private readonly inline = new Map<string, { outcome: InlineOutcome; atMs: number }>();

  constructor(private readonly log: (line: string) => void = console.error) {}

  /** The wiring's one registration (src/application/reactions/registered-reactors.ts). */
  use(epoch: number, reactors: readonly Reactor[]): void {
    this.epoch = epoch;
    this.registered = reactors;
  }

  get reactors(): readonly Reactor[] {
    return this.registered;
  }

  change(event: ArtifactEvent, state: ArtifactState | undefined): CommittedChange {
    return { epoch: this.epoch, event, state };
  }

  /** Runs every reactor that handles `event`, just committed; never throws. */
  async afterCommit(event: ArtifactEvent, state: ArtifactState | undefined): Promise<void> {
    const change = this.change(event, state);
    for (const reactor of this.registered) {
      if (!handlesEvent(reactor, event.type)) continue;
      killBeforeReactionIfAsked(reactor.name);
      const key = inlineKey(reactor.name, event.artifactId, event.version);
      this.inline.set(key, { outcome: 'running', atMs: Date.now() });
      try {
        await reactor.react(change);
        this.inline.set(key, { outcome: 'done', atMs: Date.now() });
      } catch (error) {
        // Forgotten, so the replay runs it again.
        this.inline.delete(key);
        this.log(`reaction ${reactor.name} to ${event.type} of ${event.artifactId} v${event.version} failed; the change feed replays it: ${String(error)}`);
      }
    }
  }

  inlineOutcome(reactor: string, artifactId: string, version: number): InlineOutcome | undefined {
    return this.inline.get(inlineKey(reactor, artifactId, version))?.outcome;
  }

  /** Forgets finished inline outcomes the replay has long passed. */
  forgetOld(nowMs: number = Date.now()): void {
    for (const [key, entry] of this.inline) if (entry.outcome === 'done' && nowMs - entry.atMs > REMEMBER_INLINE_MS) this.inline.delete(key);
  }
}

const inlineKey = (reactor: string, artifactId: string, version: number) => `${reactor}\u0000${artifactId}\u0000${version}`;
