import { readCardSignals } from './card-signals.js';
import type { ModelEvidence } from './model-evidence.js';
import type { MetricOutcome } from './rating.js';
import { list, plural } from './format.js';

/**
 * How well the model's performance claims are backed: structured, checkable results in the card's
 * model-index score highest, then an evaluation section with numbers, then a linked paper. The score
 * is the strongest evidence found.
 */
export function performanceClaims(evidence: ModelEvidence): MetricOutcome {
  const { hub, card } = evidence;
  const found: { score: number; text: string }[] = [];
  if (hub.evalResultCount > 0) found.push({ score: 1, text: `${plural(hub.evalResultCount, 'metric value')} in the card's structured model-index results (1.0)` });
  if (card.status === 'present') {
    const signals = readCardSignals(card.text);
    if (signals.evaluationSection && signals.evaluationHasNumbers) found.push({ score: 0.8, text: `section "${signals.evaluationSection}" reports figures (0.8)` });
    else if (signals.evaluationSection) found.push({ score: 0.4, text: `section "${signals.evaluationSection}" without figures (0.4)` });
  } else if (card.status === 'unavailable') {
    found.push({ score: 0.5, text: `the card could not be read (${card.reason}): neutral 0.5 for what it may report` });
  }
  if (hub.arxivIds.length > 0) found.push({ score: 0.6, text: `results in linked paper(s) arXiv:${list(hub.arxivIds, 3)} (0.6)` });
  if (found.length === 0) {
    return {
      value: 0,
      explanation: `No performance evidence: no model-index results, ${card.status === 'absent' ? 'no model card' : 'no evaluation section in the card'}, no linked paper.`,
    };
  }
  const value = Math.max(...found.map((f) => f.score));
  return { value, explanation: `Strongest evidence counts: ${found.map((f) => f.text).join('; ')}.` };
}
