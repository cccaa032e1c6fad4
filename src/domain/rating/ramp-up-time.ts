import { readCardSignals } from './card-signals.js';
import type { ModelEvidence } from './model-evidence.js';
import type { MetricOutcome } from './rating.js';
import { fmt } from './format.js';

/** Libraries that load a Hub model by its id in one documented call. */
export const LOADABLE_LIBRARIES = new Set([
  'transformers', 'sentence-transformers', 'diffusers', 'timm', 'peft', 'espnet', 'speechbrain', 'flair', 'spacy',
  'open_clip', 'keras', 'tf-keras', 'adapter-transformers', 'fastai', 'stable-baselines3', 'paddlenlp', 'asteroid',
  'nemo', 'pyannote-audio', 'fairseq', 'setfit', 'span-marker', 'transformers.js', 'gguf', 'mlx', 'bertopic',
  'gliner', 'sklearn', 'fasttext', 'stanza', 'onnx', 'ctranslate2', 'llama.cpp', 'mlc-llm', 'ultralytics',
]);

/** Weights of the parts of ramp-up time; they sum to 1. */
const PARTS = { documentation: 0.4, library: 0.3, task: 0.1, access: 0.2 } as const;

/**
 * How quickly a new user gets from the model page to a first result: usage documentation with code,
 * a library that loads it by id, a declared task, and open access (no approval wait).
 */
export function rampUpTime(evidence: ModelEvidence): MetricOutcome {
  const { hub, card } = evidence;
  const notes: string[] = [];

  let documentation: number;
  if (card.status === 'present') {
    const signals = readCardSignals(card.text);
    const usage = signals.usageSection ? 0.5 : 0;
    const code = signals.loadingExample ? 0.5 : signals.codeBlockCount > 0 ? 0.25 : 0;
    documentation = usage + code;
    notes.push(
      `card (${signals.words} words): ${signals.usageSection ? `usage section "${signals.usageSection}"` : 'no usage section'}, ` +
        `${signals.loadingExample ? 'a code example that loads the model' : signals.codeBlockCount > 0 ? 'code blocks but none loading the model' : 'no code example'} -> ${fmt(documentation)}`,
    );
  } else if (card.status === 'unavailable') {
    documentation = 0.5;
    notes.push(`the card could not be read (${card.reason}), so documentation counts as neutral 0.5`);
  } else {
    documentation = 0;
    notes.push('no model card -> 0');
  }

  const library = hub.libraryName === undefined ? 0 : LOADABLE_LIBRARIES.has(hub.libraryName) ? 1 : 0.5;
  notes.push(
    hub.libraryName === undefined
      ? 'no library declared -> 0'
      : `library ${hub.libraryName} ${library === 1 ? 'loads it by id' : 'is declared but not one known to load Hub models by id'} -> ${fmt(library)}`,
  );
  const task = hub.pipelineTag ? 1 : 0;
  notes.push(hub.pipelineTag ? `task ${hub.pipelineTag} declared -> 1` : 'no task declared -> 0');
  const access = hub.gated === 'open' ? 1 : hub.gated === 'auto' ? 0.5 : 0;
  notes.push(
    hub.gated === 'open' ? 'open access -> 1' : hub.gated === 'auto' ? 'gated, approved automatically after accepting terms -> 0.5' : 'gated, access needs manual approval by the authors -> 0',
  );

  const value = PARTS.documentation * documentation + PARTS.library * library + PARTS.task * task + PARTS.access * access;
  return {
    value,
    explanation: `${fmt(PARTS.documentation)} x documentation + ${fmt(PARTS.library)} x library + ${fmt(PARTS.task)} x task + ${fmt(PARTS.access)} x access = ${fmt(value, 3)}. ${notes.join('; ')}.`,
  };
}
