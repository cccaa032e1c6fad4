import { isUndeterminedLicense } from './license-compatibility.js';
import type { ModelEvidence } from './model-evidence.js';
import { NOT_APPLICABLE, type MetricOutcome } from './rating.js';
import { fmt } from './format.js';

const PARTS = { readme: 0.25, license: 0.15, maintenance: 0.3, adoption: 0.3 } as const;
const DAY_MS = 86_400_000;

/**
 * Quality signals of the linked code repository that GitHub's metadata shows: documentation, a
 * license, recent maintenance (judged against when the evidence was observed) and adoption (stars,
 * on a log scale, 1,000 stars = full).
 */
export function codeQuality(evidence: ModelEvidence): MetricOutcome {
  const { code } = evidence;
  if (code.status !== 'present') {
    return {
      value: NOT_APPLICABLE,
      explanation: `Not applicable: ${code.status === 'unreadable' ? `the linked repository ${code.url} could not be read (${code.reason})` : 'the card links no code repository to judge'}.`,
    };
  }
  const { repo } = code;
  const readme = repo.readmeLength >= 1000 ? 1 : repo.readmeLength > 0 ? 0.5 : 0;
  const license = isUndeterminedLicense(repo.license) ? 0 : 1;
  const ageDays = repo.pushedAt ? (Date.parse(evidence.observedAt) - Date.parse(repo.pushedAt)) / DAY_MS : Number.POSITIVE_INFINITY;
  const maintenance = repo.archived ? 0 : ageDays <= 365 ? 1 : ageDays <= 3 * 365 ? 0.5 : 0;
  const adoption = Math.min(1, Math.log10(repo.stars + 1) / 3);
  const value = PARTS.readme * readme + PARTS.license * license + PARTS.maintenance * maintenance + PARTS.adoption * adoption;
  const pushed = repo.archived ? 'archived' : repo.pushedAt ? `last push ${repo.pushedAt.slice(0, 10)}, ${Math.round(ageDays)} days before rating` : 'no push date';
  return {
    value,
    explanation:
      `${repo.fullName}: README ${repo.readmeLength} characters -> ${fmt(readme)}; license ${repo.license ?? 'none'} -> ${license}; ` +
      `${pushed} -> ${fmt(maintenance)}; ${repo.stars} stars -> ${fmt(adoption, 3)}. ` +
      `Weighted ${PARTS.readme}/${PARTS.license}/${PARTS.maintenance}/${PARTS.adoption} = ${fmt(value, 3)}.`,
  };
}
