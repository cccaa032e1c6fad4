import { DEVICES, NOT_APPLICABLE, SCALAR_METRICS, type MetricScore, type ScalarMetric } from '../domain/rating/rating.js';

/**
 * Stored items outlive the code that wrote them. Every event and projection item carries the
 * `schemaVersion` of the shape it was written in (items from before versioning have none: version
 * 1), and a read lifts an older shape to the current one, one version step at a time, before zod
 * parses it. Events are never rewritten: the upcast happens on every read, so history keeps what
 * was recorded.
 *
 * To change a stored shape: bump CURRENT_SCHEMA_VERSION and add the step from the previous
 * version for every kind the change touches. A kind without a step for a version is unchanged by it.
 */
export const CURRENT_SCHEMA_VERSION = 3;

/** Items written before `schemaVersion` existed. */
export const UNVERSIONED = 1;

export type ItemKind = 'artifactEvent' | 'artifactProjection' | 'userEvent' | 'userProjection';

/** What each kind looks like when its upcasters see it: the stored fields, JSON text attributes still as text. */
export interface RawItems {
  /** An event's type and its payload, already decoded from JSON text. */
  readonly artifactEvent: { readonly type: string; readonly payload: unknown };
  /** The projection item; `rating` is JSON text. */
  readonly artifactProjection: { readonly rating?: string | undefined };
  readonly userEvent: { readonly type: string; readonly payload: unknown };
  readonly userProjection: object;
}

/**
 * The schema version each rating metric first appeared in. A typed record: a metric added to
 * SCALAR_METRICS does not compile until it says from which version on ratings carry it, and a
 * unit test holds that version to CURRENT_SCHEMA_VERSION, so adding a metric means adding a step.
 * reproducibility, reviewedness and treeScore are the metrics the contract added after the first
 * eight; a rating from before them reads with those metrics "not rated".
 */
export const METRIC_SINCE: Readonly<Record<ScalarMetric, number>> = {
  rampUpTime: 1,
  busFactor: 1,
  performanceClaims: 1,
  license: 1,
  datasetAndCodeScore: 1,
  datasetQuality: 1,
  codeQuality: 1,
  reproducibility: 2,
  reviewedness: 2,
  treeScore: 2,
};

/**
 * A metric the rating predates. NOT_APPLICABLE is what a metric without evidence already reports:
 * clients and the gate treat it as "no value", and the stored net score was computed without it,
 * which is exactly what not applicable means for the net score's weighting.
 */
export const notRatedThen = (metric: ScalarMetric): MetricScore => ({
  value: NOT_APPLICABLE,
  latencySeconds: 0,
  explanation: `not rated: this rating was computed before the ${metric} metric existed; rate the model again to score it`,
});

type Step<K extends ItemKind> = <T extends RawItems[K]>(raw: T) => T;
type Steps = { readonly [K in ItemKind]: Readonly<Partial<Record<number, Step<K>>>> };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

type RatingStep = (rating: unknown) => unknown;

/** Adds, as "not rated", each metric of version `to` that the rating lacks. Anything else is left for zod to judge. */
const fillMetrics =
  (to: number): RatingStep =>
  (rating) => {
    if (!isRecord(rating)) return rating;
    const missing = SCALAR_METRICS.filter((metric) => METRIC_SINCE[metric] === to && !(metric in rating));
    if (missing.length === 0) return rating;
    return { ...rating, ...Object.fromEntries(missing.map((metric) => [metric, notRatedThen(metric)])) };
  };

/**
 * Up to version 2 a metric without evidence stored the sentinel -1 as its value (and as each device's
 * sizeScore when the weight size was unknown). No metric can score below 0, so -1 is unambiguous:
 * it reads as NOT_APPLICABLE. The explanation already says why.
 */
const sentinelToNotApplicable: RatingStep = (rating) => {
  if (!isRecord(rating)) return rating;
  const lifted: Record<string, unknown> = { ...rating };
  let changed = false;
  for (const metric of SCALAR_METRICS) {
    const score = rating[metric];
    if (isRecord(score) && score['value'] === -1) {
      lifted[metric] = { ...score, value: NOT_APPLICABLE };
      changed = true;
    }
  }
  const size = rating['sizeScore'];
  if (isRecord(size) && DEVICES.some((device) => size[device] === -1)) {
    lifted['sizeScore'] = { ...size, ...Object.fromEntries(DEVICES.filter((device) => size[device] === -1).map((device) => [device, NOT_APPLICABLE])) };
    changed = true;
  }
  return changed ? lifted : rating;
};

/** Where artifact events keep ratings: the payload's `rating`, and an update's re-read source. */
function mapEventRatings(payload: unknown, step: RatingStep): unknown {
  if (!isRecord(payload)) return payload;
  const withRating = 'rating' in payload ? { ...payload, rating: step(payload['rating']) } : payload;
  const reading = withRating['reading'];
  return isRecord(reading) && 'rating' in reading ? { ...withRating, reading: { ...reading, rating: step(reading['rating']) } } : withRating;
}

/** One change to stored ratings, as steps for both places ratings are stored. */
const ratingSteps = (step: RatingStep) => ({
  artifactEvent: <T extends RawItems['artifactEvent']>(raw: T): T => ({ ...raw, payload: mapEventRatings(raw.payload, step) }),
  artifactProjection: <T extends RawItems['artifactProjection']>(raw: T): T => {
    if (raw.rating === undefined) return raw;
    // Only items older than the step pay for this parse; current items skip the chain.
    const rating: unknown = JSON.parse(raw.rating);
    const lifted = step(rating);
    return lifted === rating ? raw : { ...raw, rating: JSON.stringify(lifted) };
  },
});

/** Version 2: the metrics the contract added after the first eight. */
const v2 = ratingSteps(fillMetrics(2));
/** Version 3: "not applicable" is null, no longer the number -1. */
const v3 = ratingSteps(sentinelToNotApplicable);

/** STEPS[kind][v] lifts a version-v item of that kind to version v + 1. */
const STEPS: Steps = {
  artifactEvent: { 1: v2.artifactEvent, 2: v3.artifactEvent },
  artifactProjection: { 1: v2.artifactProjection, 2: v3.artifactProjection },
  userEvent: {},
  userProjection: {},
};

/** The version an item was written in; absent (and anything that is not a positive integer) is version 1. */
export function schemaVersionOf(item: { readonly schemaVersion?: number | null | undefined }): number {
  const version = item.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= UNVERSIONED ? version : UNVERSIONED;
}

/**
 * `raw`, written in `version`, in the current shape. An item from a newer version (a newer
 * deployment wrote it during a rolling deploy) is passed on as is: zod reads the fields it knows.
 */
export function upcast<K extends ItemKind, T extends RawItems[K]>(kind: K, version: number, raw: T): T {
  const steps: Readonly<Partial<Record<number, Step<K>>>> = STEPS[kind];
  let current = raw;
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
    const step = steps[v];
    if (step) current = step(current);
  }
  return current;
}

/** Shorthand for the read paths: the item's own version, then upcast. */
export const upcastItem = <K extends ItemKind, T extends RawItems[K]>(kind: K, item: { readonly schemaVersion?: number | null | undefined }, raw: T): T =>
  upcast(kind, schemaVersionOf(item), raw);

/**
 * The attribute every event and projection entity declares. ElectroDB fills the default on every
 * put/create, so writers need not know about it; not `required`, so items without it still read.
 */
export const SCHEMA_VERSION_ATTRIBUTE = { type: 'number', default: CURRENT_SCHEMA_VERSION } as const;
