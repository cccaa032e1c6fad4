/**
 * A model's rating as stored and served (requirements §2, §6). Values are in [0, 1]. A metric whose
 * evidence does not exist (no linked code, no registered parent, unknown weight size) is not
 * applicable: its value is `null`, never a number, so no arithmetic can mistake it for a score. The
 * gate skips it and the net score re-weights without it; its explanation says why.
 */
export type MetricValue = number | null;

/** The value of a metric without evidence. */
export const NOT_APPLICABLE = null;

export const isApplicable = (value: MetricValue): value is number => value !== NOT_APPLICABLE;

export interface MetricScore {
  readonly value: MetricValue;
  readonly latencySeconds: number;
  readonly explanation: string;
}

/** The net score always has a value: license, ramp-up and claims are judged for every model. */
export type NetScore = MetricScore & { readonly value: number };

export const DEVICES = ['raspberryPi', 'jetsonNano', 'desktopPc', 'awsServer'] as const;
export type Device = (typeof DEVICES)[number];

export type SizeScore = Readonly<Record<Device, MetricValue>> & {
  readonly latencySeconds: number;
  readonly explanation: string;
};

/** The metrics other than netScore and sizeScore, in the order the contract lists them. */
export const SCALAR_METRICS = [
  'rampUpTime',
  'busFactor',
  'performanceClaims',
  'license',
  'datasetAndCodeScore',
  'datasetQuality',
  'codeQuality',
  'reproducibility',
  'reviewedness',
  'treeScore',
] as const;
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

export type Rating = Readonly<Record<ScalarMetric, MetricScore>> & {
  readonly ratedAt: string;
  readonly netScore: NetScore;
  readonly sizeScore: SizeScore;
};

/** Every number a rating holds, by one name each: `sizeScore.<device>` for the devices. */
export type RatedQuantity = 'netScore' | ScalarMetric | `sizeScore.${Device}`;

export const RATED_QUANTITIES: readonly RatedQuantity[] = ['netScore', ...SCALAR_METRICS, ...DEVICES.map((d) => `sizeScore.${d}` as const)];

/**
 * One value of a rating: a number in [0, 1], or null when not applicable. The one accessor every
 * mapping of a rating to another shape (GraphQL, the course's REST rating, the gate) reads through,
 * so none of them needs its own notion of "not applicable".
 */
export function metricValue(rating: Rating, quantity: RatedQuantity): MetricValue {
  return isSizeQuantity(quantity) ? rating.sizeScore[quantity.slice(SIZE_PREFIX.length) as Device] : rating[quantity].value;
}

const SIZE_PREFIX = 'sizeScore.';
const isSizeQuantity = (quantity: RatedQuantity): quantity is `sizeScore.${Device}` => quantity.startsWith(SIZE_PREFIX);

/** The device the weights fit best, or undefined when the weight size is unknown (every device not applicable). */
export function bestDevice(size: Readonly<Record<Device, MetricValue>>): { readonly device: Device; readonly value: number } | undefined {
  let best: { device: Device; value: number } | undefined;
  for (const device of DEVICES) {
    const value = size[device];
    if (isApplicable(value) && (best === undefined || value > best.value)) best = { device, value };
  }
  return best;
}

/** What a metric function returns before it is timed. */
export interface MetricOutcome {
  readonly value: MetricValue;
  readonly explanation: string;
}

export interface SizeOutcome {
  readonly scores: Readonly<Record<Device, MetricValue>>;
  readonly explanation: string;
}

/** Rounds for display and storage: four decimals are more than any heuristic here can claim. */
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
