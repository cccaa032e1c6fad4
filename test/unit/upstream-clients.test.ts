import { describe, expect, it } from 'vitest';
import { FixtureReplay } from '../support/fixture-replay.js';
import { replayUpstream } from '../support/upstream.js';

/** The production clients reading real recorded Hub and GitHub answers (test/fixtures). */
describe('Hugging Face client over recorded answers', () => {
  it('reads google-bert/bert-base-uncased: license, datasets, paper, files, parameter counts', async () => {
    const { hf, fetch } = replayUpstream();
    const info = await hf.modelInfo('google-bert/bert-base-uncased');
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    expect(info.value).toMatchObject({
      repoId: 'google-bert/bert-base-uncased',
      license: 'apache-2.0',
      gated: 'open',
      libraryName: 'transformers',
      pipelineTag: 'fill-mask',
      datasets: ['bookcorpus', 'wikipedia'],
      baseModels: [],
      arxivIds: ['1810.04805'],
      evalResultCount: 0,
      downloads: 72376843,
      safetensorsParameters: { F32: 110106428 },
    });
    // The recording has no sizes (no ?blobs=true capture exists): files are listed without them.
    expect(info.value.files).toContainEqual({ path: 'model.safetensors' });
    // The client asks for sizes; the replay answers with the plain recording (documented alias).
    expect(fetch.requests.map((r) => r.url)).toEqual(['https://huggingface.co/api/models/google-bert/bert-base-uncased?blobs=true']);
  });

  it('merges base_model from the card and from base_model:<relation>:<id> tags without duplicates', async () => {
    const { hf } = replayUpstream();
    const info = await hf.modelInfo('deepset/roberta-base-squad2');
    // cardData.base_model is ["FacebookAI/roberta-base"]; tags repeat it as base_model: and base_model:finetune:.
    expect(info.ok && info.value.baseModels).toEqual(['FacebookAI/roberta-base']);
    // 17 metric values across its model-index results (squad_v2 and squad, exact match, F1, ...).
    expect(info.ok && info.value.evalResultCount).toBe(17);
  });

  it('reports manual gating of the Llama models', async () => {
    const { hf } = replayUpstream();
    const info = await hf.modelInfo('meta-llama/Meta-Llama-3-8B-Instruct');
    expect(info.ok && info.value).toMatchObject({ gated: 'manual', license: 'llama3', safetensorsParameters: { BF16: 8030261248 } });
  });

  it.each([
    ['bert-base-uncased', 'google-bert/bert-base-uncased'],
    ['t5-small', 'google-t5/t5-small'],
    ['meta-llama/Meta-Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct'],
  ])('follows the Hub 307 for the legacy id %s to %s', async (legacy, canonical) => {
    const { hf, fetch } = replayUpstream();
    const info = await hf.modelInfo(legacy);
    expect(info.ok && info.value.repoId).toBe(canonical);
    expect(fetch.requests.map((r) => r.url)).toEqual([`https://huggingface.co/api/models/${legacy}?blobs=true`, `https://huggingface.co/api/models/${canonical}`]);
  });

  it('reads a recorded model card, and reports a missing one as not found', async () => {
    const { hf } = replayUpstream();
    const card = await hf.modelFile('google-bert/bert-base-uncased', 'README.md');
    expect(card.ok && card.value).toMatch(/^---\nlanguage: en/);
    expect(card.ok && card.value).toContain('## Training data');
    const missing = await hf.modelFile('openai-community/gpt2', 'README.md');
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found', status: 404 } });
  });

  it('reads config.json leniently (the pack has no recording of one: this body is bert\'s published config, abridged)', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/google-bert/bert-base-uncased/raw/main/config.json', {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '{"architectures":["BertForMaskedLM"],"model_type":"bert","hidden_size":768,"torch_dtype":7}',
    });
    const { hf } = replayUpstream({ replay });
    // torch_dtype is not a string here: authored fields that do not parse are dropped, not fatal.
    expect(await hf.modelConfig('google-bert/bert-base-uncased')).toMatchObject({ ok: true, value: { architectures: ['BertForMaskedLM'], model_type: 'bert', torch_dtype: undefined } });
  });

  it('reads dataset info and card (zed-industries/zeta)', async () => {
    const { hf } = replayUpstream();
    const info = await hf.datasetInfo('zed-industries/zeta');
    expect(info.ok && info.value).toMatchObject({ repoId: 'zed-industries/zeta', license: 'apache-2.0', downloads: 8314, likes: 82, usedStorageBytes: 180365597 });
    const card = await hf.datasetFile('zed-industries/zeta', 'README.md');
    expect(card.ok && card.value).toContain('# Dataset for Zeta');
  });

  it('answers not-found for a model the Hub does not have (404 "Repository not found")', async () => {
    const replay = new FixtureReplay().route('https://huggingface.co/api/models/nobody/nothing?blobs=true', {
      status: 404,
      headers: { 'content-type': 'application/json', 'x-error-code': 'RepoNotFound' },
      body: '{"error":"Repository not found"}',
    });
    const { hf } = replayUpstream({ replay });
    expect(await hf.modelInfo('nobody/nothing')).toMatchObject({ ok: false, error: { kind: 'not-found', status: 404, service: 'Hugging Face Hub' } });
  });
});

