import type { ArtifactId } from './ids.js';
import type { ArtifactMetadata } from './artifact-metadata.js';
import type { ArtifactState } from './artifact-state.js';
import type { ParsedArtifactUrl } from './artifact-url.js';
import { normalizeName } from './artifact-name.js';

/** What a model points at: a lineage parent, a training dataset, or its code. */
export type LinkKind = 'parent' | 'dataset' | 'code';

/**
 * One resolved reference of a model, as the `ArtifactLinked` event and the projection keep it. The
 * reference is what the model declared (a Hub id or a URL), so a declared-but-absent parent can be
 * told apart from a linked one.
 */
export interface ArtifactLink {
  readonly kind: LinkKind;
  readonly targetId: ArtifactId;
  /** For parents: finetune, quantized, adapter, merge, or `base` when only `base_model` names it. */
  readonly relationship: string;
  /** Where the model declared it: `card` (cardData), `tag` (a base_model:/dataset: tag), `card-link` (a GitHub link in the card). */
  readonly source: string;
  readonly reference: string;
}

/**
 * A reference a model declares, with the keys under which the artifact it names would be found.
 * Keys are lower-case, so `Meta-Llama/X` and `meta-llama/x` meet; a dataset is also found by its
 * normalized name, so a dataset registered from another host (Kaggle, GitHub) under the same name
 * satisfies a Hub dataset id.
 */
export interface DeclaredReference {
  readonly kind: LinkKind;
  readonly reference: string;
  readonly relationship: string;
  readonly source: string;
  readonly keys: readonly string[];
}

export const hubModelKey = (repoId: string): string => `hf-model:${repoId.toLowerCase()}`;
export const hubDatasetKey = (repoId: string): string => `hf-dataset:${repoId.toLowerCase()}`;
export const githubKey = (owner: string, repo: string): string => `github:${owner.toLowerCase()}/${repo.toLowerCase()}`;
export const datasetNameKey = (name: string): string => `dataset-name:${normalizeName(name)}`;

const GITHUB_URL = /^https?:\/\/(?:www\.)?github\.com\/([^/]+)\/([^/#?]+)/i;
const BASE_MODEL_TAG = /^base_model:(?:(finetune|quantized|adapter|merge):)?(.+)$/;

/** The parents, datasets and code a model's stored metadata declares; other artifacts declare none. */
export function declaredReferences(metadata: ArtifactMetadata | undefined): DeclaredReference[] {
  if (metadata?.source !== 'huggingface-model') return [];
  const references: DeclaredReference[] = [];
  const tagRelations = new Map<string, string>();
  for (const tag of metadata.tags) {
    const match = BASE_MODEL_TAG.exec(tag);
    if (match) tagRelations.set(match[2]!.toLowerCase(), match[1] ?? tagRelations.get(match[2]!.toLowerCase()) ?? 'base');
  }
  for (const parent of metadata.baseModels) {
    const relation = tagRelations.get(parent.toLowerCase());
    references.push({ kind: 'parent', reference: parent, relationship: relation ?? 'base', source: relation ? 'tag' : 'card', keys: [hubModelKey(parent)] });
  }
  const datasetTags = new Set(metadata.tags.filter((tag) => tag.startsWith('dataset:')).map((tag) => tag.slice('dataset:'.length).toLowerCase()));
  for (const dataset of metadata.datasets) {
    const lastSegment = dataset.split('/').pop() ?? dataset;
    references.push({
      kind: 'dataset',
      reference: dataset,
      relationship: 'training',
      source: datasetTags.has(dataset.toLowerCase()) ? 'tag' : 'card',
      keys: [hubDatasetKey(dataset), datasetNameKey(lastSegment)],
    });
  }
  const code = metadata.codeUrl ? GITHUB_URL.exec(metadata.codeUrl) : null;
  if (code) references.push({ kind: 'code', reference: metadata.codeUrl!, relationship: 'code', source: 'card-link', keys: [githubKey(code[1]!, code[2]!)] });
  return references;
}

/** The keys under which a newly registered artifact answers references waiting for it. */
export function answeringKeys(state: ArtifactState, parsed: ParsedArtifactUrl): string[] {
  const keys = new Set<string>();
  const { source } = parsed;
  if (state.type === 'MODEL' && source.kind === 'huggingface-model') keys.add(hubModelKey(source.repoId));
  if (state.metadata?.source === 'huggingface-model' && state.type === 'MODEL') keys.add(hubModelKey(state.metadata.repoId));
  if (state.type === 'DATASET') {
    if (source.kind === 'huggingface-dataset') keys.add(hubDatasetKey(source.repoId));
    if (state.metadata?.source === 'huggingface-dataset') keys.add(hubDatasetKey(state.metadata.repoId));
    keys.add(datasetNameKey(state.name));
  }
  if (state.type === 'CODE' && source.kind === 'github') keys.add(githubKey(source.owner, source.repo));
  if (state.type === 'CODE' && state.metadata?.source === 'github') {
    const [owner, repo] = state.metadata.fullName.split('/');
    if (owner && repo) keys.add(githubKey(owner, repo));
  }
  return [...keys];
}

/** Which artifact type a reference kind must resolve to. */
export const TARGET_TYPE = { parent: 'MODEL', dataset: 'DATASET', code: 'CODE' } as const satisfies Record<LinkKind, string>;

/** Adds links the state does not hold yet (same kind and target); linking is idempotent. */
export function newLinks(existing: readonly ArtifactLink[] | undefined, candidates: readonly ArtifactLink[]): ArtifactLink[] {
  const seen = new Set((existing ?? []).map((link) => `${link.kind}:${link.targetId}`));
  const fresh: ArtifactLink[] = [];
  for (const link of candidates) {
    const key = `${link.kind}:${link.targetId}`;
    if (!seen.has(key)) {
      seen.add(key);
      fresh.push(link);
    }
  }
  return fresh;
}
