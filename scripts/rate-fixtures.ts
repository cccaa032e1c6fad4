/**
 * Rates every recorded fixture model through the production clients and metrics (replayed
 * responses, no network) and prints a Markdown table: net score, each metric, gate outcome.
 *   npx tsx scripts/rate-fixtures.ts [--explain <model id>]
 */
import { describeFailures, ingestGate } from '../src/domain/rating/ingest-gate.js';
import { bestDevice, DEVICES, isApplicable, SCALAR_METRICS, type Device, type MetricValue } from '../src/domain/rating/rating.js';
import { FixtureReplay } from '../test/support/fixture-replay.js';
import { fixtureRating } from '../test/support/fixture-ratings.js';

const explain = process.argv.indexOf('--explain');
const replay = new FixtureReplay();
if (explain > 0) {
  const rating = await fixtureRating(process.argv[explain + 1]!, { replay });
  console.log(JSON.stringify(rating, null, 2));
  process.exit(0);
}
const short: Record<string, string> = {
  rampUpTime: 'ramp', busFactor: 'bus', performanceClaims: 'perf', license: 'lic', datasetAndCodeScore: 'd&c',
  datasetQuality: 'dq', codeQuality: 'code', reproducibility: 'repro', reviewedness: 'rev', treeScore: 'tree',
};
const f = (v: MetricValue) => (isApplicable(v) ? v.toFixed(2) : 'n/a');
/** Every device, the best one in bold (the gate counts it); one n/a when the weight size is unknown. */
const size = (scores: Readonly<Record<Device, MetricValue>>): string => {
  const best = bestDevice(scores);
  return best ? DEVICES.map((d) => (d === best.device ? `**${f(scores[d])}**` : f(scores[d]))).join('/') : 'n/a';
};
console.log(`| model | net | ${SCALAR_METRICS.map((m) => short[m]).join(' | ')} | size (pi/jetson/pc/aws) | gate |`);
console.log(`|---|---|${SCALAR_METRICS.map(() => '---').join('|')}|---|---|`);
for (const id of replay.modelIds) {
  const rating = await fixtureRating(id, { replay });
  const verdict = ingestGate(rating);
  const gate = verdict.passed ? 'pass' : `DISQUALIFIED: ${describeFailures(verdict.failures)}`;
  console.log(`| ${id} | ${f(rating.netScore.value)} | ${SCALAR_METRICS.map((m) => f(rating[m].value)).join(' | ')} | ${size(rating.sizeScore)} | ${gate} |`);
}
