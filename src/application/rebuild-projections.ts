import type { RegistryStore } from './registry-store.js';

export interface RebuildReport {
  readonly streams: number;
  readonly repaired: number;
}

/**
 * Refolds every artifact's projection from its events. Safe while the registry serves traffic:
 * projection writes are conditioned on their version, so a rebuild never overwrites newer state.
 */
export async function rebuildProjections(
  store: RegistryStore,
  concurrency = 8,
  onPage: (streamsSoFar: number) => void = () => {},
): Promise<RebuildReport> {
  let streams = 0;
  let repaired = 0;
  for await (const ids of store.events.allStreamIds()) {
    for (let i = 0; i < ids.length; i += concurrency) {
      const outcomes = await Promise.all(ids.slice(i, i + concurrency).map((id) => store.rebuildProjection(id)));
      streams += outcomes.length;
      repaired += outcomes.filter((outcome) => outcome === 'written').length;
    }
    if (ids.length > 0) onPage(streams);
  }
  return { streams, repaired };
}
