import type { ModelEvidence } from './model-evidence.js';
import { NOT_APPLICABLE, type MetricOutcome } from './rating.js';
import { fmt, list } from './format.js';

/**
 * How much the project depends on few people: the Gini-Simpson index of commit shares, 1 - sum(p_i^2),
 * i.e. the chance that two commits drawn at random have different authors. One author gives 0, two
 * equal authors 0.5, four equal authors 0.75, and a long tail behind one dominant author stays low.
 */
export function busFactor(evidence: ModelEvidence): MetricOutcome {
  const { code } = evidence;
  if (code.status !== 'present') {
    return {
      value: NOT_APPLICABLE,
      explanation: `Not applicable: ${code.status === 'unreadable' ? `the linked repository ${code.url} could not be read (${code.reason})` : 'the card links no code repository'}, and the Hub's model API reports no contributor history.`,
    };
  }
  if (code.repo.contributors === undefined) {
    return { value: NOT_APPLICABLE, explanation: `Not applicable: GitHub would not list the contributors of ${code.repo.fullName}.` };
  }
  const contributors = code.repo.contributors.filter((c) => c.contributions > 0);
  const total = contributors.reduce((sum, c) => sum + c.contributions, 0);
  if (total === 0) return { value: NOT_APPLICABLE, explanation: `Not applicable: ${code.repo.fullName} has no commit history to judge.` };
  const sorted = [...contributors].sort((a, b) => b.contributions - a.contributions);
  const value = 1 - sorted.reduce((sum, c) => sum + (c.contributions / total) ** 2, 0);
  const top = sorted.slice(0, 3).map((c) => `${c.login} ${fmt((100 * c.contributions) / total, 1)}%`);
  return {
    value,
    explanation:
      `1 - sum of squared commit shares over ${contributors.length} contributors of ${code.repo.fullName} (${total} commits) = ${fmt(value, 3)}; ` +
      `largest shares: ${list(top, 3)}${code.repo.contributorsTruncated ? '; more contributors exist than were read, so the tail is cut' : ''}.`,
  };
}
