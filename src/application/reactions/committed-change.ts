import { foldEvents } from '../../domain/artifact-state.js';
import type { ArtifactId } from '../../domain/ids.js';
import type { RegistryStore } from '../registry-store.js';
import { handlesEvent, type CommittedChange } from './reactor.js';

/**
 * A committed event read back for a replay, with the state right after it. The projection is caught
 * up first, so a reactor announcing it (search) never announces a projection not yet written.
 * Undefined when the stream holds no such event.
 */
export async function committedChangeAt(store: RegistryStore, id: ArtifactId, version: number): Promise<CommittedChange | undefined> {
  await store.loadCurrent(id);
  const events = await store.events.readStream(id);
  const event = events.find((candidate) => candidate.version === version);
  if (!event) return undefined;
  return store.reactions.change(event, foldEvents(undefined, events.filter((candidate) => candidate.version <= version)));
}

/** Replays every registered reaction to one committed event (the stream function); throws the first failure. */
export async function replayReactions(store: RegistryStore, change: CommittedChange): Promise<void> {
  for (const reactor of store.reactions.reactors) if (handlesEvent(reactor, change.event.type)) await reactor.react(change);
}
