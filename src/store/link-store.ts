import type { ArtifactId } from '../domain/ids.js';
import type { DeclaredReference, LinkKind } from '../domain/artifact-links.js';
import type { Entities } from './entities.js';
import { untilProcessed } from './batch.js';

/** A model waiting for an artifact it declared, as stored under one reference key. */
export interface PendingReference {
  readonly modelId: ArtifactId;
  readonly kind: LinkKind;
  readonly reference: string;
  readonly relationship: string;
  readonly source: string;
}

const KINDS: readonly string[] = ['parent', 'dataset', 'code'];
const isKind = (kind: string): kind is LinkKind => KINDS.includes(kind);

/**
 * Items that resolve links in both directions without scans: pending references (who waits for a
 * key) and the reverse lineage index (which models name an artifact as a parent).
 */
export class LinkStore {
  constructor(private readonly entities: Entities) {}

  /** One put per key of each declared reference; writing one again is harmless (same item). */
  async addPending(modelId: ArtifactId, references: readonly DeclaredReference[]): Promise<void> {
    const items = references.flatMap(({ kind, reference, relationship, source, keys }) =>
      keys.map((referenceKey) => ({ referenceKey, modelId, kind, reference, relationship, source })),
    );
    await untilProcessed(items, async (batch) => {
      const { unprocessed } = await this.entities.pendingReference.put([...batch]).go();
      const left = new Set(unprocessed.map((key) => `${String(key.referenceKey)}|${String(key.modelId)}`));
      return batch.filter((item) => left.has(`${item.referenceKey}|${item.modelId}`));
    }, `pending references of ${modelId}`);
  }

  /** Models waiting for `key`: one consistent Query (a waiter written a moment ago must be seen). */
  async waitingFor(key: string): Promise<PendingReference[]> {
    const { data } = await this.entities.pendingReference.query.byKey({ referenceKey: key }).go({ pages: 'all', consistent: true });
    return data.flatMap((item) =>
      isKind(item.kind) ? [{ modelId: item.modelId as ArtifactId, kind: item.kind, reference: item.reference, relationship: item.relationship, source: item.source }] : [],
    );
  }

  /**
   * Records `childId` under each parent, with an atomic set ADD: concurrent children of one parent
   * never overwrite each other, and adding an id twice is a no-op.
   */
  async addChild(parentIds: readonly ArtifactId[], childId: ArtifactId): Promise<void> {
    await Promise.all(parentIds.map((artifactId) => this.entities.artifactChildren.update({ artifactId }).add({ childIds: [childId] }).go({ response: 'none' })));
  }

  /** Children recorded under each parent, for up to 100 parents in one BatchGetItem; order follows `ids`. */
  async childrenOf(ids: readonly ArtifactId[]): Promise<ArtifactId[][]> {
    if (ids.length === 0) return [];
    const found = new Map<string, ArtifactId[]>();
    await untilProcessed(ids.map((artifactId) => ({ artifactId: artifactId as string })), async (keys) => {
      const { data, unprocessed } = await this.entities.artifactChildren.get([...keys]).go();
      for (const item of data) found.set(item.artifactId, (item.childIds ?? []) as ArtifactId[]);
      return unprocessed.map((key) => ({ artifactId: String(key.artifactId) }));
    }, 'children batch get');
    return ids.map((id) => found.get(id) ?? []);
  }
}
