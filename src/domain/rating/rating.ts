/**
 * A model's rating as stored and served (requirements §2, §6). Values are in [0, 1];
 * NOT_APPLICABLE (-1) marks a metric whose evidence does not exist (no linked code, no registered
 * parent, unknown weight size): the gate skips it and the net score re-weights without it.
 */
export const NOT_APPLICABLE = -1;

export interface MetricScore {
  readonly value: number;
  readonly latencySeconds: number;
  readonly explanation: string;
}

export const DEVICES = ['raspberryPi', 'jetsonNano', 'desktopPc', 'awsServer'] as const;
export type Device = (typeof DEVICES)[number];

export type SizeScore = Readonly<Record<Device, number>> & {
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
  readonly netScore: MetricScore;
  readonly sizeScore: SizeScore;
};

/** What a metric function returns before it is timed. */
export interface MetricOutcome {
  readonly value: number;
  readonly explanation: string;
}

export interface SizeOutcome {
  readonly scores: Readonly<Record<Device, number>>;
  readonly explanation: string;
}

export const isApplicable = (value: number): boolean => value !== NOT_APPLICABLE;

/** Rounds for display and storage: four decimals are more than any heuristic here can claim. */
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
