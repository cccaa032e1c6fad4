import { readCardSignals } from './card-signals.js';
import type { ModelEvidence } from './model-evidence.js';
import type { MetricOutcome } from './rating.js';
import { fmt, list } from './format.js';
import { LOADABLE_LIBRARIES } from './ramp-up-time.js';

/**
 * Whether a user can find what the model was trained on and the code behind it: the mean of a
 * training-data part and a code part.
 */
export function datasetAndCodeScore(evidence: ModelEvidence): MetricOutcome {
  const { hub, card, code } = evidence;
  const signals = card.status === 'present' ? readCardSignals(card.text) : undefined;

  let data: number;
  let dataNote: string;
  if (hub.datasets.length > 0) {
    [data, dataNote] = [1, `declares training datasets ${list(hub.datasets)} -> 1`];
  } else if (signals?.trainingDataSection) {
    [data, dataNote] = [0.75, `no datasets declared in metadata, but section "${signals.trainingDataSection}" describes the training data -> 0.75`];
  } else if (card.status === 'unavailable') {
    [data, dataNote] = [0.5, 'no datasets declared in metadata and the card could not be read -> neutral 0.5'];
  } else {
    [data, dataNote] = [0, `training data not documented (no datasets declared${card.status === 'absent' ? ', no card' : ', no training-data section'}) -> 0`];
  }

  let codePart: number;
  let codeNote: string;
  if (code.status === 'present') {
    [codePart, codeNote] = [1, `card links its code ${code.url} -> 1`];
  } else if (code.status === 'unreadable') {
    [codePart, codeNote] = [0.5, `card links ${code.url} but it could not be read (${code.reason}) -> 0.5`];
  } else if (hub.libraryName !== undefined && LOADABLE_LIBRARIES.has(hub.libraryName)) {
    [codePart, codeNote] = [0.5, `no code repository linked; the architecture's code is public in ${hub.libraryName} -> 0.5`];
  } else if (card.status === 'unavailable') {
    [codePart, codeNote] = [0.5, 'no code link known and the card could not be read -> neutral 0.5'];
  } else {
    [codePart, codeNote] = [0, 'no code linked and no library implements the model -> 0'];
  }

  const value = (data + codePart) / 2;
  return { value, explanation: `Mean of training data and code = ${fmt(value, 3)}. Data: ${dataNote}. Code: ${codeNote}.` };
}
