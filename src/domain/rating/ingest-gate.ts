import { DEVICES, SCALAR_METRICS, isApplicable, type Rating } from './rating.js';

/** Every applicable non-latency metric must reach this for a model to be registered (requirements §2). */
export const GATE_THRESHOLD = 0.5;

export interface GateFailure {
  readonly metric: string;
  readonly value: number;
}

export type GateVerdict = { readonly passed: true } | { readonly passed: false; readonly failures: readonly GateFailure[] };

/**
 * The ingest gate: net score, every scalar metric and every device of sizeScore at least 0.5;
 * not-applicable metrics (-1: no GitHub repository, no registered parent, unknown size) are skipped.
 */
export function ingestGate(rating: Rating): GateVerdict {
  const checked: GateFailure[] = [
    { metric: 'netScore', value: rating.netScore.value },
    ...SCALAR_METRICS.map((metric) => ({ metric, value: rating[metric].value })),
    ...DEVICES.map((device) => ({ metric: `sizeScore.${device}`, value: rating.sizeScore[device] })),
  ];
  const failures = checked.filter((c) => isApplicable(c.value) && c.value < GATE_THRESHOLD);
  return failures.length === 0 ? { passed: true } : { passed: false, failures };
}
