import { err, ok } from '../domain/result.js';
import type { CommitFact, ContributorFact, ReviewFact } from '../domain/rating/model-evidence.js';
import type { GitHubRepoFacts } from '../domain/source-facts.js';
import type { z } from 'zod';
import { parseLinkHeader, type HttpClient, type UpstreamResponse, type UpstreamResult } from './http-client.js';
import { githubCommitsSchema, githubContributorsSchema, githubFileSchema, githubRepoSchema, githubReviewsSchema } from './github-schemas.js';

type ContributorsAnswer = UpstreamResult<{ data: z.infer<typeof githubContributorsSchema>; response: UpstreamResponse }>;

const repoPath = (owner: string, repo: string): string => `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;

export interface GitHubLicense {
  /** SPDX id GitHub detected, if any. */
  readonly spdxId?: string;
  readonly name?: string;
  readonly path: string;
  readonly text: string;
}

/** File contents GitHub returns base64-encoded (with line breaks inside the encoding). */
function decodeContent(content: string, encoding: string): string | undefined {
  if (encoding === 'base64') return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  return encoding === 'utf-8' || encoding === 'utf8' ? content : undefined;
}

/** The GitHub REST API (GITHUB_API_URL). Renamed repositories answer 301; the HTTP client follows. */
export class GitHubClient {
  constructor(private readonly http: HttpClient) {}

  async repo(owner: string, repo: string): Promise<UpstreamResult<GitHubRepoFacts>> {
    const answer = await this.http.getJson(repoPath(owner, repo), githubRepoSchema);
    if (!answer.ok) return answer;
    const r = answer.value.data;
    const license = r.license?.spdx_id ?? undefined;
    return ok({
      fullName: r.full_name,
      ...(r.description != null && { description: r.description }),
      stars: r.stargazers_count ?? 0,
      forks: r.forks_count ?? 0,
      archived: r.archived ?? false,
      ...(r.pushed_at != null && { pushedAt: r.pushed_at }),
      ...(license !== undefined && { license }),
      ...(r.default_branch !== undefined && { defaultBranch: r.default_branch }),
      ...(r.size !== undefined && { sizeBytes: r.size * 1024 }),
    });
  }

  /** The repository's README, decoded. */
  async readme(owner: string, repo: string): Promise<UpstreamResult<string>> {
    const answer = await this.http.getJson(`${repoPath(owner, repo)}/readme`, githubFileSchema);
    if (!answer.ok) return answer;
    const text = decodeContent(answer.value.data.content, answer.value.data.encoding);
    return text === undefined ? err({ kind: 'unavailable', service: this.http.service, url: answer.value.response.url, reason: `README in unknown encoding ${answer.value.data.encoding}` }) : ok(text);
  }

  /** The license file and what GitHub detected in it. */
  async license(owner: string, repo: string): Promise<UpstreamResult<GitHubLicense>> {
    const answer = await this.http.getJson(`${repoPath(owner, repo)}/license`, githubFileSchema);
    if (!answer.ok) return answer;
    const file = answer.value.data;
    const text = decodeContent(file.content, file.encoding);
    if (text === undefined) return err({ kind: 'unavailable', service: this.http.service, url: answer.value.response.url, reason: `license in unknown encoding ${file.encoding}` });
    const spdxId = file.license?.spdx_id ?? undefined;
    return ok({ ...(spdxId !== undefined && { spdxId }), ...(file.license?.name !== undefined && { name: file.license.name }), path: file.path, text });
  }

  /** Contributors by commit count, following `Link: rel="next"` for up to `maxPages` pages of 100. */
  async contributors(owner: string, repo: string, maxPages = 3): Promise<UpstreamResult<{ contributors: ContributorFact[]; truncated: boolean }>> {
    const contributors: ContributorFact[] = [];
    let next: string | undefined = `${repoPath(owner, repo)}/contributors?per_page=100`;
    for (let page = 0; next !== undefined && page < maxPages; page++) {
      const answer: ContributorsAnswer = await this.http.getJson(next, githubContributorsSchema, { whenEmpty: [] });
      if (!answer.ok) return answer;
      for (const c of answer.value.data) contributors.push({ login: c.login ?? c.name ?? 'anonymous', contributions: c.contributions });
      next = parseLinkHeader(answer.value.response.headers.get('link'))['next'];
    }
    return ok({ contributors, truncated: next !== undefined });
  }

  /** The most recent commits of the default branch, newest first (one page: a sample, not the history). */
  async recentCommits(owner: string, repo: string, count = 25): Promise<UpstreamResult<CommitFact[]>> {
    const answer = await this.http.getJson(`${repoPath(owner, repo)}/commits?per_page=${count}`, githubCommitsSchema, { whenEmpty: [] });
    if (!answer.ok) return answer;
    return ok(
      answer.value.data.map((c) => ({
        sha: c.sha,
        parents: c.parents.map((p) => p.sha),
        author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
        message: c.commit.message,
      })),
    );
  }

  async pullReviews(owner: string, repo: string, pull: number): Promise<UpstreamResult<ReviewFact[]>> {
    const answer = await this.http.getJson(`${repoPath(owner, repo)}/pulls/${pull}/reviews?per_page=100`, githubReviewsSchema);
    if (!answer.ok) return answer;
    return ok(answer.value.data.map((r) => ({ reviewer: r.user?.login ?? 'ghost', state: r.state })));
  }
}
