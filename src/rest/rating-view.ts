import type { ArtifactState } from '../domain/artifact-state.js';
import { DEVICES, SCALAR_METRICS, type Device, type MetricScore, type Rating, type ScalarMetric } from '../domain/rating/rating.js';

/**
 * The one mapping from a stored rating to the REST contract's ModelRating (docs/metrics.md, "REST"):
 * snake_case names, `<metric>_latency` in seconds, every value in [0, 1], except `reviewedness`,
 * which is -1 when it is not applicable (no GitHub repository). Any other metric without evidence
 * (stored as not applicable, -1, or null) is 0 here; GraphQL's explanation says why.
 */
const REST_NAMES = {
  rampUpTime: 'ramp_up_time',
  busFactor: 'bus_factor',
  performanceClaims: 'performance_claims',
  license: 'license',
  datasetAndCodeScore: 'dataset_and_code_score',
  datasetQuality: 'dataset_quality',
  codeQuality: 'code_quality',
  reproducibility: 'reproducibility',
  reviewedness: 'reviewedness',
  treeScore: 'tree_score',
} as const satisfies Record<ScalarMetric, string>;

const DEVICE_NAMES = { raspberryPi: 'raspberry_pi', jetsonNano: 'jetson_nano', desktopPc: 'desktop_pc', awsServer: 'aws_server' } as const satisfies Record<Device, string>;

/** The only metric the contract lets say "not applicable", with -1. */
const NOT_APPLICABLE_STAYS: ReadonlySet<ScalarMetric> = new Set(['reviewedness']);

type Stored = number | null | undefined;

/** A stored value in the contract's range: not applicable (negative or null) and non-finite are 0, the rest clamped to [0, 1]. */
export function unitValue(value: Stored): number {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return 0;
  return Math.min(1, value);
}

const metricValue = (metric: ScalarMetric, value: Stored): number =>
  NOT_APPLICABLE_STAYS.has(metric) && (value === null || value === undefined || value < 0) ? -1 : unitValue(value);

const seconds = (score: { readonly latencySeconds: number }): number => (Number.isFinite(score.latencySeconds) && score.latencySeconds >= 0 ? score.latencySeconds : 0);

export type RestRating = Record<string, string | number | Record<string, number>>;

export function restRatingOf(model: ArtifactState, rating: Rating): RestRating {
  const body: RestRating = {
    name: model.name,
    category: model.metadata?.source === 'huggingface-model' ? (model.metadata.pipelineTag ?? 'model') : 'model',
    net_score: unitValue((rating.netScore as MetricScore).value),
    net_score_latency: seconds(rating.netScore),
  };
  for (const metric of SCALAR_METRICS) {
    const score = rating[metric];
    body[REST_NAMES[metric]] = metricValue(metric, score.value);
    body[`${REST_NAMES[metric]}_latency`] = seconds(score);
  }
  body['size_score'] = Object.fromEntries(DEVICES.map((device) => [DEVICE_NAMES[device], unitValue(rating.sizeScore[device])]));
  body['size_score_latency'] = seconds(rating.sizeScore);
  return body;
}
