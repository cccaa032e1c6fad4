import type { ArtifactId } from '../domain/ids.js';
import type { DeclaredReference, LinkKind } from '../domain/artifact-links.js';
import type { Entities } from './entities.js';

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
    let pending = items;
    // BatchWriteItem may leave items unprocessed under throttling: write those again until none is left.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 5) throw new Error(`pending references of ${modelId}: ${pending.length} items still unprocessed`);
      const { unprocessed } = await this.entities.pendingReference.put(pending).go();
      const left = new Set(unprocessed.map((key) => `${String(key.referenceKey)}|${String(key.modelId)}`));
      pending = pending.filter((item) => left.has(`${item.referenceKey}|${item.modelId}`));
    }
  }

  /** Models waiting for `key`: one Query. */
  async waitingFor(key: string): Promise<PendingReference[]> {
    const { data } = await this.entities.pendingReference.query.byKey({ referenceKey: key }).go({ pages: 'all' });
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
    const { data, unprocessed } = await this.entities.artifactChildren.get(ids.map((artifactId) => ({ artifactId }))).go({ preserveBatchOrder: true });
    let retried = new Map<string, ArtifactId[]>();
    if (unprocessed.length > 0) {
      const again = await this.childrenOf(unprocessed.map((key) => key.artifactId as ArtifactId));
      retried = new Map(unprocessed.map((key, i) => [key.artifactId, again[i]!]));
    }
    return data.map((item, i) => (item ? ((item.childIds ?? []) as ArtifactId[]) : (retried.get(ids[i]!) ?? [])));
  }
}
