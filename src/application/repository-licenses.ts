import { appError, err, ok, type AppError, type Result } from '../domain/result.js';
import type { GitHubClient } from '../upstream/github-client.js';
import type { Clock } from './clock.js';
import { upstreamError } from './model-evidence.js';

/** A GitHub repository's license as GitHub detects it: its SPDX id, or undefined for none. */
export type LicenseAnswer = Result<string | undefined, AppError>;

export interface LicenseCacheOptions {
  /** How long an answer serves every request of this process: a license changes rarely. */
  readonly ttlMs: number;
  /** Beyond it the oldest answer goes first. */
  readonly maxEntries: number;
  /** Distinct repositories one request may ask about; more is QUERY_TOO_COMPLEX. */
  readonly maxRepositoriesPerRequest: number;
}

export const DEFAULT_LICENSE_CACHE: LicenseCacheOptions = { ttlMs: 5 * 60_000, maxEntries: 1_000, maxRepositoriesPerRequest: 5 };

interface Entry {
  readonly atMs: number;
  readonly answer: Promise<LicenseAnswer>;
}

/**
 * GitHub license answers per repository, shared by every request of this process for `ttlMs`, so
 * license checks cost GitHub at most two calls per repository and period, however many requests or
 * aliases ask. Concurrent askers share one lookup. A failing GitHub is never remembered.
 */
export class RepositoryLicenses {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly github: GitHubClient,
    private readonly clock: Clock,
    readonly options: LicenseCacheOptions = DEFAULT_LICENSE_CACHE,
  ) {}

  /** One request's view: its distinct repositories are counted against the per-request budget. */
  forRequest(): RequestLicenses {
    return new RequestLicenses(this);
  }

  licenseOf(owner: string, repo: string): Promise<LicenseAnswer> {
    // GitHub resolves owner and name case-insensitively: one repository, one entry.
    const key = `${owner}/${repo}`.toLowerCase();
    const now = this.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && now - cached.atMs < this.options.ttlMs) return cached.answer;
    const answer = this.lookUp(owner, repo);
    this.entries.delete(key);
    this.entries.set(key, { atMs: now, answer });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    void answer.then((result) => {
      if (!result.ok && result.error.code === 'UPSTREAM_UNAVAILABLE' && this.entries.get(key)?.answer === answer) this.entries.delete(key);
    });
    return answer;
  }

  private async lookUp(owner: string, repo: string): Promise<LicenseAnswer> {
    const missing = `no such repository: ${owner}/${repo}`;
    const license = await this.github.license(owner, repo);
    if (license.ok) return ok(license.value.spdxId);
    if (license.error.kind !== 'not-found') return err(upstreamError(license.error, missing));
    // GitHub answers `/license` 404 alike for a repository without a license file and for no
    // repository at all; the repository itself tells them apart (a second call, on this path only).
    const found = await this.github.repo(owner, repo);
    if (found.ok) return ok(found.value.license);
    if (found.error.kind === 'not-found') return err(appError('BAD_USER_INPUT', missing, { field: 'githubUrl', upstream: found.error.service, status: found.error.status }));
    return err(upstreamError(found.error, missing));
  }
}

/** The repositories one request asked about: at most `maxRepositoriesPerRequest` distinct ones. */
export class RequestLicenses {
  private readonly asked = new Set<string>();

  constructor(private readonly shared: RepositoryLicenses) {}

  licenseOf(owner: string, repo: string): Promise<LicenseAnswer> {
    const key = `${owner}/${repo}`.toLowerCase();
    const { maxRepositoriesPerRequest } = this.shared.options;
    if (!this.asked.has(key) && this.asked.size >= maxRepositoriesPerRequest) {
      return Promise.resolve(err(appError('QUERY_TOO_COMPLEX', `one request checks the licenses of at most ${maxRepositoriesPerRequest} GitHub repositories`, { field: 'githubUrl' })));
    }
    this.asked.add(key);
    return this.shared.licenseOf(owner, repo);
  }
}
