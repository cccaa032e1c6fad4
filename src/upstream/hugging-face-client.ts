import { ok } from '../domain/result.js';
import type { GatedAccess, HubModelFacts, RepoFile } from '../domain/rating/model-evidence.js';
import type { HubDatasetFacts } from '../domain/source-facts.js';
import type { HttpClient, UpstreamResult } from './http-client.js';
import { hubDatasetInfoSchema, hubModelInfoSchema, modelConfigSchema, modelIndexSchema, type HubModelInfo, type ModelConfig } from './hub-schemas.js';

/** `org/name` (or a legacy one-segment id) as URL path segments, each percent-encoded. */
const repoPath = (repoId: string): string => repoId.split('/').map(encodeURIComponent).join('/');

const asList = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);
const unique = (values: readonly string[]): string[] => [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];

/** Values after a `prefix:` tag; `base_model:finetune:org/name` gives `org/name`. */
function tagValues(tags: readonly string[], prefix: string): string[] {
  return tags
    .filter((tag) => tag.startsWith(`${prefix}:`))
    .map((tag) => tag.slice(prefix.length + 1))
    .map((rest) => (prefix === 'base_model' && /^(adapter|merge|quantized|finetune):/.test(rest) ? rest.slice(rest.indexOf(':') + 1) : rest));
}

function gatedAccess(gated: boolean | 'auto' | 'manual' | undefined): GatedAccess {
  if (gated === 'auto' || gated === 'manual') return gated;
  return gated === true ? 'auto' : 'open';
}

function files(siblings: readonly { rfilename: string; size?: number | undefined; lfs?: { size: number } | undefined }[] | undefined): RepoFile[] {
  return (siblings ?? []).map((s) => {
    const size = s.lfs?.size ?? s.size;
    return size === undefined ? { path: s.rfilename } : { path: s.rfilename, sizeBytes: size };
  });
}

function toModelFacts(info: HubModelInfo): HubModelFacts {
  const tags = info.tags ?? [];
  const card = info.cardData;
  const license = asList(card?.license)[0] ?? tagValues(tags, 'license')[0];
  const modelIndex = modelIndexSchema.parse(card?.['model-index'] ?? info['model-index'] ?? []);
  const evalResultCount = modelIndex.reduce((sum, entry) => sum + entry.results.reduce((n, result) => n + result.metrics.filter((m) => m.value !== undefined && m.value !== null).length, 0), 0);
  return {
    repoId: info.id,
    ...(info.sha !== undefined && { sha: info.sha }),
    ...(info.author !== undefined && { author: info.author }),
    downloads: info.downloads ?? 0,
    likes: info.likes ?? 0,
    ...(info.createdAt !== undefined && { createdAt: info.createdAt }),
    ...(info.lastModified !== undefined && { lastModified: info.lastModified }),
    gated: gatedAccess(info.gated),
    ...(license !== undefined && { license: license.toLowerCase() }),
    ...(card?.license_name !== undefined && { licenseName: card.license_name }),
    ...(info.pipeline_tag !== undefined && { pipelineTag: info.pipeline_tag }),
    ...(info.library_name !== undefined && { libraryName: info.library_name }),
    tags,
    datasets: unique([...asList(card?.datasets), ...tagValues(tags, 'dataset')]),
    baseModels: unique([...asList(card?.base_model), ...tagValues(tags, 'base_model')]),
    evalResultCount,
    arxivIds: unique(tagValues(tags, 'arxiv')),
    files: files(info.siblings),
    ...(info.safetensors !== undefined && { safetensorsParameters: info.safetensors.parameters }),
    ...(info.usedStorage !== undefined && { usedStorageBytes: info.usedStorage }),
    architectures: info.config?.architectures ?? [],
    ...(info.config?.model_type !== undefined && { modelType: info.config.model_type }),
  };
}

/**
 * The Hugging Face Hub API (HF_ENDPOINT). Legacy ids (`bert-base-uncased`) answer 307 to their
 * namespaced id; the HTTP client follows, and the facts carry the id the Hub finally answered with.
 */
export class HuggingFaceClient {
  constructor(private readonly http: HttpClient) {}

  /** Model info with file sizes (`?blobs=true` adds `size`/`lfs.size` to every sibling). */
  async modelInfo(repoId: string): Promise<UpstreamResult<HubModelFacts>> {
    const answer = await this.http.getJson(`/api/models/${repoPath(repoId)}?blobs=true`, hubModelInfoSchema);
    return answer.ok ? ok(toModelFacts(answer.value.data)) : answer;
  }

  async datasetInfo(repoId: string): Promise<UpstreamResult<HubDatasetFacts>> {
    const answer = await this.http.getJson(`/api/datasets/${repoPath(repoId)}`, hubDatasetInfoSchema);
    if (!answer.ok) return answer;
    const info = answer.value.data;
    const tags = info.tags ?? [];
    const license = asList(info.cardData?.license)[0] ?? tagValues(tags, 'license')[0];
    return ok({
      repoId: info.id,
      ...(info.sha !== undefined && { sha: info.sha }),
      ...(info.author !== undefined && { author: info.author }),
      downloads: info.downloads ?? 0,
      likes: info.likes ?? 0,
      ...(info.lastModified !== undefined && { lastModified: info.lastModified }),
      gated: gatedAccess(info.gated),
      ...(license !== undefined && { license: license.toLowerCase() }),
      tags,
      ...(info.description !== undefined && { description: info.description }),
      files: files(info.siblings),
      ...(info.usedStorage !== undefined && { usedStorageBytes: info.usedStorage }),
    });
  }

  /** A text file of a model repository at `main` (README.md, config.json ...). */
  async modelFile(repoId: string, path: string): Promise<UpstreamResult<string>> {
    const answer = await this.http.get(`/${repoPath(repoId)}/raw/main/${path.split('/').map(encodeURIComponent).join('/')}`, 'text/plain, */*');
    return answer.ok ? ok(answer.value.body) : answer;
  }

  async datasetFile(repoId: string, path: string): Promise<UpstreamResult<string>> {
    const answer = await this.http.get(`/datasets/${repoPath(repoId)}/raw/main/${path.split('/').map(encodeURIComponent).join('/')}`, 'text/plain, */*');
    return answer.ok ? ok(answer.value.body) : answer;
  }

  /** `config.json`, for hints the model-info summary leaves out (dtype, `_name_or_path`). */
  async modelConfig(repoId: string): Promise<UpstreamResult<ModelConfig>> {
    const answer = await this.http.getJson(`/${repoPath(repoId)}/raw/main/config.json`, modelConfigSchema);
    return answer.ok ? ok(answer.value.data) : answer;
  }
}
