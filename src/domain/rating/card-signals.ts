import { cardSections, codeBlocks, findSection, hasSubstance, wordCount, type CardSection } from './card-text.js';

/** What several metrics want to know about a model card, read once. */
export interface CardSignals {
  readonly words: number;
  /** A section on how to use the model ("How to use", "Usage", "Quick start", "Examples" ...). */
  readonly usageSection?: string;
  /** A code block that loads or runs the model (from_pretrained, pipeline(...), ...). */
  readonly loadingExample: boolean;
  /** Any fenced code block at all (install commands, snippets). */
  readonly codeBlockCount: number;
  /** A section describing the training data. */
  readonly trainingDataSection?: string;
  /** A section reporting evaluation results, and whether it carries numbers. */
  readonly evaluationSection?: string;
  readonly evaluationHasNumbers: boolean;
  /** `pip install x==1.2` style pins, or a requirements file mentioned. */
  readonly pinnedDependencies: boolean;
}

const USAGE = /\b(how to use|usage|use with|using|quick ?start|getting started|examples?|inference|intended uses?)\b/i;
const TRAINING_DATA = /(train\w*|fine-?tun\w*)\W+(\w+\W+)?(data|datasets?|corpus|corpora)\b|^(training )?(data|datasets?)$/i;
const EVALUATION = /\b(evaluation|results?|benchmarks?|performance|metrics?|accuracy)\b/i;
/** Calls that load a Hub model in the libraries cards show: transformers, diffusers, sentence-transformers, timm, ... */
const LOADING_CALL = /\b(from_pretrained|pipeline\s*\(|SentenceTransformer\s*\(|DiffusionPipeline|StableDiffusionPipeline|hf_hub_download|snapshot_download|timm\.create_model|load_model|AutoModel\w*)/;

export function readCardSignals(text: string): CardSignals {
  const sections = cardSections(text);
  const blocks = codeBlocks(text);
  const evaluation = findSection(sections, EVALUATION);
  return {
    words: wordCount(text),
    ...optional('usageSection', findSection(sections, USAGE)),
    loadingExample: blocks.some((block) => ['python', 'py', ''].includes(block.language) && LOADING_CALL.test(block.code)),
    codeBlockCount: blocks.length,
    ...optional('trainingDataSection', findSection(sections, TRAINING_DATA) ?? findSection(sections, /^training\b/i)),
    ...optional('evaluationSection', evaluation),
    evaluationHasNumbers: evaluation !== undefined && /\d+(\.\d+)?\s*%?/.test(evaluation.content.replace(/\[\d+\]/g, '')) && hasSubstance(evaluation.content),
    pinnedDependencies: /pip install[^\n]*==\d|requirements\.txt/i.test(text),
  };
}

function optional<K extends string>(key: K, section: CardSection | undefined): Partial<Record<K, string>> {
  return section ? ({ [key]: section.heading } as Record<K, string>) : {};
}
