import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyLicense } from '../../src/domain/rating/license-compatibility.js';
import { cardSections, frontMatterValue, hasSubstance } from '../../src/domain/rating/card-text.js';
import { findCodeLink } from '../../src/domain/rating/code-link.js';
import { netScore, NET_SCORE_WEIGHTS } from '../../src/domain/rating/net-score.js';
import { ingestGate } from '../../src/domain/rating/ingest-gate.js';
import { capReadme, MAX_README_BYTES } from '../../src/domain/artifact-metadata.js';
import { SCALAR_METRICS, type MetricOutcome, type Rating, type ScalarMetric } from '../../src/domain/rating/rating.js';
import { fixtureRating } from '../support/fixture-ratings.js';

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
  const outcome = (value: number): MetricOutcome => ({ value, explanation: '' });
  const allAt = (value: number) => Object.fromEntries(SCALAR_METRICS.map((m) => [m, outcome(value)])) as Record<ScalarMetric, MetricOutcome>;
  const size = (value: number) => ({ scores: { raspberryPi: value, jetsonNano: value, desktopPc: value, awsServer: value }, explanation: '' });

  it('has weights summing to 1', () => {
    expect(Object.values(NET_SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('re-weights over applicable metrics: license 1 and everything else not applicable -> 1', () => {
    const metrics = { ...allAt(-1), license: outcome(1) };
    expect(netScore(metrics, size(-1)).value).toBe(1);
  });

  it('bert: (0.2x1 + 0.12x1 + 0.1x0.8 + 0.1x0.75 + 0.08x5/7 + 0.08x1 + 0.08x1) / 0.76 = 0.9107', async () => {
    const rating = await fixtureRating('google-bert/bert-base-uncased');
    const expected = (0.2 + 0.12 + 0.08 + 0.075 + (0.08 * 5) / 7 + 0.08 + 0.08) / 0.76;
    expect(rating.netScore.value).toBeCloseTo(expected, 4);
    expect(rating.netScore.explanation).toContain('not applicable, left out and the other weights scaled up: codeQuality, busFactor, reviewedness, treeScore');
  });
});

describe('ingest gate', () => {
  it('passes bert: every applicable metric is at least 0.5', async () => {
    expect(ingestGate(await fixtureRating('google-bert/bert-base-uncased'))).toEqual({ passed: true });
  });

  it('refuses Meta-Llama-3-8B-Instruct for its license and its size on the small devices, skipping not-applicable metrics', async () => {
    const verdict = ingestGate(await fixtureRating('meta-llama/Meta-Llama-3-8B-Instruct'));
    expect(verdict.passed).toBe(false);
    if (verdict.passed) return;
    expect(verdict.failures.map((f) => f.metric)).toEqual(['netScore', 'license', 'sizeScore.raspberryPi', 'sizeScore.jetsonNano']);
  });

  it('treats -1 as not applicable but 0.4999 as a failure', () => {
    const base = { value: 1, latencySeconds: 0, explanation: '' };
    const rating = {
      ratedAt: '2025-01-01T00:00:00.000Z',
      ...Object.fromEntries(SCALAR_METRICS.map((m) => [m, { ...base, value: -1 }])),
      netScore: base,
      license: { ...base, value: 0.4999 },
      sizeScore: { raspberryPi: -1, jetsonNano: -1, desktopPc: -1, awsServer: 0.5, latencySeconds: 0, explanation: '' },
    } as Rating;
    expect(ingestGate(rating)).toEqual({ passed: false, failures: [{ metric: 'license', value: 0.4999 }] });
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
