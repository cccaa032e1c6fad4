import { beforeAll, describe, expect, it } from 'vitest';
import { gatherCodeEvidence } from '../../src/application/model-evidence.js';
import type { CodeEvidence, ModelEvidence } from '../../src/domain/rating/model-evidence.js';
import { rampUpTime } from '../../src/domain/rating/ramp-up-time.js';
import { performanceClaims } from '../../src/domain/rating/performance-claims.js';
import { licenseMetric } from '../../src/domain/rating/license-metric.js';
import { datasetAndCodeScore } from '../../src/domain/rating/dataset-and-code.js';
import { datasetQuality, reviewDatasetCard } from '../../src/domain/rating/dataset-quality.js';
import { reproducibility } from '../../src/domain/rating/reproducibility.js';
import { busFactor } from '../../src/domain/rating/bus-factor.js';
import { codeQuality } from '../../src/domain/rating/code-quality.js';
import { reviewedness } from '../../src/domain/rating/reviewedness.js';
import { treeScore } from '../../src/domain/rating/tree-score.js';
import { sizeScore, weightSize } from '../../src/domain/rating/size-score.js';
import { NOT_APPLICABLE } from '../../src/domain/rating/rating.js';
import { fixtureEvidence } from '../support/fixture-ratings.js';
import { replayUpstream } from '../support/upstream.js';
import { readFileSync } from 'node:fs';

/**
 * Every expected value below was worked out by hand from the recorded fixture (test/fixtures) named
 * in the test, following the formula in docs/metrics.md; the comment shows the arithmetic.
 */
const MODELS = [
  'google-bert/bert-base-uncased',
  'google-t5/t5-small',
  'meta-llama/Llama-3.1-8B-Instruct',
  'meta-llama/Meta-Llama-3-8B-Instruct',
  'openai-community/gpt2',
  'dbmdz/bert-large-cased-finetuned-conll03-english',
  'deepset/roberta-base-squad2',
  'CompVis/stable-diffusion-v1-4',
  'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
  'sentence-transformers/all-MiniLM-L6-v2',
  'google/flan-t5-large',
  'HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1',
  'Salesforce/blip-image-captioning-base',
] as const;
type Model = (typeof MODELS)[number];

const evidence = {} as Record<Model, ModelEvidence>;
/** github3.py is the only code repository with recorded contributors and commits. */
let github3py: Extract<CodeEvidence, { status: 'present' }>;

beforeAll(async () => {
  for (const id of MODELS) evidence[id] = await fixtureEvidence(id);
  // Reviews of the PRs its commits came from were not recorded, so none are looked up here.
  const code = await gatherCodeEvidence(replayUpstream(), { owner: 'sigmavirus24', repo: 'github3.py', url: 'https://github.com/sigmavirus24/github3.py' }, { maxDatasetCards: 3, contributorPages: 3, commitSample: 25, maxReviewLookups: 0 });
  if (!code.ok || code.value.status !== 'present') throw new Error('github3.py evidence');
  github3py = code.value;
});

/** A fixture model as if its card linked github3.py: real Hub evidence plus real GitHub evidence. */
const withCode = (id: Model): ModelEvidence => ({ ...evidence[id], code: github3py });

describe('rampUpTime = 0.4 documentation + 0.3 library + 0.1 task + 0.2 access', () => {
  it.each([
    // Card: "Intended uses & limitations" section (0.5) + python example with from_pretrained/pipeline (0.5); transformers; fill-mask; open.
    ['google-bert/bert-base-uncased', 1, 'a code example that loads the model'],
    // Card has only PreTraining / checkpoints / paper sections and no code: documentation 0 -> 0.3 + 0.1 + 0.2.
    ['google-t5/t5-small', 0.6, 'no usage section'],
    // Full documentation, but access needs Meta's manual approval: 0.4 + 0.3 + 0.1 + 0.
    ['meta-llama/Llama-3.1-8B-Instruct', 0.8, 'manual approval'],
    // Card not recorded (unavailable, neutral 0.5): 0.2 + 0.3 + 0.1 + 0.2.
    ['openai-community/gpt2', 0.8, 'could not be read'],
    // No README in the repository at all: 0 + 0.3 + 0.1 + 0.2.
    ['dbmdz/bert-large-cased-finetuned-conll03-english', 0.6, 'no model card'],
    // Unavailable card and gated: 0.2 + 0.3 + 0.1 + 0.
    ['meta-llama/Meta-Llama-3-8B-Instruct', 0.6, 'manual approval'],
  ] as const)('%s -> %s', (id, expected, because) => {
    const outcome = rampUpTime(evidence[id]);
    expect(outcome.value).toBeCloseTo(expected, 6);
    expect(outcome.explanation).toContain(because);
  });
});

