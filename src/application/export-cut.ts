import type { PortableItem } from '../store/portable-items.js';

/** When an item was stored, for the items that say (events, audit records, blob references). */
function storedAt(attributes: Record<string, unknown>): string | undefined {
  const at = attributes['at'] ?? attributes['addedAt'];
  return typeof at === 'string' ? at : undefined;
}

/** The stream an event belongs to; undefined for records outside a stream. */
function streamOf(item: PortableItem): string | undefined {
  const { streamId, aliasName, alias } = item.attributes;
  if (item.entity === 'aliasEvent') return typeof aliasName === 'string' && typeof alias === 'string' ? `${item.entity}:${aliasName}:${alias}` : undefined;
  if (item.entity === 'artifactEvent' || item.entity === 'userEvent') return typeof streamId === 'string' ? `${item.entity}:${streamId}` : undefined;
  return undefined;
}

/**
 * Which items the cut keeps: those stamped at or before it, and of a stream only the prefix before
 * its first event past the cut. Each event is stamped after its predecessor committed, but on its
 * own writer's clock: an event that a few milliseconds of skew put before the cut must not follow a
 * predecessor left after it. A scan returns a stream's events in version order, so the first one
 * past the cut is seen before any that follow it; only streams cut short are remembered.
 */
export function cutAt(asOf: string): (item: PortableItem) => boolean {
  const cutShort = new Set<string>();
  return (item) => {
    const at = storedAt(item.attributes);
    const inTime = at === undefined || at <= asOf;
    const stream = streamOf(item);
    if (stream === undefined) return inTime;
    if (!inTime) cutShort.add(stream);
    return !cutShort.has(stream);
  };
}
