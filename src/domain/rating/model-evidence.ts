import type { GitHubRepoFacts } from '../source-facts.js';

/**
 * Everything the metrics read about one model, fetched once before any metric runs. Metrics are pure
 * functions of this value: the same evidence always gives the same rating, and tests can hand-check
 * it. Absent evidence is explicit (a status), never a silent default.
 */

/** A file of the model repository; `sizeBytes` only when the Hub reported sizes (`?blobs=true`). */
export interface RepoFile {
  readonly path: string;
  readonly sizeBytes?: number;
}

/** Hub access control: `auto` approves requests at once, `manual` needs the author's approval. */
export type GatedAccess = 'open' | 'auto' | 'manual';

/** What the Hub's model-info API says about a model (`GET /api/models/<id>?blobs=true`). */
export interface HubModelFacts {
  /** The id the Hub answered with: the canonical one when a legacy id redirected. */
  readonly repoId: string;
  readonly sha?: string;
  readonly author?: string;
  readonly downloads: number;
  readonly likes: number;
  readonly createdAt?: string;
  readonly lastModified?: string;
  readonly gated: GatedAccess;
  /** `cardData.license`, else the `license:` tag; lower-case Hub/SPDX id such as `apache-2.0`. */
  readonly license?: string;
  /** `cardData.license_name`, which names a custom license when `license` is `other`. */
  readonly licenseName?: string;
  readonly pipelineTag?: string;
  readonly libraryName?: string;
  readonly tags: readonly string[];
  /** Training datasets the card declares (`cardData.datasets` and `dataset:` tags), as Hub ids. */
  readonly datasets: readonly string[];
  /** Lineage parents (`cardData.base_model` and `base_model:` tags), as Hub ids. */
  readonly baseModels: readonly string[];
  /** Metric values reported in the card's structured `model-index` results. */
  readonly evalResultCount: number;
  readonly arxivIds: readonly string[];
  readonly files: readonly RepoFile[];
  /** `safetensors.parameters`: parameter count per dtype (`F32`, `BF16`, ...). */
  readonly safetensorsParameters?: Readonly<Record<string, number>>;
  /** Bytes of all LFS objects the repository stores (every format and revision). */
  readonly usedStorageBytes?: number;
  readonly architectures: readonly string[];
  readonly modelType?: string;
}

/**
 * The model card (README). `absent`: the repository has none. `unavailable`: the repository lists a
 * card but it could not be read; metrics must not treat that as a missing card.
 */
export type CardEvidence =
  | { readonly status: 'present'; readonly text: string }
  | { readonly status: 'absent' }
  | { readonly status: 'unavailable'; readonly reason: string };

export interface ContributorFact {
  readonly login: string;
  readonly contributions: number;
}

export interface CommitFact {
  readonly sha: string;
  readonly parents: readonly string[];
  /** GitHub login of the commit's author when GitHub could match one, else the git author name. */
  readonly author: string;
  readonly message: string;
}

export interface ReviewFact {
  readonly reviewer: string;
  readonly state: string;
}

/** What GitHub says about the code repository a model card links to. */
export interface CodeRepoFacts extends GitHubRepoFacts {
  readonly readmeLength: number;
  /** Undefined when GitHub would not list them (it refuses for very large histories). */
  readonly contributors?: readonly ContributorFact[];
  /** True when more contributors exist than the pages read. */
  readonly contributorsTruncated: boolean;
  /** The most recent commits of the default branch, newest first; undefined when GitHub would not list them. */
  readonly commits?: readonly CommitFact[];
  /** Reviews of the pull requests those commits came from, for the PRs that were looked up. */
  readonly reviews: Readonly<Record<number, readonly ReviewFact[]>>;
}

/**
 * The model's code on GitHub. `unreadable`: the card links a repository GitHub does not serve (gone,
 * private). An unreachable GitHub is not evidence: it fails the ingest instead.
 */
export type CodeEvidence =
  | { readonly status: 'none' }
  | { readonly status: 'unreadable'; readonly url: string; readonly reason: string }
  | { readonly status: 'present'; readonly url: string; readonly repo: CodeRepoFacts };

export type DatasetCardEvidence =
  | { readonly id: string; readonly status: 'present'; readonly text: string }
  | { readonly id: string; readonly status: 'unavailable'; readonly reason: string };

/** A declared parent and, if it is registered, its rating's net score. */
export interface ParentEvidence {
  readonly hubId: string;
  readonly registered?: { readonly artifactId: string; readonly netScore?: number };
}

export interface ModelEvidence {
  readonly hub: HubModelFacts;
  readonly card: CardEvidence;
  readonly code: CodeEvidence;
  /** Cards of (at most a few of) the declared datasets. */
  readonly datasetCards: readonly DatasetCardEvidence[];
  readonly parents: readonly ParentEvidence[];
  /** When the evidence was gathered; recency is judged against it, never against the wall clock. */
  readonly observedAt: string;
}