describe('performanceClaims = the strongest evidence found', () => {
  it.each([
    // 17 metric values in model-index (exact match / F1 on squad_v2 and squad, ...) -> 1.
    ['deepset/roberta-base-squad2', 1, '17 metric values'],
    // "Evaluation results" section with a GLUE table (0.8) beats the arXiv:1810.04805 paper (0.6).
    ['google-bert/bert-base-uncased', 0.8, 'Evaluation results'],
    // No evaluation section in its short card, but eight arXiv papers -> 0.6.
    ['google-t5/t5-small', 0.6, 'arXiv:1805.12471'],
    // Card unreadable (0.5), no paper, no model-index.
    ['openai-community/gpt2', 0.5, 'could not be read'],
    // No card, no paper, no model-index: nothing backs any claim.
    ['dbmdz/bert-large-cased-finetuned-conll03-english', 0, 'No performance evidence'],
    // zephyr's model-index has an entry with an empty results list: it counts for nothing; arXiv papers -> 0.6.
    ['HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1', 0.6, 'arXiv'],
  ] as const)('%s -> %s', (id, expected, because) => {
    const outcome = performanceClaims(evidence[id]);
    expect(outcome.value).toBeCloseTo(expected, 6);
    expect(outcome.explanation).toContain(because);
  });
});

describe('license: LGPL-2.1 compatibility for fine-tune + inference', () => {
  it.each([
    ['google-bert/bert-base-uncased', 1, 'apache-2.0: a permissive license'],
    ['deepset/roberta-base-squad2', 1, 'cc-by-4.0'],
    // OpenRAIL restricts fields of use: unclear, partial.
    ['CompVis/stable-diffusion-v1-4', 0.5, 'creativeml-openrail-m: a responsible-AI'],
    // Llama community licenses add use policies and user caps LGPL-2.1 forbids.
    ['meta-llama/Meta-Llama-3-8B-Instruct', 0, 'llama3: incompatible'],
    ['meta-llama/Llama-3.1-8B-Instruct', 0, 'llama3.1: incompatible'],
    // No license field and no license: tag.
    ['dbmdz/bert-large-cased-finetuned-conll03-english', 0, 'No license declared'],
  ] as const)('%s -> %s', (id, expected, because) => {
    const outcome = licenseMetric(evidence[id]);
    expect(outcome.value).toBe(expected);
    expect(outcome.explanation).toContain(because);
  });

  it('falls back to the code repository license when the card names none (dbmdz + github3.py: BSD-3-Clause -> 1)', () => {
    const outcome = licenseMetric(withCode('dbmdz/bert-large-cased-finetuned-conll03-english'));
    expect(outcome).toEqual({ value: 1, explanation: expect.stringContaining('the code repository sigmavirus24/github3.py is under bsd-3-clause') });
  });
});

