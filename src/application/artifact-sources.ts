import { capList, capReadme, type ArtifactMetadata, type ReadmeSummary } from '../domain/artifact-metadata.js';
import { parseArtifactUrl, type ParsedArtifactUrl } from '../domain/artifact-url.js';
import { err, ok, type Result } from '../domain/result.js';
import type { CardEvidence, ModelEvidence, ParentEvidence } from '../domain/rating/model-evidence.js';
import { weightSize } from '../domain/rating/size-score.js';
import type { Upstream } from '../upstream/upstream.js';
import type { Clock } from './clock.js';
import { DEFAULT_EVIDENCE_OPTIONS, gatherModelEvidence, upstreamError, type EvidenceOptions, type GatheredEvidence } from './model-evidence.js';
import type { RegistryStore } from './registry-store.js';

/** What ingest learned from an artifact's source. */
export interface SourceReading {
  readonly metadata: ArtifactMetadata;
  /** README text, capped for storage. */
  readonly readme?: string;
  /** For Hub models: the evidence to rate. */
  readonly evidence?: ModelEvidence;
}

const MAX_TAGS = 100;
const MAX_DATASETS = 50;
const MAX_PARENTS = 20;
const MAX_DESCRIPTION = 2_000;

function readmeOf(card: CardEvidence): { summary: ReadmeSummary; text?: string } {
  if (card.status === 'present') {
    const capped = capReadme(card.text);
    return { summary: capped.summary, text: capped.text };
  }
  return { summary: { status: card.status } };
}

/**
 * Reads an artifact's source: the Hub for models and datasets, GitHub for repositories. Hosts the
 * registry has no API for (Kaggle, a lab's page, a Hub Space) are registered with what the URL says.
 */
export class ArtifactSources {
  constructor(
    private readonly upstream: Upstream,
    private readonly store: RegistryStore,
    private readonly clock: Clock,
    private readonly options: EvidenceOptions = DEFAULT_EVIDENCE_OPTIONS,
  ) {}

  async read(parsed: ParsedArtifactUrl): Promise<Result<SourceReading>> {
    const { source } = parsed;
    switch (source.kind) {
      case 'huggingface-model':
        return this.readModel(source.repoId);
      case 'huggingface-dataset':
        return this.readHubDataset(source.repoId);
      case 'github':
        return this.readGitHub(source.owner, source.repo);
      case 'huggingface-space':
      case 'other':
        // Nothing to read without an API: the artifact is registered under its URL alone.
        return ok({ metadata: { source: 'other', host: new URL(parsed.url).host, readme: { status: 'unavailable' } } });
    }
  }

  /** Fresh evidence for a Hub model, e.g. to re-rate it. */
  modelEvidence(repoId: string): Promise<Result<GatheredEvidence>> {
    return gatherModelEvidence(this.upstream, repoId, (ids) => this.lookupParents(ids), this.clock.now().toISOString(), this.options);
  }

  private async readModel(repoId: string): Promise<Result<SourceReading>> {
    const gathered = await this.modelEvidence(repoId);
    if (!gathered.ok) return gathered;
    const { evidence } = gathered.value;
    const { hub } = evidence;
    const readme = readmeOf(evidence.card);
    const size = weightSize(hub);
    const codeUrl = evidence.code.status === 'none' ? undefined : evidence.code.url;
    const metadata: ArtifactMetadata = {
      source: 'huggingface-model',
      repoId: hub.repoId,
      ...(hub.sha !== undefined && { sha: hub.sha }),
      ...(hub.author !== undefined && { author: hub.author }),
      ...(hub.license !== undefined && { license: hub.license }),
      ...(hub.licenseName !== undefined && { licenseName: hub.licenseName }),
      downloads: hub.downloads,
      likes: hub.likes,
      ...(hub.lastModified !== undefined && { lastModified: hub.lastModified }),
      gated: hub.gated,
      ...(hub.pipelineTag !== undefined && { pipelineTag: hub.pipelineTag }),
      ...(hub.libraryName !== undefined && { libraryName: hub.libraryName }),
      tags: capList(hub.tags, MAX_TAGS),
      datasets: capList(hub.datasets, MAX_DATASETS),
      baseModels: capList(hub.baseModels, MAX_PARENTS),
      ...(codeUrl !== undefined && { codeUrl }),
      ...(size && { sizeBytes: size.bytes, sizeSource: size.source }),
      ...(hub.usedStorageBytes !== undefined && { usedStorageBytes: hub.usedStorageBytes }),
      readme: readme.summary,
    };
    return ok({ metadata, evidence, ...(readme.text !== undefined && { readme: readme.text }) });
  }