describe('GitHub client over recorded answers', () => {
  it('reads sigmavirus24/github3.py: stars, license, push date, size', async () => {
    const { github } = replayUpstream();
    const repo = await github.repo('sigmavirus24', 'github3.py');
    expect(repo.ok && repo.value).toMatchObject({ fullName: 'sigmavirus24/github3.py', stars: 1137, license: 'BSD-3-Clause', archived: false, pushedAt: '2023-04-13T14:43:37Z', sizeBytes: 76803 * 1024 });
  });

  it('follows Link rel="next" through both recorded contributor pages', async () => {
    const { github, fetch } = replayUpstream();
    const result = await github.contributors('sigmavirus24', 'github3.py');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // Page 1 holds 100 contributors, page 2 (at /repositories/3710711/...) the last 2.
    expect(result.value.contributors).toHaveLength(102);
    expect(result.value.truncated).toBe(false);
    expect(result.value.contributors[0]).toEqual({ login: 'sigmavirus24', contributions: 2065 });
    expect(fetch.requests.map((r) => r.url)).toEqual([
      'https://api.github.com/repos/sigmavirus24/github3.py/contributors?per_page=100',
      'https://api.github.com/repositories/3710711/contributors?per_page=100&page=2',
    ]);
  });

  it('stops after maxPages and says the list is cut', async () => {
    const { github } = replayUpstream();
    const result = await github.contributors('sigmavirus24', 'github3.py', 1);
    expect(result.ok && result.value).toMatchObject({ truncated: true });
    expect(result.ok && result.value.contributors).toHaveLength(100);
  });

  it('decodes the base64 README and license', async () => {
    const { github } = replayUpstream();
    const readme = await github.readme('sigmavirus24', 'github3.py');
    expect(readme.ok && readme.value.length).toBe(1978);
    expect(readme.ok && readme.value).toContain('github3.py');
    const license = await github.license('PyGithub', 'PyGithub');
    expect(license.ok && license.value).toMatchObject({ spdxId: 'LGPL-3.0', path: 'COPYING' });
    // As recorded: GitHub detected LGPL-3.0 while the file it served, COPYING, holds the GPL-3.0 text
    // that LGPL-3.0 builds on.
    expect(license.ok && license.value.text).toContain('GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007');
  });

  it('follows the 301 of a renamed repository', async () => {
    const { github, fetch } = replayUpstream();
    const repo = await github.repo('github3py', 'github3.py');
    expect(repo.ok && repo.value).toMatchObject({ fullName: 'github3py/github3py', license: 'BSD-3-Clause' });
    expect(fetch.requests.map((r) => r.url)).toEqual(['https://api.github.com/repos/github3py/github3.py', 'https://api.github.com/repositories/4464822']);
  });

  it('reports a missing repository as not found (recorded 404)', async () => {
    const { github } = replayUpstream();
    expect(await github.repo('jacquev6', 'Xxx')).toMatchObject({ ok: false, error: { kind: 'not-found', status: 404, service: 'GitHub' } });
  });

  it('reads recent commits with parents and authors, and pull-request reviews', async () => {
    const { github } = replayUpstream();
    const commits = await github.recentCommits('sigmavirus24', 'github3.py');
    expect(commits.ok && commits.value).toHaveLength(25);
    expect(commits.ok && commits.value[0]).toMatchObject({ sha: expect.stringMatching(/^977560f/), author: 'omgjlk', message: expect.stringMatching(/^Merge pull request #759/) });
    expect(commits.ok && commits.value[0]!.parents).toHaveLength(2);
    const reviews = await github.pullReviews('sigmavirus24', 'github3.py', 671);
    expect(reviews.ok && reviews.value).toHaveLength(5);
    // PR #671: five comment reviews by three people, no approval.
    expect(reviews.ok && new Set(reviews.value.map((r) => `${r.reviewer}:${r.state}`))).toEqual(new Set(['sigmavirus24:COMMENTED', 'omgjlk:COMMENTED', 'itsmemattchung:COMMENTED']));
  });
});
