import type { ModelEvidence } from './model-evidence.js';
import type { MetricOutcome, ScalarMetric, SizeOutcome } from './rating.js';
import { rampUpTime } from './ramp-up-time.js';
import { busFactor } from './bus-factor.js';
import { performanceClaims } from './performance-claims.js';
import { licenseMetric } from './license-metric.js';
import { datasetAndCodeScore } from './dataset-and-code.js';
import { datasetQuality } from './dataset-quality.js';
import { codeQuality } from './code-quality.js';
import { reproducibility } from './reproducibility.js';
import { reviewedness } from './reviewedness.js';
import { treeScore } from './tree-score.js';
import { sizeScore } from './size-score.js';

/** Every scalar metric: a pure function of the evidence. */
export const SCALAR_METRIC_FUNCTIONS: Readonly<Record<ScalarMetric, (evidence: ModelEvidence) => MetricOutcome>> = {
  rampUpTime,
  busFactor,
  performanceClaims,
  license: licenseMetric,
  datasetAndCodeScore,
  datasetQuality,
  codeQuality,
  reproducibility,
  reviewedness,
  treeScore,
};

export const sizeMetric = (evidence: ModelEvidence): SizeOutcome => sizeScore(evidence.hub);
