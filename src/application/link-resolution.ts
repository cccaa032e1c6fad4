import type { ArtifactRef } from '../domain/global-id.js';
import { answeringKeys, declaredReferences, TARGET_TYPE, type ArtifactLink, type DeclaredReference } from '../domain/artifact-links.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { normalizeName } from '../domain/artifact-name.js';
import { parseArtifactUrl, type ParsedArtifactUrl } from '../domain/artifact-url.js';
import type { ActorId, ArtifactId } from '../domain/ids.js';
import type { Result } from '../domain/result.js';
import type { RegistryStore } from './registry-store.js';

/** The write-side operations link resolution needs (ArtifactCommands provides them). */
export interface Linker {
  /** Appends the links the model lacks (with `declaredOnly`, those its current source still declares); `added` is how many were new. */
  link(modelId: ArtifactId, links: readonly ArtifactLink[], actor: ActorId, declaredOnly?: boolean): Promise<Result<{ state: ArtifactState | undefined; added: number }>>;
  rate(model: ArtifactRef, actor: ActorId): Promise<Result<ArtifactState>>;
}

/**
 * Resolves references in both directions after an ingest (or a URL change) commits. Ordering makes the two directions
 * meet under concurrency: a model writes its pending items *before* looking its targets up, and a
 * target is committed (projection written) *before* it queries the pending items. Whichever runs
 * second sees the other, and linking is idempotent, so seeing each other both ways is harmless.
 */
export class LinkResolution {
  constructor(
    private readonly store: RegistryStore,
    private readonly linker: Linker,
  ) {}

  /**
   * Returns the newly registered artifact's state after its own links (its version may have moved).
   * `ratedWithParents`: the registered parents the ingest rating saw; a parent linked now that it did
   * not see (registered while the model was being read) makes the model be rated again; unknown
   * (a replay after a crash): any parent it links now does.
   */
  async afterIngest(state: ArtifactState, parsed: ParsedArtifactUrl, actor: ActorId, ratedWithParents: ReadonlySet<string> | undefined): Promise<ArtifactState> {
    const own = await this.resolveDeclared(state, actor, ratedWithParents);
    await this.resolveWaiting(state, parsed, actor);
    return own;
  }

  /** The new model's own references: pending items for all, then links to those already registered. */
  private async resolveDeclared(state: ArtifactState, actor: ActorId, ratedWithParents: ReadonlySet<string> | undefined): Promise<ArtifactState> {
    const references = declaredReferences(state.metadata);
    if (references.length === 0) return state;
    // Pending items are kept after they resolve: a target deleted and registered again is linked
    // again, and a kept item costs one small write per declared reference.
    await this.store.links.addPending(state.id, references);
    const targets = await Promise.all(references.map((reference) => this.findTarget(reference)));
    const links = references.flatMap((reference, i): ArtifactLink[] => {
      const target = targets[i];
      return target && target !== state.id ? [{ kind: reference.kind, targetId: target, relationship: reference.relationship, source: reference.source, reference: reference.reference }] : [];
    });
    if (links.length === 0) return state;
    const linked = await this.linker.link(state.id, links, actor, true);
    if (!linked.ok || !linked.value.state) return state;
    // Nothing new (a replay of a resolution that ran): nothing to rate again either.
    if (linked.value.added === 0) return linked.value.state;
    const unseen = links.some((link) => link.kind === 'parent' && !(ratedWithParents?.has(link.targetId) ?? false));
    if (unseen && state.rating) {
      const rerated = await this.linker.rate({ id: state.id, type: 'MODEL' }, actor);
      if (rerated.ok) return rerated.value;
    }
    return linked.value.state;
  }

  /** Models that declared the new artifact before it existed: link them, then re-rate them. */
  private async resolveWaiting(state: ArtifactState, parsed: ParsedArtifactUrl, actor: ActorId): Promise<void> {
    const waiting = (await Promise.all(answeringKeys(state, parsed).map((key) => this.store.links.waitingFor(key)))).flat();
    const byModel = new Map<ArtifactId, ArtifactLink[]>();
    for (const pending of waiting) {
      if (pending.modelId === state.id || TARGET_TYPE[pending.kind] !== state.type) continue;
      const links = byModel.get(pending.modelId) ?? [];
      links.push({ kind: pending.kind, targetId: state.id, relationship: pending.relationship, source: pending.source, reference: pending.reference });
      byModel.set(pending.modelId, links);
    }
    await Promise.all(
      [...byModel].map(async ([modelId, links]) => {
        const linked = await this.linker.link(modelId, links, actor, true);
        // treeScore and the dataset/code metrics depend on what is linked: rate again. A failed
        // re-rating (Hub unreachable) keeps the link; rateModel can refresh the rating later.
        if (linked.ok && linked.value.added > 0) await this.linker.rate({ id: modelId, type: 'MODEL' }, actor);
      }),
    );
  }

  /** The registered artifact a reference names: by URL index, and for datasets by normalized name. */
  private async findTarget(reference: DeclaredReference): Promise<ArtifactId | undefined> {
    const type = TARGET_TYPE[reference.kind];
    const url =
      reference.kind === 'parent'
        ? `https://huggingface.co/${reference.reference}`
        : reference.kind === 'dataset'
          ? `https://huggingface.co/datasets/${reference.reference}`
          : reference.reference;
    const parsed = parseArtifactUrl(url, type);
    if (parsed.ok) {
      const found = await this.store.projections.findLiveByUrl(parsed.value.key);
      if (found && found.type === type) return found.id;
    }
    if (reference.kind !== 'dataset') return undefined;
    const normalizedName = normalizeName(reference.reference.split('/').pop() ?? reference.reference);
    const page = await this.store.projections.list({ scope: { kind: 'name', normalizedName }, types: ['DATASET'], first: 1 });
    const listed = page.ok ? page.value.items[0]?.state.id : undefined;
    if (!listed) return undefined;
    // The name index is eventually consistent: confirm on the base table that the dataset still answers to the name.
    const [state] = await this.store.projections.getMany([listed], { consistent: true });
    return state && !state.deleted && state.type === 'DATASET' && normalizeName(state.name) === normalizedName ? state.id : undefined;
  }
}
