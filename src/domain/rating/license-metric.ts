import { classifyLicense, isUndeterminedLicense } from './license-compatibility.js';
import type { ModelEvidence } from './model-evidence.js';
import type { MetricOutcome } from './rating.js';

/**
 * License compatibility with LGPL-2.1 for fine-tuning and inference, from the card's license, or the
 * linked code repository's when the card names none (requirements §2).
 */
export function licenseMetric(evidence: ModelEvidence): MetricOutcome {
  const cardLicense = evidence.hub.license;
  const repoLicense = evidence.code.status === 'present' ? evidence.code.repo.license : undefined;
  let where: string;
  let id: string;
  if (!isUndeterminedLicense(cardLicense)) {
    [where, id] = ['The model card declares', cardLicense!];
  } else if (!isUndeterminedLicense(repoLicense) && evidence.code.status === 'present') {
    [where, id] = [`The card names no license; the code repository ${evidence.code.repo.fullName} is under`, repoLicense!];
  } else if (cardLicense !== undefined) {
    [where, id] = ['The model card declares', cardLicense];
  } else {
    return {
      value: 0,
      explanation:
        'No license declared: the card has no license field or license tag' +
        (evidence.code.status === 'present' ? ` and GitHub detects none in ${evidence.code.repo.fullName}` : '') +
        '. Without a license nothing grants the right to fine-tune or run the model.',
    };
  }
  const verdict = classifyLicense(id);
  const named = evidence.hub.licenseName && verdict.id === 'other' ? ` ("${evidence.hub.licenseName}")` : '';
  return { value: verdict.score, explanation: `${where} ${verdict.id}${named}: ${verdict.reason}.` };
}
