import { DEVICES, isApplicable, type MetricOutcome, type ScalarMetric, type SizeOutcome } from './rating.js';

/** The net score's outcome: always a number (license, ramp-up and claims apply to every model). */
export interface NetOutcome {
  readonly value: number;
  readonly explanation: string;
}
import { fmt } from './format.js';

/**
 * Weights of the net score (they sum to 1). License weighs most: an unusable license makes every
 * other quality moot for the registry's users. Documentation-facing metrics (ramp-up, claims,
 * datasets and code) come next; review and lineage signals are often missing and weigh least.
 * Reasoning in docs/metrics.md.
 */
export const NET_SCORE_WEIGHTS: Readonly<Record<ScalarMetric | 'sizeScore', number>> = {
  license: 0.2,
  rampUpTime: 0.12,
  performanceClaims: 0.1,
  datasetAndCodeScore: 0.1,
  datasetQuality: 0.08,
  codeQuality: 0.08,
  busFactor: 0.08,
  reproducibility: 0.08,
  sizeScore: 0.08,
  reviewedness: 0.04,
  treeScore: 0.04,
};

/**
 * Weighted mean of the applicable metrics: a not-applicable metric (null) drops out and the remaining
 * weights are scaled up, so missing evidence neither helps nor hurts. sizeScore enters as the mean
 * of its applicable devices.
 */
export function netScore(metrics: Readonly<Record<ScalarMetric, MetricOutcome>>, size: SizeOutcome): NetOutcome {
  const deviceValues = DEVICES.map((d) => size.scores[d]).filter(isApplicable);
  const values: Record<string, number | undefined> = {
    ...Object.fromEntries(Object.entries(metrics).map(([name, outcome]) => [name, isApplicable(outcome.value) ? outcome.value : undefined])),
    sizeScore: deviceValues.length > 0 ? deviceValues.reduce((a, b) => a + b, 0) / deviceValues.length : undefined,
  };
  let weighted = 0;
  let weightUsed = 0;
  const terms: string[] = [];
  const skipped: string[] = [];
  for (const [name, weight] of Object.entries(NET_SCORE_WEIGHTS)) {
    const value = values[name];
    if (value === undefined) {
      skipped.push(name);
      continue;
    }
    weighted += weight * value;
    weightUsed += weight;
    terms.push(`${weight} x ${name} ${fmt(value, 3)}`);
  }
  const value = weightUsed > 0 ? weighted / weightUsed : 0;
  return {
    value,
    explanation:
      `(${terms.join(' + ')}) / ${fmt(weightUsed, 2)} = ${fmt(value, 3)}` +
      (skipped.length ? `; not applicable, left out and the other weights scaled up: ${skipped.join(', ')}` : '') +
      '.',
  };
}
