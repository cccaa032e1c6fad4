import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyLicense } from '../../src/domain/rating/license-compatibility.js';
import { cardSections, frontMatterValue, hasSubstance } from '../../src/domain/rating/card-text.js';
import { findCodeLink } from '../../src/domain/rating/code-link.js';
import { netScore, NET_SCORE_WEIGHTS } from '../../src/domain/rating/net-score.js';
import { describeFailures, ingestGate } from '../../src/domain/rating/ingest-gate.js';
import { capReadme, MAX_README_BYTES } from '../../src/domain/artifact-metadata.js';
import {
  bestDevice,
  DEVICES,
  metricValue,
  NOT_APPLICABLE,
  RATED_QUANTITIES,
  SCALAR_METRICS,
  type Device,
  type MetricOutcome,
  type MetricValue,
  type Rating,
  type ScalarMetric,
} from '../../src/domain/rating/rating.js';
import { fixtureRating } from '../support/fixture-ratings.js';
import { FixtureReplay } from '../support/fixture-replay.js';

const card = (file: string) => readFileSync(new URL(`../fixtures/huggingface/models/${file}.README.md`, import.meta.url), 'utf8');

describe('license compatibility table', () => {
  it.each([
    ['mit', 'permissive', 1],
    ['MIT', 'permissive', 1], // GitHub's SPDX spelling
    ['Apache 2.0', 'permissive', 1], // a hand-typed card value
    ['cc-by-4.0', 'permissive', 1],
    ['LGPL-2.1', 'lgpl', 1],
    ['lgpl-3.0', 'lgpl', 1],
    ['mpl-2.0', 'weak-copyleft', 0.5],
    ['cc-by-sa-4.0', 'weak-copyleft', 0.5],
    ['openrail++', 'use-restricted', 0.5],
    ['bigscience-bloom-rail-1.0', 'use-restricted', 0.5],
    ['gpl-3.0', 'incompatible', 0],
    ['agpl-3.0', 'incompatible', 0],
    ['cc-by-nc-4.0', 'incompatible', 0],
    ['llama3.2', 'incompatible', 0],
    ['llama5-future', 'incompatible', 0], // any llama community license
    ['gemma', 'incompatible', 0],
    ['other', 'incompatible', 0],
    ['NOASSERTION', 'incompatible', 0],
    ['made-up-license', 'incompatible', 0],
  ] as const)('%s is %s (%s)', (id, licenseClass, score) => {
    expect(classifyLicense(id)).toMatchObject({ licenseClass, score });
  });
});

describe('reading cards', () => {
  it('nests sub-sections under their heading and ignores # lines inside code fences', () => {
    const text = '---\nlicense: mit\n---\n# Title\nintro\n## Usage\n```python\n# not a heading\nx = 1\n```\n### Details\nmore\n## Other\nend\n';
    const sections = cardSections(text);
    expect(sections.map((s) => [s.level, s.heading])).toEqual([[1, 'Title'], [2, 'Usage'], [3, 'Details'], [2, 'Other']]);
    expect(sections[1]!.content).toContain('### Details\nmore');
    expect(sections[1]!.content).not.toContain('end');
  });

  it('sees through template placeholders', () => {
    expect(hasSubstance('[More Information Needed](https://github.com/huggingface/datasets/blob/master/CONTRIBUTING.md)\n')).toBe(false);
    expect(hasSubstance('The dataset has train, validation and test splits.')).toBe(true);
  });

  it('reads front-matter values inline or as the first list item', () => {
    expect(frontMatterValue('license: apache-2.0\ntags:\n- code', 'license')).toBe('apache-2.0');
    expect(frontMatterValue('annotations_creators:\n- no-annotation\nlicense:\n- unknown\n', 'license')).toBe('unknown');
    expect(frontMatterValue('tags: []', 'license')).toBeUndefined();
  });
});

