import type { BlobStore } from '../../store/blob-store.js';
import type { WebhookStore } from '../../store/webhook-store.js';
import type { Clock } from '../clock.js';
import { webhookFanOut } from '../webhooks/webhook-fan-out.js';
import type { ArtifactCommands } from '../artifact-commands.js';
import { LinkResolution } from '../link-resolution.js';
import type { RegistryStore } from '../registry-store.js';
import { BlobReleaseReactor } from './blob-release-reactor.js';
import { LinkResolutionReactor } from './link-resolution-reactor.js';
import type { Reactor } from './reactor.js';
import { SearchChangeReactor } from './search-change-reactor.js';

/**
 * What reactors may use: one epoch's stores, and where the process has them, its commands and the
 * bucket. The AWS stream function has only the table (src/lambda/projector.ts): it runs the
 * reactors that need nothing else.
 */
export interface ReactorPorts {
  readonly store: RegistryStore;
  readonly commands?: ArtifactCommands;
  readonly blobs?: BlobStore;
  readonly webhooks?: WebhookStore;
  readonly clock?: Clock;
}

/**
 * Every reactor, in the order they run after a commit: the one place a reaction is registered (a
 * reactor whose ports the process lacks is left out). The search change comes first, so an index
 * hears of a commit however long the others take.
 */
const REACTORS: readonly ((ports: ReactorPorts) => Reactor | undefined)[] = [
  ({ store }) => new SearchChangeReactor(store.searchChanges),
  ({ store, commands }) => commands && new LinkResolutionReactor(new LinkResolution(store, commands), commands),
  ({ store, blobs }) => blobs && new BlobReleaseReactor(store.blobRefs, blobs),
  ({ webhooks, clock }) => webhooks && clock && webhookFanOut(() => webhooks, clock),
];

export function registeredReactors(ports: ReactorPorts): Reactor[] {
  return REACTORS.flatMap((make) => make(ports) ?? []);
}
