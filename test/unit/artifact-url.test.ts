import { describe, expect, it } from 'vitest';
import { parseArtifactUrl } from '../../src/domain/artifact-url.js';
import type { ArtifactType } from '../../src/domain/artifact-type.js';

const normalized = (raw: string, type: ArtifactType = 'MODEL') => {
  const result = parseArtifactUrl(raw, type);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('parseArtifactUrl', () => {
  it.each([
    // [input, type, normalized URL, derived name]
    ['https://huggingface.co/google-bert/bert-base-uncased', 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased', 'bert-base-uncased'],
    ['https://HuggingFace.CO/google-bert/bert-base-uncased/', 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased', 'bert-base-uncased'],
    ['https://huggingface.co/google-bert/bert-base-uncased/tree/main', 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased', 'bert-base-uncased'],
    ['https://huggingface.co/google-bert/bert-base-uncased/blob/main/config.json', 'MODEL', 'https://huggingface.co/google-bert/bert-base-uncased', 'bert-base-uncased'],
    ['http://hf.co/openai/whisper-tiny?library=transformers#usage', 'MODEL', 'https://huggingface.co/openai/whisper-tiny', 'whisper-tiny'],
    ['https://huggingface.co/bert-base-uncased', 'MODEL', 'https://huggingface.co/bert-base-uncased', 'bert-base-uncased'],
    ['https://huggingface.co/bert-base-uncased/tree/main', 'MODEL', 'https://huggingface.co/bert-base-uncased', 'bert-base-uncased'],
    ['https://huggingface.co/datasets/bookcorpus/bookcorpus', 'DATASET', 'https://huggingface.co/datasets/bookcorpus/bookcorpus', 'bookcorpus'],
    ['https://huggingface.co/datasets/squad', 'DATASET', 'https://huggingface.co/datasets/squad', 'squad'],
    ['https://huggingface.co/datasets/squad/tree/main', 'DATASET', 'https://huggingface.co/datasets/squad', 'squad'],
    ['https://github.com/google-research/bert.git', 'CODE', 'https://github.com/google-research/bert', 'bert'],
    ['https://www.github.com/google-research/bert/tree/main/', 'CODE', 'https://github.com/google-research/bert', 'bert'],
    ['https://github.com/zalandoresearch/fashion-mnist', 'DATASET', 'https://github.com/zalandoresearch/fashion-mnist', 'fashion-mnist'],
    ['https://www.kaggle.com/datasets/hliang001/flickr2k/', 'DATASET', 'https://www.kaggle.com/datasets/hliang001/flickr2k', 'flickr2k'],
    ['https://Example.com:8443/models/x?rev=2#top', 'MODEL', 'https://example.com:8443/models/x?rev=2', 'x'],
    ['https://example.com', 'CODE', 'https://example.com', 'example.com'],
  ] as const)('%s (%s) -> %s', (raw, type, url, name) => {
    expect(normalized(raw, type)).toMatchObject({ url, derivedName: name });
  });

  it('keeps the letter case of the repository in the URL but folds it in the key on GitHub and the Hub', () => {
    expect(normalized('https://huggingface.co/Qwen/Qwen2.5-7B')).toMatchObject({ url: 'https://huggingface.co/Qwen/Qwen2.5-7B', key: 'https://huggingface.co/qwen/qwen2.5-7b' });
    expect(normalized('https://github.com/PyGithub/PyGithub', 'CODE')).toMatchObject({ url: 'https://github.com/PyGithub/PyGithub', key: 'https://github.com/pygithub/pygithub' });
    expect(normalized('https://github.com/pygithub/pygithub', 'CODE').key).toBe('https://github.com/pygithub/pygithub');
    expect(normalized('https://HuggingFace.co/Datasets/SQuAD', 'DATASET')).toMatchObject({ url: 'https://huggingface.co/datasets/SQuAD', key: 'https://huggingface.co/datasets/squad' });
    // Other hosts may be case-sensitive: their path is the key as written.
    expect(normalized('https://www.kaggle.com/Datasets/A/B', 'DATASET').key).toBe('https://www.kaggle.com/Datasets/A/B');
  });

  it.each([
    ['a trailing dot on the host', 'https://huggingface.co./google-bert/bert-base-uncased', 'https://huggingface.co/google-bert/bert-base-uncased'],
    ['https on :443', 'https://huggingface.co:443/google-bert/bert-base-uncased', 'https://huggingface.co/google-bert/bert-base-uncased'],
    ['http on :443', 'http://huggingface.co:443/google-bert/bert-base-uncased', 'https://huggingface.co/google-bert/bert-base-uncased'],
    ['http on :80', 'http://github.com:80/o/r', 'https://github.com/o/r'],
    ['a repeated .git', 'https://github.com/o/r.git.git', 'https://github.com/o/r'],
    ['.git before /tree/main', 'https://github.com/o/r.git/tree/main', 'https://github.com/o/r'],
    ['.git before a file view', 'https://github.com/o/r.git/blob/x/y', 'https://github.com/o/r'],
    ['an unknown host with a trailing dot and its port', 'https://Example.com.:8443/a?b=1', 'https://example.com:8443/a?b=1'],
    ['an encoded ? in the path', 'https://example.com/a%3Fb', 'https://example.com/a%3Fb'],
    ['lower-case percent-encoding', 'https://example.com/%c3%a9', 'https://example.com/%C3%A9'],
  ])('canonicalizes %s', (_label, raw, url) => {
    expect(normalized(raw, raw.includes('github') ? 'CODE' : 'MODEL').url).toBe(url);
  });

  it('classifies the source for later ingest stages', () => {
    expect(normalized('https://huggingface.co/datasets/org/d', 'DATASET').source).toEqual({ kind: 'huggingface-dataset', repoId: 'org/d' });
    expect(normalized('https://github.com/o/r', 'CODE').source).toEqual({ kind: 'github', owner: 'o', repo: 'r' });
    expect(normalized('https://huggingface.co/spaces/o/s', 'CODE').source).toEqual({ kind: 'huggingface-space', repoId: 'o/s' });
  });

  it.each([
    ['', 'MODEL'],
    ['huggingface.co/google-bert/bert-base-uncased', 'MODEL'],
    ['javascript:alert(1)', 'MODEL'],
    ['file:///etc/passwd', 'CODE'],
    ['https://a:b@github.com/o/r', 'CODE'],
    ['https://github.com/', 'CODE'],
    ['https://github.com/o/r', 'MODEL'],
    ['https://huggingface.co/', 'MODEL'],
    ['https://huggingface.co/models', 'MODEL'],
    ['https://huggingface.co/datasets', 'DATASET'],
    ['https://huggingface.co/org/model', 'CODE'],
    ['https://example.com/a%2F..%2Fb', 'MODEL'],
    ['https://example.com/%E0%A4%A', 'MODEL'],
    ['https://huggingface.co:8443/org/model', 'MODEL'],
    ['https://github.com:22/o/r', 'CODE'],
    ['https://@github.com:1/o/r', 'CODE'],
    ['https://github.com/o/.git', 'CODE'],
    [`https://example.com/${'é'.repeat(1000)}`, 'MODEL'],
    [`https://example.com/${'a'.repeat(2100)}`, 'MODEL'],
  ] as const)('rejects %j as %s', (raw, type) => {
    const result = parseArtifactUrl(raw, type);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'url' } });
  });
});
