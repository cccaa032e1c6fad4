import type { Registry } from '../registry.js';

/** How often `npm start` replays the change feed: a reaction a crash cut short runs within seconds. */
export const REPLAY_INTERVAL_MS = 2_000;

export interface ReactionPoller {
  /** Stops polling and waits for a pass in flight, so the stores can close under no reaction. */
  stop(): Promise<void>;
}

/**
 * The embedded stand-in for the DynamoDB-stream function: every interval, the current epoch's
 * reactors catch up from their checkpoints on the change feed (FeedReplay). The first pass runs at
 * once, so what the last process committed and never reacted to runs right after start-up (once
 * its items are settled). Failures are logged, never fatal.
 */
export function pollReactions(registry: Registry, intervalMs: number = REPLAY_INTERVAL_MS, log: (line: string) => void = console.error): ReactionPoller {
  let pass: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    pass = registry
      .currentScope()
      .then((scope) => scope.replay.catchUp())
      .then((report) => {
        if (report.replayed > 0) log(`replay: ${report.replayed} reactions replayed from the change feed`);
      })
      .catch((error: unknown) => {
        if (!stopped) log(`replay failed, retried in ${intervalMs} ms: ${String(error)}`);
      })
      .finally(() => {
        if (stopped) return;
        // The next pass waits for this one: a slow pass never overlaps the next.
        timer = setTimeout(run, intervalMs);
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
