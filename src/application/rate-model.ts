import type { ModelEvidence } from '../domain/rating/model-evidence.js';
import { SCALAR_METRIC_FUNCTIONS, sizeMetric } from '../domain/rating/metrics.js';
import { netScore } from '../domain/rating/net-score.js';
import { isApplicable, round4, SCALAR_METRICS, type MetricOutcome, type MetricScore, type MetricValue, type Rating, type ScalarMetric } from '../domain/rating/rating.js';

interface Timed<T> {
  readonly outcome: T;
  readonly seconds: number;
}

/** Runs one metric and measures it; metrics are pure, so the time is their own computation. */
async function timed<T>(metric: () => T): Promise<Timed<T>> {
  const started = performance.now();
  const outcome = metric();
  return { outcome, seconds: (performance.now() - started) / 1000 };
}

const seconds = (value: number): number => Math.round(value * 1e6) / 1e6;
const rounded = (value: MetricValue): MetricValue => (isApplicable(value) ? round4(value) : value);
const score = ({ outcome, seconds: s }: Timed<MetricOutcome>): MetricScore => ({ value: rounded(outcome.value), latencySeconds: seconds(s), explanation: outcome.explanation });

/**
 * Rates a model from its evidence: every metric at once (the evidence is already fetched, so they
 * wait on nothing but the CPU), then the net score over their results. Each metric reports its own
 * latency; the net score's latency is the whole rating's wall time.
 */
export async function rateModel(evidence: ModelEvidence, ratedAt: string): Promise<Rating> {
  const started = performance.now();
  const [size, ...scalars] = await Promise.all([
    timed(() => sizeMetric(evidence)),
    ...SCALAR_METRICS.map((name) => timed(() => SCALAR_METRIC_FUNCTIONS[name](evidence))),
  ]);
  const outcomes = Object.fromEntries(SCALAR_METRICS.map((name, i) => [name, scalars[i]!.outcome])) as Record<ScalarMetric, MetricOutcome>;
  const net = netScore(outcomes, size!.outcome);
  const elapsed = (performance.now() - started) / 1000;
  const sizeOutcome = size!.outcome;
  return {
    ratedAt,
    netScore: { value: round4(net.value), latencySeconds: seconds(elapsed), explanation: net.explanation },
    ...(Object.fromEntries(SCALAR_METRICS.map((name, i) => [name, score(scalars[i]!)])) as Record<ScalarMetric, MetricScore>),
    sizeScore: {
      raspberryPi: rounded(sizeOutcome.scores.raspberryPi),
      jetsonNano: rounded(sizeOutcome.scores.jetsonNano),
      desktopPc: rounded(sizeOutcome.scores.desktopPc),
      awsServer: rounded(sizeOutcome.scores.awsServer),
      latencySeconds: seconds(size!.seconds),
      explanation: sizeOutcome.explanation,
    },
  };
}
