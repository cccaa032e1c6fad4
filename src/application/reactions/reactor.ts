import type { ArtifactEvent, ArtifactEventType } from '../../domain/artifact-events.js';
import type { ArtifactState } from '../../domain/artifact-state.js';
/** A committed event and the artifact's state right after it (undefined only for a refused ingest's audit stream). */
export interface CommittedChange { readonly epoch: number; readonly event: ArtifactEvent; readonly state: ArtifactState | undefined; }
/** Reacts to committed events; runs at least once per event (inline after the commit, replayed from the feed), so it must be idempotent. */
export interface Reactor { readonly name: string; readonly handles: readonly ArtifactEventType[] | 'every event'; react(change: CommittedChange): Promise<void>; }
