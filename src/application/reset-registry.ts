import type { Clock } from './clock.js';
import type { RegistryEpochStore } from '../store/registry-epoch.js';
import type { TokenStore } from '../store/token-store.js';

export interface ResetDeps {
  readonly epochs: RegistryEpochStore;
  readonly tokens: TokenStore;
  readonly ensureDefaultAdmin: (epoch: number) => Promise<void>;
  /** Moves the token into `epoch` when it is the default administrator's (see Authentication.carryToken). */
  readonly carryToken: (token: string, epoch: number) => Promise<void>;
  /** Drops what this process remembers of users: every token of the old epoch must fail at once here. */
  readonly forgetUsers: () => void;
  readonly clock: Clock;
  /** Deletes the data of every epoch but the given one. */
  readonly deleteStaleEpochs: (keepEpoch: number) => Promise<number>;
  /** Deletes every bucket object last modified before the given instant. */
  readonly deleteStaleObjects: (before: Date) => Promise<number>;
  /** The default administrator's token that performs the reset: it keeps working after it. */
  readonly keepToken?: string | undefined;
}

/**
 * Empties the registry without ever exposing a half-empty one:
 * 1. advance the epoch: from this conditional write on, every request reads and writes the new,
 *    empty key space, and tokens issued in the old epoch stop working;
 * 2. create the default administrator in the new epoch, and move the token of the default
 *    administrator who resets (if it is one) into it;
 * 3. delete the old epochs' tokens and data, which nothing reads any more;
 * 4. delete every bucket object (staged uploads, blobs, package archives) older than the reset.
 *    Objects are not epoch-scoped, but every reference to them lived in the old epoch. An upload
 *    of the new epoch that races the reset is written after it started, so it is kept. S3's
 *    LastModified has one-second resolution, so the cut-off is the start of the second the reset
 *    began in: objects of that second stay (as unreachable garbage for the next reset).
 * A concurrent reset that advanced the epoch first is as good as ours; calling it twice is safe.
 */
export async function resetRegistry(deps: ResetDeps): Promise<{ epoch: number }> {
  const startedAt = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);
  const from = await deps.epochs.current();
  const advanced = await deps.epochs.advance(from, deps.clock.now().toISOString());
  const epoch = advanced ? from + 1 : await deps.epochs.current();
  deps.forgetUsers();
  await deps.ensureDefaultAdmin(epoch);
  // Before the old epoch's tokens are deleted, so the kept one is never among them.
  if (deps.keepToken !== undefined) await deps.carryToken(deps.keepToken, epoch);
  for await (const hashes of deps.tokens.staleHashes(epoch)) await deps.tokens.delete(hashes);
  await deps.deleteStaleEpochs(epoch);
  await deps.deleteStaleObjects(startedAt);
  return { epoch };
}
