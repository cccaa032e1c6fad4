import { describe, expect, it } from 'vitest';
import { answeringKeys, declaredReferences, newLinks, type ArtifactLink } from '../../src/domain/artifact-links.js';
import { foldEvents } from '../../src/domain/artifact-state.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactMetadata } from '../../src/domain/artifact-metadata.js';
import type { ActorId, ArtifactId } from '../../src/domain/ids.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import { parseArtifactUrl, type NormalizedUrl } from '../../src/domain/artifact-url.js';

const model = (over: Partial<Extract<ArtifactMetadata, { source: 'huggingface-model' }>>): ArtifactMetadata => ({
  source: 'huggingface-model',
  repoId: 'deepset/roberta-base-squad2',
  downloads: 0,
  likes: 0,
  gated: 'open',
  tags: [],
  datasets: [],
  baseModels: [],
  readme: { status: 'absent' },
  ...over,
});

describe('declared references', () => {
  it('takes the relationship from base_model:<relationship>: tags, the source from where it was declared, and keys in lower case', () => {
    const refs = declaredReferences(
      model({
        baseModels: ['FacebookAI/roberta-base', 'org/other'],
        tags: ['base_model:FacebookAI/roberta-base', 'base_model:finetune:FacebookAI/roberta-base', 'dataset:squad_v2'],
        datasets: ['squad_v2', 'rajpurkar/SQuAD'],
        codeUrl: 'https://github.com/deepset-ai/Haystack',
      }),
    );
    expect(refs).toEqual([
      { kind: 'parent', reference: 'FacebookAI/roberta-base', relationship: 'finetune', source: 'tag', keys: ['hf-model:facebookai/roberta-base'] },
      { kind: 'parent', reference: 'org/other', relationship: 'base', source: 'card', keys: ['hf-model:org/other'] },
      { kind: 'dataset', reference: 'squad_v2', relationship: 'training', source: 'tag', keys: ['hf-dataset:squad_v2', 'dataset-name:squadv2'] },
      { kind: 'dataset', reference: 'rajpurkar/SQuAD', relationship: 'training', source: 'card', keys: ['hf-dataset:rajpurkar/squad', 'dataset-name:squad'] },
      { kind: 'code', reference: 'https://github.com/deepset-ai/Haystack', relationship: 'code', source: 'card-link', keys: ['github:deepset-ai/haystack'] },
    ]);
    expect(declaredReferences({ source: 'other', host: 'kaggle.com', readme: { status: 'unavailable' } })).toEqual([]);
  });

  it('a registered artifact answers the keys a declaration would use', () => {
    const state = (type: 'MODEL' | 'DATASET' | 'CODE', url: string, name: string) => ({
      id: 'x' as ArtifactId, type, name: name as ArtifactName, url: url as NormalizedUrl, version: 1, createdAt: '', updatedAt: '', deleted: false, files: [], mirrorStatus: null,
    });
    const keys = (type: 'MODEL' | 'DATASET' | 'CODE', url: string, name: string) => {
      const parsed = parseArtifactUrl(url, type);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return answeringKeys(state(type, parsed.value.url, name), parsed.value);
    };
    expect(keys('MODEL', 'https://huggingface.co/FacebookAI/roberta-base', 'roberta-base')).toEqual(['hf-model:facebookai/roberta-base']);
    expect(keys('DATASET', 'https://www.kaggle.com/datasets/someone/bookcorpus', 'BookCorpus')).toEqual(['dataset-name:bookcorpus']);
    expect(keys('DATASET', 'https://huggingface.co/datasets/rajpurkar/squad', 'squad')).toEqual(['hf-dataset:rajpurkar/squad', 'dataset-name:squad']);
    expect(keys('CODE', 'https://github.com/Deepset-AI/haystack', 'haystack')).toEqual(['github:deepset-ai/haystack']);
  });
});

describe('links in state', () => {
  const id = '01ARZ3NDEKTSV4RRFFQ69G5FAV' as ArtifactId;
  const actor = 'tester' as ActorId;
  const link = (target: string): ArtifactLink => ({ kind: 'parent', targetId: target as ArtifactId, relationship: 'finetune', source: 'tag', reference: target });
  const events: ArtifactEvent[] = [
    { type: 'ArtifactRegistered', payload: { artifactType: 'MODEL', name: 'm' as ArtifactName, url: 'https://huggingface.co/o/m' as NormalizedUrl }, artifactId: id, version: 1, at: 't1', actor },
    { type: 'ArtifactLinked', payload: { links: [link('p1')] }, artifactId: id, version: 2, at: 't2', actor },
    { type: 'ArtifactLinked', payload: { links: [link('p2')] }, artifactId: id, version: 3, at: 't3', actor },
  ];

  it('accumulate in order, and linking again adds nothing', () => {
    const state = foldEvents(undefined, events)!;
    expect(state.links).toEqual([link('p1'), link('p2')]);
    expect(state.version).toBe(3);
    expect(newLinks(state.links, [link('p2'), link('p3'), link('p3')])).toEqual([link('p3')]);
  });
});
