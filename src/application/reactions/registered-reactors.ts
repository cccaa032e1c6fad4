import type { BlobStore } from '../../store/blob-store.js';
import type { ArtifactCommands } from '../artifact-commands.js';
import { LinkResolution } from '../link-resolution.js';
import type { RegistryStore } from '../registry-store.js';
import { BlobReleaseReactor } from './blob-release-reactor.js';
import { LinkResolutionReactor } from './link-resolution-reactor.js';
import type { Reactor } from './reactor.js';
import { SearchChangeReactor } from './search-change-reactor.js';

/** What reactors may use: one epoch's stores and commands, the bucket. */
export interface ReactorPorts {
  readonly store: RegistryStore;
  readonly commands: ArtifactCommands;
  readonly blobs: BlobStore;
}

/**
 * Every reactor, in the order they run after a commit: the one place a reaction is registered.
 * The search change comes first, so an index hears of a commit however long the others take.
 */
export function registeredReactors({ store, commands, blobs }: ReactorPorts): Reactor[] {
  return [
    new SearchChangeReactor(store.searchChanges),
    new LinkResolutionReactor(new LinkResolution(store, commands), commands),
    new BlobReleaseReactor(store.blobRefs, blobs),
  ];
}