describe('finding a model card\'s code repository', () => {
  it.each([
    // The repository named like the model wins.
    ['google-bert__bert-base-uncased', 'google-bert', 'bert-base-uncased', 'google-research/bert'],
    // huggingface/diffusers is a framework, not the model's code; CompVis/stable-diffusion is.
    ['CompVis__stable-diffusion-v1-4', 'CompVis', 'stable-diffusion-v1-4', 'CompVis/stable-diffusion'],
    ['facebook__detr-resnet-50', 'facebook', 'detr-resnet-50', 'facebookresearch/detr'],
    // Links owned by the Hub author come first: meta-llama/llama-models, not huggingface-llama-recipes.
    ['meta-llama__Llama-3.1-8B-Instruct', 'meta-llama', 'Llama-3.1-8B-Instruct', 'meta-llama/llama-models'],
    // Otherwise the first other link: the framework deepset builds, haystack.
    ['deepset__roberta-base-squad2', 'deepset', 'roberta-base-squad2', 'deepset-ai/haystack'],
  ])('%s links %s', (file, author, name, expected) => {
    const link = findCodeLink(card(file), author, name);
    expect(link && `${link.owner}/${link.repo}`).toBe(expected);
  });

  it('finds none in a card without GitHub links (t5-small)', () => {
    expect(findCodeLink(card('google-t5__t5-small'), 'google-t5', 't5-small')).toBeUndefined();
  });
});

