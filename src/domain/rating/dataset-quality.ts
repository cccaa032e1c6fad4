import { cardSections, codeBlocks, findSection, frontMatterValue, splitFrontMatter } from './card-text.js';
import { isUndeterminedLicense } from './license-compatibility.js';
import type { ModelEvidence } from './model-evidence.js';
import { NOT_APPLICABLE, type MetricOutcome } from './rating.js';
import { fmt, list } from './format.js';

/** What a good dataset card tells a user, each checked for real content (not template placeholders). */
const CHECKS: readonly { name: string; heading: RegExp }[] = [
  { name: 'summary', heading: /summary|description|overview|about/i },
  { name: 'structure', heading: /data fields|data instances|dataset structure|schema|format/i },
  { name: 'splits', heading: /splits?\b/i },
  { name: 'provenance', heading: /source data|curation|collection|dataset creation/i },
  { name: 'limitations', heading: /bias|limitation|social impact|considerations/i },
  { name: 'license', heading: /licens/i },
  { name: 'citation', heading: /citation/i },
];

export interface DatasetCardReview {
  readonly score: number;
  readonly missing: readonly string[];
}

/** Fraction of the checks a dataset card passes. */
export function reviewDatasetCard(text: string): DatasetCardReview {
  const sections = cardSections(text);
  const { frontMatter } = splitFrontMatter(text);
  const missing = CHECKS.filter((check) => {
    if (findSection(sections, check.heading)) return false;
    if (check.name === 'license') return isUndeterminedLicense(frontMatterValue(frontMatter, 'license') ?? frontMatterValue(frontMatter, 'licenses'));
    if (check.name === 'citation') return !codeBlocks(text).some((block) => block.language === 'bibtex' || /@\w+\{/.test(block.code));
    return true;
  }).map((check) => check.name);
  return { score: (CHECKS.length - missing.length) / CHECKS.length, missing };
}

/**
 * Documentation quality of the model's training datasets, judged from their Hub cards: the mean,
 * over readable cards, of the fraction of essentials each card covers.
 */
export function datasetQuality(evidence: ModelEvidence): MetricOutcome {
  const { hub, datasetCards } = evidence;
  if (hub.datasets.length === 0) {
    return { value: NOT_APPLICABLE, explanation: 'Not applicable: the model declares no training datasets (datasetAndCodeScore accounts for that).' };
  }
  const readable = datasetCards.flatMap((card) => (card.status === 'present' ? [{ id: card.id, review: reviewDatasetCard(card.text) }] : []));
  const unreadable = datasetCards.flatMap((card) => (card.status === 'unavailable' ? [`${card.id} (${card.reason})`] : []));
  const unchecked = hub.datasets.filter((id) => !datasetCards.some((card) => card.id === id));
  const skipped = [
    ...(unreadable.length > 0 ? [`cards not readable: ${list(unreadable, 3)}`] : []),
    ...(unchecked.length > 0 ? [`not checked (only the first ${datasetCards.length} are read): ${list(unchecked, 3)}`] : []),
  ];
  if (readable.length === 0) {
    return { value: NOT_APPLICABLE, explanation: `Not applicable: no card of the declared datasets could be read; ${skipped.join('; ')}.` };
  }
  const value = readable.reduce((sum, r) => sum + r.review.score, 0) / readable.length;
  const perCard = readable.map(({ id, review }) => `${id} ${CHECKS.length - review.missing.length}/${CHECKS.length}${review.missing.length ? ` (missing ${review.missing.join(', ')})` : ''}`);
  return {
    value,
    explanation: `Mean over dataset cards of the essentials covered (summary, structure, splits, provenance, limitations, license, citation) = ${fmt(value, 3)}: ${perCard.join('; ')}${skipped.length ? `. ${skipped.join('; ')}` : ''}.`,
  };
}
