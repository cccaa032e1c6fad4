import type { MetricScore, NetScore, Rating, ScalarMetric, SizeScore } from '../../domain/rating/rating.js';
import { DEVICE_BUDGETS } from '../../domain/rating/size-score.js';
import { builder } from '../builder.js';

const LATENCY = 'Time this metric took to compute, in seconds.';
const EXPLANATION = 'The evidence used and the arithmetic, in words a user can check.';

const MetricScoreRef = builder.objectRef<MetricScore>('MetricScore').implement({
  description: 'One trust metric: its value, how long it took, and why.',
  fields: (t) => ({
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'In [0, 1]; null when the metric is not applicable (the evidence it needs does not exist), with the explanation saying why.',
    }),
    latencySeconds: t.exposeFloat('latencySeconds', { description: LATENCY }),
    explanation: t.exposeString('explanation', { description: EXPLANATION }),
  }),
});

const NetScoreRef = builder.objectRef<NetScore>('NetScore').implement({
  description: 'The weighted mean of the applicable metrics: always a value (docs/metrics.md, "netScore").',
  fields: (t) => ({
    value: t.exposeFloat('value', { description: 'In [0, 1].' }),
    latencySeconds: t.exposeFloat('latencySeconds', { description: 'Wall time of the whole rating, in seconds.' }),
    explanation: t.exposeString('explanation', { description: EXPLANATION }),
  }),
});

const GB = 1e9;
/** Each device's score, with the budget it is scored against (the same table the metric uses). */
const device = (name: string, budget: keyof typeof DEVICE_BUDGETS) =>
  ({
    nullable: true,
    description:
      `How well the weights fit ${name}, in [0, 1]: 1 up to ${DEVICE_BUDGETS[budget].full / GB} GB of weights, falling linearly to 0 at ${DEVICE_BUDGETS[budget].zero / GB} GB. ` +
      'Null when the weight size is unknown.',
  }) as const;

const SizeScoreRef = builder.objectRef<SizeScore>('SizeScore').implement({
  description: 'How well the weights fit each device. The ingest gate counts the best device.',
  fields: (t) => ({
    raspberryPi: t.exposeFloat('raspberryPi', device('a Raspberry Pi', 'raspberryPi')),
    jetsonNano: t.exposeFloat('jetsonNano', device('a Jetson Nano', 'jetsonNano')),
    desktopPc: t.exposeFloat('desktopPc', device('a desktop PC with a GPU', 'desktopPc')),
    awsServer: t.exposeFloat('awsServer', device('an AWS GPU server', 'awsServer')),
    latencySeconds: t.exposeFloat('latencySeconds', { description: LATENCY }),
    explanation: t.exposeString('explanation', { description: EXPLANATION }),
  }),
});

const metric = (name: ScalarMetric, description: string) => ({ type: MetricScoreRef, description, resolve: (rating: Rating) => rating[name] }) as const;

export const RatingRef = builder.objectRef<Rating>('Rating').implement({
  description: 'A model\'s trust rating as stored when it was computed (at ingest, or by rateModel). Formulas: docs/metrics.md.',
  fields: (t) => ({
    ratedAt: t.field({ type: 'DateTime', description: 'When the evidence was read and the rating computed.', resolve: (rating) => rating.ratedAt }),
    netScore: t.field({ type: NetScoreRef, description: 'Weighted mean of the applicable metrics.', resolve: (rating) => rating.netScore }),
    rampUpTime: t.field(metric('rampUpTime', 'How quickly a new user gets a first result.')),
    busFactor: t.field(metric('busFactor', 'How little the code depends on few people; its value is null (not applicable) without a readable GitHub repository.')),
    performanceClaims: t.field(metric('performanceClaims', 'How well performance claims are backed by evidence.')),
    license: t.field(metric('license', 'Compatibility with LGPL-2.1 for fine-tuning and inference.')),
    datasetAndCodeScore: t.field(metric('datasetAndCodeScore', 'Whether training data and code are documented and linked.')),
    datasetQuality: t.field(metric('datasetQuality', 'Documentation quality of the training datasets; value null without a readable dataset card.')),
    codeQuality: t.field(metric('codeQuality', 'Quality signals of the linked code repository; value null without a readable GitHub repository.')),
    reproducibility: t.field(metric('reproducibility', '0, 0.5 or 1: whether the model runs as documented, judged from its card and files (no code is run).')),
    reviewedness: t.field(metric('reviewedness', 'Fraction of recent code that arrived through reviewed pull requests; value null without a GitHub repository.')),
    treeScore: t.field(metric('treeScore', 'Mean net score of the lineage parents in the registry; value null when none is registered and rated.')),
    sizeScore: t.field({ type: SizeScoreRef, description: 'How well the weights fit four devices, each in [0, 1].', resolve: (rating) => rating.sizeScore }),
  }),
});
