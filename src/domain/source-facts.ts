import type { GatedAccess, RepoFile } from './rating/model-evidence.js';

/** What the Hub's dataset-info API says about a dataset (`GET /api/datasets/<id>`). */
export interface HubDatasetFacts {
  readonly repoId: string;
  readonly sha?: string;
  readonly author?: string;
  readonly downloads: number;
  readonly likes: number;
  readonly lastModified?: string;
  readonly gated: GatedAccess;
  readonly license?: string;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly files: readonly RepoFile[];
  readonly usedStorageBytes?: number;
}

/** What GitHub's repository API says about a repository (`GET /repos/<owner>/<repo>`). */
export interface GitHubRepoFacts {
  readonly fullName: string;
  readonly description?: string;
  readonly stars: number;
  readonly forks: number;
  readonly archived: boolean;
  readonly pushedAt?: string;
  /** SPDX id GitHub detected; `NOASSERTION` when it found a license file it could not classify. */
  readonly license?: string;
  readonly defaultBranch?: string;
  /** GitHub reports repository size in kilobytes; stored as bytes. */
  readonly sizeBytes?: number;
}