describe('net score', () => {
  const outcome = (value: MetricValue): MetricOutcome => ({ value, explanation: '' });
  const allAt = (value: MetricValue) => Object.fromEntries(SCALAR_METRICS.map((m) => [m, outcome(value)])) as Record<ScalarMetric, MetricOutcome>;
  const size = (value: MetricValue) => ({ scores: { raspberryPi: value, jetsonNano: value, desktopPc: value, awsServer: value }, explanation: '' });

  it('has weights summing to 1', () => {
    expect(Object.values(NET_SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('re-weights over applicable metrics: license 1 and everything else not applicable -> 1', () => {
    const metrics = { ...allAt(NOT_APPLICABLE), license: outcome(1) };
    expect(netScore(metrics, size(NOT_APPLICABLE)).value).toBe(1);
  });

  it('counts a 0 as a 0: only null drops out', () => {
    const metrics = { ...allAt(NOT_APPLICABLE), license: outcome(1), rampUpTime: outcome(0) };
    expect(netScore(metrics, size(NOT_APPLICABLE)).value).toBeCloseTo(0.2 / 0.32, 10);
  });

  it('bert: (0.2x1 + 0.12x1 + 0.1x0.8 + 0.1x0.75 + 0.08x5/7 + 0.08x1 + 0.08x1) / 0.76 = 0.9107', async () => {
    const rating = await fixtureRating('google-bert/bert-base-uncased');
    const expected = (0.2 + 0.12 + 0.08 + 0.075 + (0.08 * 5) / 7 + 0.08 + 0.08) / 0.76;
    expect(rating.netScore.value).toBeCloseTo(expected, 4);
    expect(rating.netScore.explanation).toContain('not applicable, left out and the other weights scaled up: codeQuality, busFactor, reviewedness, treeScore');
  });
});

/** A rating with every value given: scalar metrics at `scalar`, the devices as listed. */
function ratingOf(scalar: MetricValue, devices: Readonly<Record<Device, MetricValue>>, overrides: Partial<Record<ScalarMetric, MetricValue>> = {}): Rating {
  const score = (value: MetricValue) => ({ value, latencySeconds: 0, explanation: '' });
  return {
    ratedAt: '2025-01-01T00:00:00.000Z',
    netScore: { value: 1, latencySeconds: 0, explanation: '' },
    ...(Object.fromEntries(SCALAR_METRICS.map((m) => [m, score(m in overrides ? overrides[m]! : scalar)])) as Record<ScalarMetric, ReturnType<typeof score>>),
    sizeScore: { ...devices, latencySeconds: 0, explanation: '' },
  };
}

describe('ingest gate', () => {
  it('passes bert: every applicable metric is at least 0.5', async () => {
    expect(ingestGate(await fixtureRating('google-bert/bert-base-uncased'))).toEqual({ passed: true });
  });

  it('refuses Meta-Llama-3-8B-Instruct for its license (and the net score it drags down), not for its 16 GB', async () => {
    const verdict = ingestGate(await fixtureRating('meta-llama/Meta-Llama-3-8B-Instruct'));
    expect(verdict).toEqual({ passed: false, failures: [{ metric: 'netScore', value: 0.3664 }, { metric: 'license', value: 0 }] });
  });

  it.each([
    ['google/flan-t5-xxl', 'awsServer', 1], // 45 GB of F32 weights: 0 on a Pi and a Jetson, 0.34 on a desktop
    ['HuggingFaceH4/zephyr-orpo-141b-A35b-v0.1', 'awsServer', 0.6406], // 281 GB: only a server holds it
    ['google/flan-t5-large', 'desktopPc', 1], // 3.1 GB: the desktop is the first device with full marks
  ])('passes %s: sizeScore counts by its best device (%s %s)', async (id, device, value) => {
    const rating = await fixtureRating(id);
    expect(bestDevice(rating.sizeScore)).toEqual({ device, value });
    expect(ingestGate(rating)).toEqual({ passed: true });
  });

  it('refuses a model too large for every device, naming the best one', () => {
    const rating = ratingOf(1, { raspberryPi: 0, jetsonNano: 0, desktopPc: 0, awsServer: 0.4999 });
    expect(ingestGate(rating)).toEqual({ passed: false, failures: [{ metric: 'sizeScore', device: 'awsServer', value: 0.4999 }] });
  });

  it('skips not-applicable (null) metrics and an unknown size, but 0.4999 is a failure', () => {
    const unknownSize = { raspberryPi: NOT_APPLICABLE, jetsonNano: NOT_APPLICABLE, desktopPc: NOT_APPLICABLE, awsServer: NOT_APPLICABLE };
    expect(ingestGate(ratingOf(NOT_APPLICABLE, unknownSize, { license: 1 }))).toEqual({ passed: true });
    expect(ingestGate(ratingOf(NOT_APPLICABLE, unknownSize, { license: 0.4999 }))).toEqual({ passed: false, failures: [{ metric: 'license', value: 0.4999 }] });
    expect(ingestGate(ratingOf(1, unknownSize, { reviewedness: 0 }))).toEqual({ passed: false, failures: [{ metric: 'reviewedness', value: 0 }] });
  });

  it('says what failed in words: the DISQUALIFIED message and the audit event use them', () => {
    expect(describeFailures([{ metric: 'license', value: 0 }, { metric: 'sizeScore', device: 'awsServer', value: 0.25 }])).toBe('license 0, sizeScore 0.25 (best device: awsServer)');
  });

  it('the calibration table (docs/metrics.md): of the 28 recorded models only the unlicensed and the Llama ones are refused, none for size', async () => {
    const replay = new FixtureReplay();
    const refused: Record<string, string[]> = {};
    for (const id of replay.modelIds) {
      const verdict = ingestGate(await fixtureRating(id, { replay }));
      if (!verdict.passed) refused[id] = verdict.failures.map((f) => f.metric);
    }
    expect(replay.modelIds).toHaveLength(28);
    expect(refused).toEqual({
      'dbmdz/bert-large-cased-finetuned-conll03-english': ['netScore', 'performanceClaims', 'license', 'datasetAndCodeScore'],
      'facebook/mbart-large-50-many-to-many-mmt': ['netScore', 'license'],
      'meta-llama/Llama-3.1-8B-Instruct': ['license'],
      'meta-llama/Meta-Llama-3-70B-Instruct': ['netScore', 'license'],
      'meta-llama/Meta-Llama-3-8B-Instruct': ['netScore', 'license'],
    });
  });
});

describe('one value of a rating', () => {
  it('metricValue reads every quantity by name, null when not applicable', () => {
    const rating = ratingOf(0.5, { raspberryPi: 0.1, jetsonNano: 0.2, desktopPc: 0.9, awsServer: 1 }, { reviewedness: NOT_APPLICABLE });
    expect(RATED_QUANTITIES).toHaveLength(1 + SCALAR_METRICS.length + DEVICES.length);
    expect(Object.fromEntries(RATED_QUANTITIES.map((q) => [q, metricValue(rating, q)]))).toEqual({
      netScore: 1,
      ...Object.fromEntries(SCALAR_METRICS.map((m) => [m, m === 'reviewedness' ? null : 0.5])),
      'sizeScore.raspberryPi': 0.1,
      'sizeScore.jetsonNano': 0.2,
      'sizeScore.desktopPc': 0.9,
      'sizeScore.awsServer': 1,
    });
  });
});

describe('README storage cap', () => {
  it('keeps READMEs up to the cap whole and cuts longer ones at a character boundary', () => {
    expect(capReadme('short')).toEqual({ text: 'short', summary: { status: 'present', length: 5, truncated: false } });
    const long = 'é'.repeat(MAX_README_BYTES); // 2 bytes each: twice the cap
    const capped = capReadme(long);
    expect(Buffer.byteLength(capped.text)).toBeLessThanOrEqual(MAX_README_BYTES);
    expect(capped.text).toBe('é'.repeat(MAX_README_BYTES / 2));
    expect(capped.summary).toEqual({ status: 'present', length: MAX_README_BYTES, truncated: true });
  });
});
