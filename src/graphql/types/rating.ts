import type { MetricScore, Rating, SizeScore } from '../../domain/rating/rating.js';
import { builder } from '../builder.js';

const MetricScoreRef = builder.objectRef<MetricScore>('MetricScore').implement({
  description: 'One trust metric: a value in [0, 1] (-1: not applicable, the evidence it needs does not exist), how long it took, and why.',
  fields: (t) => ({
    value: t.exposeFloat('value'),
    latencySeconds: t.exposeFloat('latencySeconds', { description: 'Time this metric took to compute, in seconds.' }),
    explanation: t.exposeString('explanation', { description: 'The evidence used and the arithmetic, in words a user can check.' }),
  }),
});

const SizeScoreRef = builder.objectRef<SizeScore>('SizeScore').implement({
  description: 'How well the weights fit each device, each in [0, 1] (-1 when the weight size is unknown).',
  fields: (t) => ({
    raspberryPi: t.exposeFloat('raspberryPi'),
    jetsonNano: t.exposeFloat('jetsonNano'),
    desktopPc: t.exposeFloat('desktopPc'),
    awsServer: t.exposeFloat('awsServer'),
    latencySeconds: t.exposeFloat('latencySeconds'),
    explanation: t.exposeString('explanation'),
  }),
});

const metric = (name: Exclude<keyof Rating, 'ratedAt' | 'sizeScore'>, description: string) =>
  ({ type: MetricScoreRef, description, resolve: (rating: Rating) => rating[name] }) as const;

export const RatingRef = builder.objectRef<Rating>('Rating').implement({
  description: 'A model\'s trust rating as stored when it was computed (at ingest, or by rateModel). Formulas: docs/metrics.md.',
  fields: (t) => ({
    ratedAt: t.field({ type: 'DateTime', resolve: (rating) => rating.ratedAt }),
    netScore: t.field(metric('netScore', 'Weighted mean of the applicable metrics.')),
    rampUpTime: t.field(metric('rampUpTime', 'How quickly a new user gets a first result.')),
    busFactor: t.field(metric('busFactor', 'How little the code depends on few people.')),
    performanceClaims: t.field(metric('performanceClaims', 'How well performance claims are backed by evidence.')),
    license: t.field(metric('license', 'Compatibility with LGPL-2.1 for fine-tuning and inference.')),
    datasetAndCodeScore: t.field(metric('datasetAndCodeScore', 'Whether training data and code are documented and linked.')),
    datasetQuality: t.field(metric('datasetQuality', 'Documentation quality of the training datasets.')),
    codeQuality: t.field(metric('codeQuality', 'Quality signals of the linked code repository.')),
    reproducibility: t.field(metric('reproducibility', '0, 0.5 or 1: whether the model runs as documented.')),
    reviewedness: t.field(metric('reviewedness', 'Fraction of recent code that arrived through reviewed pull requests; -1 without a GitHub repository.')),
    treeScore: t.field(metric('treeScore', 'Mean net score of the lineage parents in the registry.')),
    sizeScore: t.field({ type: SizeScoreRef, resolve: (rating) => rating.sizeScore }),
  }),
});
