import { bestDevice, isApplicable, SCALAR_METRICS, type Device, type Rating, type ScalarMetric } from './rating.js';
import { fmt } from './format.js';

/** Every applicable non-latency metric must reach this for a model to be registered (requirements §2). */
export const GATE_THRESHOLD = 0.5;

export interface GateFailure {
  readonly metric: 'netScore' | ScalarMetric | 'sizeScore';
  readonly value: number;
  /** For sizeScore: the device the weights fit best, whose score is `value`. */
  readonly device?: Device;
}

export type GateVerdict = { readonly passed: true } | { readonly passed: false; readonly failures: readonly GateFailure[] };

/**
 * The ingest gate: the net score and every scalar metric at least 0.5, and sizeScore by its best
 * device (a model that fits some device well is deployable; size is not a matter of trust).
 * Not-applicable metrics (no GitHub repository, no registered parent, unknown size) are skipped.
 */
export function ingestGate(rating: Rating): GateVerdict {
  const best = bestDevice(rating.sizeScore);
  const checked: GateFailure[] = [
    { metric: 'netScore', value: rating.netScore.value },
    ...SCALAR_METRICS.flatMap((metric) => {
      const { value } = rating[metric];
      return isApplicable(value) ? [{ metric, value }] : [];
    }),
    ...(best ? [{ metric: 'sizeScore' as const, value: best.value, device: best.device }] : []),
  ];
  const failures = checked.filter((c) => c.value < GATE_THRESHOLD);
  return failures.length === 0 ? { passed: true } : { passed: false, failures };
}

/** The failures in words, as the DISQUALIFIED message and the audit event state them. */
export const describeFailures = (failures: readonly GateFailure[]): string =>
  failures.map((f) => `${f.metric} ${fmt(f.value, 4)}${f.device ? ` (best device: ${f.device})` : ''}`).join(', ');
