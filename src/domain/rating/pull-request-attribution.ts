import type { CommitFact, ReviewFact } from './model-evidence.js';

/** A pull request seen in a commit sample, with the commits it brought to the default branch. */
export interface PullRequestInSample {
  readonly number: number;
  /** Non-merge commits of the sample that arrived through this PR. */
  readonly commits: readonly CommitFact[];
  /** Who merged it, when a merge commit shows it (GitHub's "Merge pull request #n" commits). */
  readonly mergedBy?: string;
}

export interface CommitAttribution {
  /** Non-merge commits of the sample: the unit of "code" reviewedness counts. */
  readonly codeCommits: readonly CommitFact[];
  readonly pullRequests: readonly PullRequestInSample[];
}

const MERGE_PR = /^Merge pull request #(\d+)\b/;
const SQUASH_PR = /\(#(\d+)\)\s*$/;

/**
 * Which commits of a default-branch sample (newest first) arrived through pull requests. Merge
 * commits ("Merge pull request #n") bring their second parent's chain; squash and rebase merges
 * carry "(#n)" at the end of the subject. Everything else was pushed directly.
 */
export function attributeCommits(commits: readonly CommitFact[]): CommitAttribution {
  const bySha = new Map(commits.map((commit) => [commit.sha, commit]));
  const mainline = new Set<string>();
  for (let current = commits[0]; current && !mainline.has(current.sha); current = bySha.get(current.parents[0] ?? '')) {
    mainline.add(current.sha);
  }
  const assigned = new Map<string, number>();
  const pulls = new Map<number, { commits: CommitFact[]; mergedBy?: string }>();
  const pull = (number: number) => {
    let entry = pulls.get(number);
    if (!entry) pulls.set(number, (entry = { commits: [] }));
    return entry;
  };
  for (const commit of commits) {
    if (!mainline.has(commit.sha)) continue;
    const subject = commit.message.split('\n')[0] ?? '';
    const merge = MERGE_PR.exec(subject);
    if (merge && commit.parents.length >= 2) {
      const number = Number(merge[1]);
      pull(number).mergedBy = commit.author;
      // The PR's branch: from the second parent back along first parents until the mainline.
      for (let branch = bySha.get(commit.parents[1]!); branch && !mainline.has(branch.sha) && !assigned.has(branch.sha); branch = bySha.get(branch.parents[0] ?? '')) {
        assigned.set(branch.sha, number);
        if (branch.parents.length < 2) pull(number).commits.push(branch);
      }
      continue;
    }
    const squash = SQUASH_PR.exec(subject);
    if (squash && commit.parents.length < 2) {
      assigned.set(commit.sha, Number(squash[1]));
      pull(Number(squash[1])).commits.push(commit);
    }
  }
  return {
    codeCommits: commits.filter((commit) => commit.parents.length < 2),
    pullRequests: [...pulls.entries()].map(([number, entry]) => ({ number, commits: entry.commits, ...(entry.mergedBy !== undefined && { mergedBy: entry.mergedBy }) })),
  };
}

const REVIEW_STATES = new Set(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED']);

/**
 * Whether someone other than the PR's authors looked at it: a review by another person, or a merge
 * by another person (merging is a maintainer's sign-off). `undefined` means the sample cannot tell.
 */
export function reviewVerdict(pr: PullRequestInSample, reviews: readonly ReviewFact[] | undefined): { reviewed: boolean; by?: string; how?: 'review' | 'merge' } {
  const authors = new Set(pr.commits.map((commit) => commit.author.toLowerCase()));
  const reviewer = reviews?.find((review) => REVIEW_STATES.has(review.state) && !authors.has(review.reviewer.toLowerCase()));
  if (reviewer) return { reviewed: true, by: reviewer.reviewer, how: 'review' };
  if (pr.mergedBy !== undefined && authors.size > 0 && !authors.has(pr.mergedBy.toLowerCase())) return { reviewed: true, by: pr.mergedBy, how: 'merge' };
  return { reviewed: false };
}

/** PRs whose review status only their reviews can settle: self-merged or squash-merged ones. */
export function pullRequestsNeedingReviews(attribution: CommitAttribution): number[] {
  return attribution.pullRequests.filter((pr) => pr.commits.length > 0 && !reviewVerdict(pr, undefined).reviewed).map((pr) => pr.number);
}
