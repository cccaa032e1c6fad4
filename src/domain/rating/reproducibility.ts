import { readCardSignals } from './card-signals.js';
import type { ModelEvidence, RepoFile } from './model-evidence.js';
import type { MetricOutcome } from './rating.js';

/** Files that tell a library how to build the model from its weights. */
const CONFIG_FILE = /(^|\/)(config\.json|model_index\.json|modules\.json|params\.json|adapter_config\.json|config\.ya?ml|hyperparams\.ya?ml)$/i;
export const WEIGHT_FILE = /\.(safetensors|bin|pt|pth|ckpt|h5|msgpack|onnx|gguf|ggml|ot|tflite|mlmodel|pb|keras|nemo|npz)$/i;

export const hasWeights = (files: readonly RepoFile[]): boolean => files.some((file) => WEIGHT_FILE.test(file.path) && !/training_args\.bin$/.test(file.path));

/**
 * Whether the published model can be run as documented, without executing anything (requirements §2):
 * 1 when the card shows code that loads it and the repository has the config and weights that code
 * needs; 0.5 when only one of the two holds; 0 when neither does.
 */
export function reproducibility(evidence: ModelEvidence): MetricOutcome {
  const { hub, card } = evidence;
  const config = hub.files.find((file) => CONFIG_FILE.test(file.path));
  const weights = hasWeights(hub.files);
  const loadable = config !== undefined && weights;
  const loadableNote = loadable ? `the repository has ${config.path} and weights` : config ? `the repository has ${config.path} but no weight files` : 'the repository has no model config file';
  const signals = card.status === 'present' ? readCardSignals(card.text) : undefined;
  const example = signals?.loadingExample === true;
  const pins = signals?.pinnedDependencies ? '; the card pins dependency versions' : '';

  if (example && loadable) return { value: 1, explanation: `The card shows code that loads the model and ${loadableNote}${pins}.` };
  if (card.status === 'unavailable') {
    return {
      value: loadable ? 0.5 : 0,
      explanation: `${loadable ? `Loadable: ${loadableNote}` : `Not loadable as published: ${loadableNote}`}; the card could not be read (${card.reason}), so no example could be checked.`,
    };
  }
  const exampleNote = card.status === 'absent' ? 'there is no model card' : example ? 'the card shows code that loads the model' : 'the card shows no code that loads the model';
  if (example || loadable) return { value: 0.5, explanation: `Half the evidence: ${exampleNote}, and ${loadableNote}${pins}.` };
  return { value: 0, explanation: `Neither a runnable example nor a loadable repository: ${exampleNote}, and ${loadableNote}.` };
}
