import { gatherModelEvidence, type EvidenceOptions, type ParentLookup } from '../../src/application/model-evidence.js';
import { rateModel } from '../../src/application/rate-model.js';
import type { ModelEvidence } from '../../src/domain/rating/model-evidence.js';
import type { Rating } from '../../src/domain/rating/rating.js';
import { replayUpstream } from './upstream.js';
import type { FixtureReplay } from './fixture-replay.js';

/** Rating time used by metric tests; recency (code maintenance) is judged against it. */
export const OBSERVED_AT = '2025-06-01T00:00:00.000Z';

export const noParentsRegistered: ParentLookup = async (ids) => ids.map((hubId) => ({ hubId }));

/** Evidence for a recorded model, gathered by the production code through the replayed clients. */
export async function fixtureEvidence(repoId: string, options: { parents?: ParentLookup; replay?: FixtureReplay; evidence?: EvidenceOptions } = {}): Promise<ModelEvidence> {
  const upstream = replayUpstream(options.replay ? { replay: options.replay } : {});
  const gathered = await gatherModelEvidence(upstream, repoId, options.parents ?? noParentsRegistered, OBSERVED_AT, options.evidence);
  if (!gathered.ok) throw new Error(`evidence for ${repoId}: ${gathered.error.message}`);
  if (upstream.fetch.unknown.length > 0) throw new Error(`unrecorded URLs: ${upstream.fetch.unknown.join(', ')}`);
  return gathered.value.evidence;
}

export async function fixtureRating(repoId: string, options: Parameters<typeof fixtureEvidence>[1] = {}): Promise<Rating> {
  return rateModel(await fixtureEvidence(repoId, options), OBSERVED_AT);
}
