import { useId } from 'react';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { barPercent, formatScore, verdictOf, VERDICT_TEXT, type Score } from '../format';

export interface MetricBar {
  readonly key: string;
  readonly label: string;
  readonly value: Score;
  readonly explanation: string;
  readonly latencySeconds?: number;
}

/**
 * One bar per metric, its value written beside it and its verdict in words (not colour alone);
 * each explanation is one click away in a disclosure. A bar of -1 (not applicable) is empty.
 */
export function RatingChart({ metrics, caption }: { metrics: readonly MetricBar[]; caption: string }) {
  // A page holds more than one chart: the description ids are unique across them.
  const chartId = useId();
  const valueId = (key: string) => `${chartId}-${key}-value`;
  return (
    <div className="chart" role="group" aria-label={caption}>
      {metrics.map((metric) => {
        const verdict = verdictOf(metric.value);
        const width = barPercent(metric.value);
        return (
          <Disclosure key={metric.key} className="metric" id={metric.key}>
            <div className="metric-row">
              <Heading level={3} className="metric-name">
                {/* Named by its visible words ("License why?"), so speech input can say what it sees
                    (WCAG 2.5.3); the score beside it is the description, read after the name. */}
                <Button slot="trigger" className="metric-trigger" aria-describedby={valueId(metric.key)}>
                  <span className="metric-label">{metric.label}</span> <span className="why">why?</span>
                </Button>
              </Heading>
              <div className="bar-track" aria-hidden="true">
                <div className={`bar bar-${verdict}`} style={{ width: `${width}%` }} />
                <div className="bar-threshold" />
              </div>
              <span className={`metric-value value-${verdict}`} id={valueId(metric.key)}>
                {formatScore(metric.value)} <span className="visually-hidden-sm">{VERDICT_TEXT[verdict]}</span>
              </span>
            </div>
            <DisclosurePanel>
              {/* Styled inside the panel: a collapsed panel keeps its own box (hidden="until-found"). */}
              <div className="explanation">
                <p>{metric.explanation}</p>
                {metric.latencySeconds !== undefined && <p className="muted">Computed in {metric.latencySeconds.toFixed(3)} s.</p>}
              </div>
            </DisclosurePanel>
          </Disclosure>
        );
      })}
    </div>
  );
}

/** The rating's fields, in the order docs/metrics.md lists them. */
export const METRIC_LABELS = {
  netScore: 'Net score',
  rampUpTime: 'Ramp-up time',
  busFactor: 'Bus factor',
  performanceClaims: 'Performance claims',
  license: 'License',
  datasetAndCodeScore: 'Dataset and code',
  datasetQuality: 'Dataset quality',
  codeQuality: 'Code quality',
  reproducibility: 'Reproducibility',
  reviewedness: 'Reviewedness',
  treeScore: 'Tree score',
} as const;

export type MetricKey = keyof typeof METRIC_LABELS;

export interface RatingView {
  readonly [key: string]: unknown;
  readonly sizeScore: { raspberryPi: Score; jetsonNano: Score; desktopPc: Score; awsServer: Score; explanation: string; latencySeconds: number };
}

type Scored = { value: Score; explanation: string; latencySeconds?: number };

/** Bars for every metric of a rating, then one per device for the size score. */
export function ratingBars(rating: Record<MetricKey, Scored> & Pick<RatingView, 'sizeScore'>): { metrics: MetricBar[]; devices: MetricBar[] } {
  const metrics = (Object.keys(METRIC_LABELS) as MetricKey[]).map((key) => ({ key, label: METRIC_LABELS[key], ...rating[key] }));
  const size = rating.sizeScore;
  const devices = (
    [
      ['raspberryPi', 'Raspberry Pi'],
      ['jetsonNano', 'Jetson Nano'],
      ['desktopPc', 'Desktop PC'],
      ['awsServer', 'AWS server'],
    ] as const
  ).map(([key, label]) => ({ key: `size-${key}`, label: `Size: ${label}`, value: size[key], explanation: size.explanation, latencySeconds: size.latencySeconds }));
  return { metrics, devices };
}
