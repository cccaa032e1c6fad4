/**
 * Rates every recorded fixture model through the production clients and metrics (replayed
 * responses, no network) and prints a Markdown table: net score, each metric, gate outcome.
 *   npx tsx scripts/rate-fixtures.ts [--explain <model id>]
 */
import { ingestGate } from '../src/domain/rating/ingest-gate.js';
import { DEVICES, SCALAR_METRICS } from '../src/domain/rating/rating.js';
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
const f = (v: number) => (v === -1 ? 'n/a' : v.toFixed(2));
console.log(`| model | net | ${SCALAR_METRICS.map((m) => short[m]).join(' | ')} | size (pi/jetson/pc/aws) | gate |`);
console.log(`|---|---|${SCALAR_METRICS.map(() => '---').join('|')}|---|---|`);
for (const id of replay.modelIds) {
  const rating = await fixtureRating(id, { replay });
  const verdict = ingestGate(rating);
  const gate = verdict.passed ? 'pass' : `DISQUALIFIED (${verdict.failures.map((x) => `${x.metric} ${f(x.value)}`).join(', ')})`;
  console.log(`| ${id} | ${f(rating.netScore.value)} | ${SCALAR_METRICS.map((m) => f(rating[m].value)).join(' | ')} | ${DEVICES.map((d) => f(rating.sizeScore[d])).join('/')} | ${gate} |`);
}