describe('datasetAndCodeScore = mean(training data, code)', () => {
  it.each([
    // Declares bookcorpus + wikipedia (1); links github.com/google-research/bert, which the pack has no recording of (404 -> 0.5).
    ['google-bert/bert-base-uncased', 0.75],
    // No datasets in metadata, "Training" section in the card (0.75); links CompVis/stable-diffusion, unrecorded (0.5).
    ['CompVis/stable-diffusion-v1-4', 0.625],
    // Declares c4 (1); no code link, the architecture is in transformers (0.5).
    ['google-t5/t5-small', 0.75],
    // Nothing declared, card unreadable (0.5); transformers (0.5).
    ['openai-community/gpt2', 0.5],
    // Nothing declared and no card (0); transformers (0.5).
    ['dbmdz/bert-large-cased-finetuned-conll03-english', 0.25],
  ] as const)('%s -> %s', (id, expected) => {
    expect(datasetAndCodeScore(evidence[id]).value).toBeCloseTo(expected, 6);
  });

  it('counts a readable linked repository as code: bert + github3.py -> (1 + 1) / 2', () => {
    expect(datasetAndCodeScore(withCode('google-bert/bert-base-uncased')).value).toBe(1);
  });
});

describe('datasetQuality = mean over readable dataset cards of the 7 essentials covered', () => {
  it('bert: bookcorpus and wikipedia each 5/7 (provenance and limitations are template placeholders) -> 0.714', () => {
    const outcome = datasetQuality(evidence['google-bert/bert-base-uncased']);
    expect(outcome.value).toBeCloseTo(5 / 7, 6);
    expect(outcome.explanation).toContain('bookcorpus 5/7 (missing provenance, limitations)');
  });

  it('t5-small: c4 6/7 (only limitations missing) -> 0.857', () => {
    expect(datasetQuality(evidence['google-t5/t5-small']).value).toBeCloseTo(6 / 7, 6);
  });

  it('distilbert-sst2: sst2 5/7 and glue 5/7 -> 0.714', () => {
    expect(datasetQuality(evidence['distilbert/distilbert-base-uncased-finetuned-sst-2-english']).value).toBeCloseTo(5 / 7, 6);
  });

  it('is not applicable without declared datasets (gpt2), or when no declared card is readable (all-MiniLM: s2orc, stackexchange_xml, ms_marco unrecorded)', () => {
    expect(datasetQuality(evidence['openai-community/gpt2']).value).toBe(NOT_APPLICABLE);
    const minilm = datasetQuality(evidence['sentence-transformers/all-MiniLM-L6-v2']);
    expect(minilm.value).toBe(NOT_APPLICABLE);
    expect(minilm.explanation).toContain('cards not readable: s2orc');
  });

  it('reviews a card that is mostly scripts (zeta): only the license is there -> 1/7', () => {
    const card = readFileSync(new URL('../fixtures/huggingface/datasets/zed-industries__zeta.README.md', import.meta.url), 'utf8');
    expect(reviewDatasetCard(card)).toEqual({ score: 1 / 7, missing: ['summary', 'structure', 'splits', 'provenance', 'limitations', 'citation'] });
  });
});

describe('reproducibility: 1 example + loadable, 0.5 one of them, 0 neither', () => {
  it.each([
    // Python example with from_pretrained; config.json and model.safetensors present.
    ['google-bert/bert-base-uncased', 1],
    // Diffusers example; model_index.json and unet/vae safetensors present.
    ['CompVis/stable-diffusion-v1-4', 1],
    // Card has no code; config.json + weights: loadable only.
    ['google-t5/t5-small', 0.5],
    // Card unreadable; loadable.
    ['openai-community/gpt2', 0.5],
    // No card; config.json + weights.
    ['dbmdz/bert-large-cased-finetuned-conll03-english', 0.5],
  ] as const)('%s -> %s', (id, expected) => {
    expect(reproducibility(evidence[id]).value).toBe(expected);
  });

  it('is 0 for a repository with neither weights nor config, and a card without code', () => {
    const base = evidence['google-t5/t5-small'];
    const bare: ModelEvidence = { ...base, hub: { ...base.hub, files: [{ path: 'README.md' }] } };
    expect(reproducibility(bare)).toMatchObject({ value: 0, explanation: expect.stringContaining('no model config file') });
  });
});

