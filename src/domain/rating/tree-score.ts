import type { ModelEvidence } from './model-evidence.js';
import { NOT_APPLICABLE, type MetricOutcome } from './rating.js';
import { fmt, list } from './format.js';

/**
 * Mean net score of the model's lineage parents that are registered and rated; not applicable when
 * none is (requirements §2: a parent outside the registry says nothing we have checked).
 */
export function treeScore(evidence: ModelEvidence): MetricOutcome {
  const { parents } = evidence;
  if (parents.length === 0) return { value: NOT_APPLICABLE, explanation: 'Not applicable: the model declares no parent model (base_model).' };
  const rated = parents.flatMap((p) => (p.registered?.netScore !== undefined ? [{ id: p.hubId, score: p.registered.netScore }] : []));
  const unregistered = parents.filter((p) => !p.registered).map((p) => p.hubId);
  const unrated = parents.filter((p) => p.registered && p.registered.netScore === undefined).map((p) => p.hubId);
  const missing = [
    ...(unregistered.length ? [`not in the registry: ${list(unregistered)}`] : []),
    ...(unrated.length ? [`registered without a rating: ${list(unrated)}`] : []),
  ].join('; ');
  if (rated.length === 0) return { value: NOT_APPLICABLE, explanation: `Not applicable: no parent is registered and rated (${missing}).` };
  const value = rated.reduce((sum, p) => sum + p.score, 0) / rated.length;
  return {
    value,
    explanation: `Mean net score of registered parents = ${fmt(value, 3)}: ${rated.map((p) => `${p.id} ${fmt(p.score, 3)}`).join(', ')}${missing ? `; ${missing}` : ''}.`,
  };
}