  private async readHubDataset(repoId: string): Promise<Result<SourceReading>> {
    const info = await this.upstream.hf.datasetInfo(repoId);
    if (!info.ok) return err(upstreamError(info.error, `no such dataset on the Hub: ${repoId}`));
    const dataset = info.value;
    let card: CardEvidence = { status: 'absent' };
    if (dataset.files.some((file) => file.path === 'README.md')) {
      const text = await this.upstream.hf.datasetFile(dataset.repoId, 'README.md');
      if (text.ok) card = { status: 'present', text: text.value };
      else if (text.error.kind === 'not-found' || text.error.kind === 'refused') card = { status: 'unavailable', reason: `README.md not served (${text.error.status})` };
      else return err(upstreamError(text.error, ''));
    }
    const readme = readmeOf(card);
    const metadata: ArtifactMetadata = {
      source: 'huggingface-dataset',
      repoId: dataset.repoId,
      ...(dataset.sha !== undefined && { sha: dataset.sha }),
      ...(dataset.author !== undefined && { author: dataset.author }),
      ...(dataset.license !== undefined && { license: dataset.license }),
      downloads: dataset.downloads,
      likes: dataset.likes,
      ...(dataset.lastModified !== undefined && { lastModified: dataset.lastModified }),
      gated: dataset.gated,
      tags: capList(dataset.tags, MAX_TAGS),
      ...(dataset.description !== undefined && { description: dataset.description.slice(0, MAX_DESCRIPTION) }),
      ...(dataset.usedStorageBytes !== undefined && { sizeBytes: dataset.usedStorageBytes }),
      readme: readme.summary,
    };
    return ok({ metadata, ...(readme.text !== undefined && { readme: readme.text }) });
  }

  private async readGitHub(owner: string, name: string): Promise<Result<SourceReading>> {
    const repo = await this.upstream.github.repo(owner, name);
    if (!repo.ok) return err(upstreamError(repo.error, `no such repository on GitHub: ${owner}/${name}`));
    const [repoOwner, repoName] = repo.value.fullName.split('/') as [string, string];
    const text = await this.upstream.github.readme(repoOwner, repoName);
    let card: CardEvidence = { status: 'absent' };
    if (text.ok) card = { status: 'present', text: text.value };
    else if (text.error.kind !== 'not-found') return err(upstreamError(text.error, ''));
    const readme = readmeOf(card);
    const r = repo.value;
    const metadata: ArtifactMetadata = {
      source: 'github',
      fullName: r.fullName,
      ...(r.description !== undefined && { description: r.description.slice(0, MAX_DESCRIPTION) }),
      ...(r.license !== undefined && { license: r.license }),
      stars: r.stars,
      forks: r.forks,
      archived: r.archived,
      ...(r.pushedAt !== undefined && { pushedAt: r.pushedAt }),
      ...(r.defaultBranch !== undefined && { defaultBranch: r.defaultBranch }),
      ...(r.sizeBytes !== undefined && { sizeBytes: r.sizeBytes }),
      readme: readme.summary,
    };
    return ok({ metadata, ...(readme.text !== undefined && { readme: readme.text }) });
  }

  /** Declared parents looked up in the registry by their Hub URL (one URL-index query each, in parallel). */
  private async lookupParents(hubIds: readonly string[]): Promise<ParentEvidence[]> {
    return Promise.all(
      hubIds.slice(0, MAX_PARENTS).map(async (hubId) => {
        const parsed = parseArtifactUrl(`https://huggingface.co/${hubId}`, 'MODEL');
        if (!parsed.ok) return { hubId };
        const state = await this.store.projections.findLiveByUrl(parsed.value.key);
        if (!state) return { hubId };
        const netScore = state.rating?.netScore.value;
        return { hubId, registered: { artifactId: state.id, ...(netScore !== undefined && { netScore }) } };
      }),
    );
  }
}