describe('GitHub-based metrics (github3.py, the recorded repository)', () => {
  it('busFactor: 1 - sum(p^2) over 102 contributors of 2,614 commits; sigmavirus24 has 2,065 (79%) -> 0.372', () => {
    const outcome = busFactor(withCode('google-bert/bert-base-uncased'));
    expect(outcome.value).toBeCloseTo(0.37227, 4);
    expect(outcome.explanation).toContain('sigmavirus24 79%');
  });

  it('codeQuality: README 1,978 chars (1), BSD-3-Clause (1), last push 2023-04-13, 780 days before 2025-06-01 (0.5), 1,137 stars (1) -> 0.25 + 0.15 + 0.15 + 0.3 = 0.85', () => {
    expect(codeQuality(withCode('google-bert/bert-base-uncased')).value).toBeCloseTo(0.85, 6);
  });

  it('reviewedness: 17 non-merge commits in the 25 sampled, all via PRs; #759, #757 (omgjlk merged sigmavirus24\'s branches) and #755 (omgjlk merged 01walid\'s) are reviewed by merge; #753, #754, #681 (14 commits) were self-merged -> 3/17', () => {
    const outcome = reviewedness(withCode('google-bert/bert-base-uncased'));
    expect(outcome.value).toBeCloseTo(3 / 17, 6);
    expect(outcome.explanation).toContain('17 came through pull requests, 0 were pushed directly');
  });

  it('reviewedness counts a review by another person: with a review of #681 by omgjlk, 3 + 11 of 17', () => {
    const base = withCode('google-bert/bert-base-uncased');
    const code = { ...github3py, repo: { ...github3py.repo, reviews: { 681: [{ reviewer: 'omgjlk', state: 'APPROVED' }] } } };
    expect(reviewedness({ ...base, code }).value).toBeCloseTo(14 / 17, 6);
  });

  it('busFactor and reviewedness are not applicable when GitHub would not list contributors or commits (huge histories)', () => {
    const base = withCode('google-bert/bert-base-uncased');
    const { contributors: _c, commits: _k, ...repo } = github3py.repo;
    const code = { ...github3py, repo };
    expect(busFactor({ ...base, code })).toEqual({ value: NOT_APPLICABLE, explanation: expect.stringContaining('would not list the contributors') });
    expect(reviewedness({ ...base, code })).toEqual({ value: NOT_APPLICABLE, explanation: expect.stringContaining('would not list the commits') });
  });

  it('all three are not applicable (null) without readable code, saying why', () => {
    const bert = evidence['google-bert/bert-base-uncased'];
    for (const metric of [busFactor, codeQuality, reviewedness]) {
      expect(metric(bert)).toEqual({ value: NOT_APPLICABLE, explanation: expect.stringContaining('https://github.com/google-research/bert could not be read') });
    }
    expect(reviewedness(evidence['openai-community/gpt2']).explanation).toContain('no GitHub repository is linked');
  });
});

describe('treeScore = mean net score of registered parents', () => {
  it('is the parent\'s net score when the declared parent is registered (roberta-squad2 -> FacebookAI/roberta-base 0.8)', () => {
    const roberta = evidence['deepset/roberta-base-squad2'];
    expect(treeScore({ ...roberta, parents: [{ hubId: 'FacebookAI/roberta-base', registered: { artifactId: 'x', netScore: 0.8 } }] }).value).toBe(0.8);
  });

  it('averages registered parents and ignores unregistered ones', () => {
    const parents = [
      { hubId: 'a/one', registered: { artifactId: '1', netScore: 0.9 } },
      { hubId: 'a/two', registered: { artifactId: '2', netScore: 0.6 } },
      { hubId: 'a/three' },
    ];
    const outcome = treeScore({ ...evidence['deepset/roberta-base-squad2'], parents });
    expect(outcome.value).toBeCloseTo(0.75, 6);
    expect(outcome.explanation).toContain('not in the registry: a/three');
  });

  it('is not applicable with no registered parent (roberta, parent unregistered) or none declared (bert)', () => {
    expect(treeScore(evidence['deepset/roberta-base-squad2'])).toEqual({ value: NOT_APPLICABLE, explanation: expect.stringContaining('not in the registry: FacebookAI/roberta-base') });
    expect(treeScore(evidence['google-bert/bert-base-uncased']).value).toBe(NOT_APPLICABLE);
  });
});

