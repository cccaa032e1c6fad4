import type { ModelEvidence } from './model-evidence.js';
import { NOT_APPLICABLE, type MetricOutcome } from './rating.js';
import { attributeCommits, reviewVerdict } from './pull-request-attribution.js';
import { fmt, list, plural } from './format.js';

/**
 * Fraction of the code that arrived through reviewed pull requests (requirements §2), measured on
 * the most recent commits of the default branch: commits are the unit (line counts would cost a call
 * per commit). A PR counts as reviewed when someone other than its authors reviewed or merged it.
 * Not applicable without a GitHub repository (the course's REST rating reports that as -1).
 */
export function reviewedness(evidence: ModelEvidence): MetricOutcome {
  const { code } = evidence;
  if (code.status !== 'present') {
    return {
      value: NOT_APPLICABLE,
      explanation: `Not applicable: ${code.status === 'unreadable' ? `the linked repository ${code.url} could not be read (${code.reason})` : 'no GitHub repository is linked'}.`,
    };
  }
  const { commits } = code.repo;
  if (commits === undefined) return { value: NOT_APPLICABLE, explanation: `Not applicable: GitHub would not list the commits of ${code.repo.fullName}.` };
  const attribution = attributeCommits(commits);
  const total = attribution.codeCommits.length;
  if (total === 0) return { value: NOT_APPLICABLE, explanation: `Not applicable: ${code.repo.fullName} has no commits to judge.` };
  let reviewed = 0;
  const reviewedPrs: string[] = [];
  const unreviewedPrs: string[] = [];
  for (const pr of attribution.pullRequests) {
    if (pr.commits.length === 0) continue;
    const verdict = reviewVerdict(pr, code.repo.reviews[pr.number]);
    if (verdict.reviewed) {
      reviewed += pr.commits.length;
      reviewedPrs.push(`#${pr.number} (${verdict.how === 'review' ? 'reviewed' : 'merged'} by ${verdict.by})`);
    } else {
      unreviewedPrs.push(`#${pr.number}`);
    }
  }
  const viaPr = attribution.pullRequests.reduce((sum, pr) => sum + pr.commits.length, 0);
  const value = reviewed / total;
  return {
    value,
    explanation:
      `${reviewed} of the ${plural(total, 'non-merge commit')} in the ${commits.length} most recent commits of ${code.repo.fullName} arrived through reviewed pull requests = ${fmt(value, 3)}; ` +
      `${viaPr} came through pull requests, ${total - viaPr} were pushed directly. ` +
      `Reviewed: ${reviewedPrs.length ? list(reviewedPrs, 6) : 'none'}; not shown reviewed: ${unreviewedPrs.length ? list(unreviewedPrs, 6) : 'none'}.`,
  };
}