describe('sizeScore: weight bytes against device budgets (linear from full marks to 0)', () => {
  it('bert: 110,106,428 F32 parameters x 4 B = 440 MB: under every full-marks budget', () => {
    expect(weightSize(evidence['google-bert/bert-base-uncased'].hub)?.bytes).toBe(440_425_712);
    expect(sizeScore(evidence['google-bert/bert-base-uncased'].hub).scores).toEqual({ raspberryPi: 1, jetsonNano: 1, desktopPc: 1, awsServer: 1 });
  });

  it('flan-t5-large: 783,150,080 x 4 B = 3.13 GB -> Pi (8 - 3.1326) / 7 = 0.695, Jetson (8 - 3.1326) / 6 = 0.811', () => {
    const { scores } = sizeScore(evidence['google/flan-t5-large'].hub);
    expect(scores.raspberryPi).toBeCloseTo(4.86739968 / 7, 6);
    expect(scores.jetsonNano).toBeCloseTo(4.86739968 / 6, 6);
    expect([scores.desktopPc, scores.awsServer]).toEqual([1, 1]);
  });

  it('Llama-3-8B: 8,030,261,248 BF16 x 2 B = 16.06 GB -> 0 on Pi and Jetson, desktop (64 - 16.06) / 56 = 0.856', () => {
    const { scores } = sizeScore(evidence['meta-llama/Meta-Llama-3-8B-Instruct'].hub);
    expect([scores.raspberryPi, scores.jetsonNano, scores.awsServer]).toEqual([0, 0, 1]);
    expect(scores.desktopPc).toBeCloseTo((64 - 16.060522496) / 56, 6);
  });

  it('zephyr-141b: 281 GB of BF16 weights -> only the server: (640 - 281.24) / 560 = 0.641', () => {
    const { scores } = sizeScore(evidence['HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1'].hub);
    expect(scores.awsServer).toBeCloseTo((640 - 281.241268224) / 560, 6);
    expect(scores.desktopPc).toBe(0);
  });

  it('roberta-squad2 counts each dtype at its width: 124,056,578 F32 x 4 + 514 I64 x 8 bytes', () => {
    expect(weightSize(evidence['deepset/roberta-base-squad2'].hub)?.bytes).toBe(124_056_578 * 4 + 514 * 8);
  });

  it('is not applicable when neither sizes nor parameter counts are known (blip), not guessed from repository storage', () => {
    const outcome = sizeScore(evidence['Salesforce/blip-image-captioning-base'].hub);
    expect(outcome.scores).toEqual({ raspberryPi: null, jetsonNano: null, desktopPc: null, awsServer: null });
    expect(outcome.explanation).toContain('5.94 GB across all formats and revisions');
  });

  it('with ?blobs=true sizes, counts one format at default precision: safetensors over .bin, fp16 and EMA copies left out', () => {
    const hub = {
      ...evidence['CompVis/stable-diffusion-v1-4'].hub,
      files: [
        { path: 'unet/diffusion_pytorch_model.safetensors', sizeBytes: 3_438_167_536 },
        { path: 'unet/diffusion_pytorch_model.fp16.safetensors', sizeBytes: 1_719_125_304 },
        { path: 'unet/diffusion_pytorch_model.non_ema.safetensors', sizeBytes: 3_438_167_536 },
        { path: 'text_encoder/model.safetensors', sizeBytes: 492_265_168 },
        { path: 'unet/diffusion_pytorch_model.bin', sizeBytes: 3_438_354_725 },
        { path: 'README.md', sizeBytes: 14_000 },
      ],
    };
    expect(weightSize(hub)).toEqual({ bytes: 3_438_167_536 + 492_265_168, source: '2 safetensors file(s) as listed by the Hub' });
  });
});
