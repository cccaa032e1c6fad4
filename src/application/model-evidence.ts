import { appError, err, ok, withServerDetail, type AppError, type Result } from '../domain/result.js';
import { findCodeLink, type CodeLink } from '../domain/rating/code-link.js';
import { attributeCommits, pullRequestsNeedingReviews } from '../domain/rating/pull-request-attribution.js';
import type { CardEvidence, CodeEvidence, DatasetCardEvidence, HubModelFacts, ModelEvidence, ParentEvidence, ReviewFact } from '../domain/rating/model-evidence.js';
import type { UpstreamFailure, UpstreamResult } from '../upstream/http-client.js';
import type { Upstream } from '../upstream/upstream.js';

export interface EvidenceOptions {
  /** Dataset cards read per model (the first declared datasets). */
  readonly maxDatasetCards: number;
  /** Pages of 100 contributors read for bus factor. */
  readonly contributorPages: number;
  /** Default-branch commits sampled for reviewedness. */
  readonly commitSample: number;
  /** Pull requests whose reviews are looked up (only those a merge by another person does not settle). */
  readonly maxReviewLookups: number;
}

export const DEFAULT_EVIDENCE_OPTIONS: EvidenceOptions = { maxDatasetCards: 3, contributorPages: 3, commitSample: 25, maxReviewLookups: 10 };

/** Which of the model's declared parents are in the registry, with their net scores. */
export type ParentLookup = (hubIds: readonly string[]) => Promise<ParentEvidence[]>;

export interface GatheredEvidence {
  readonly evidence: ModelEvidence;
  /** The card text, for storage (the evidence keeps it too, for the metrics). */
  readonly readme?: string;
}

/** A failed upstream call that decides the ingest: the service failed, or the thing asked for does not exist. */
export function upstreamError(failure: UpstreamFailure, notFoundMessage: string): AppError {
  // The Hub answers anonymous callers 401 rather than 404 for a repository that is private or absent.
  const anonymousRefusal = failure.kind === 'refused' && failure.status === 401 && !failure.withToken;
  if (failure.kind === 'not-found' || anonymousRefusal) {
    return appError('BAD_USER_INPUT', notFoundMessage, { field: 'url', upstream: failure.service, status: failure.status });
  }
  const reason =
    failure.kind === 'refused'
      ? `refused access (HTTP ${failure.status})${failure.withToken ? '; check the configured token' : ''}`
      : failure.reason;
  // The URL names the configured endpoint (HF_ENDPOINT may be an internal mirror): the log gets it, the client does not.
  return withServerDetail(appError('UPSTREAM_UNAVAILABLE', `${failure.service} could not answer: ${reason}`, { upstream: failure.service }), `upstream URL ${failure.url}`);
}

/** Calls whose failure (other than not-found) means the rating cannot be trusted: the whole ingest fails. */
class Abort {
  constructor(readonly error: AppError) {}
}

function required<T>(result: UpstreamResult<T>, notFoundMessage: string): T {
  if (!result.ok) throw new Abort(upstreamError(result.error, notFoundMessage));
  return result.value;
}

/** Absent is an answer (undefined); an unreachable service is not. */
function optional<T>(result: UpstreamResult<T>): { value: T } | { missing: string } {
  if (result.ok) return { value: result.value };
  if (result.error.kind === 'not-found' || result.error.kind === 'refused') return { missing: `${result.error.service} answered ${result.error.status}` };
  throw new Abort(upstreamError(result.error, ''));
}

/**
 * Everything the metrics need about one Hub model, fetched once and concurrently where the calls
 * are independent: model info first (it names the card, datasets and parents), then the card,
 * dataset cards and registered parents together, then the code the card links to.
 */
export async function gatherModelEvidence(
  upstream: Upstream,
  repoId: string,
  lookupParents: ParentLookup,
  observedAt: string,
  options: EvidenceOptions = DEFAULT_EVIDENCE_OPTIONS,
): Promise<Result<GatheredEvidence>> {
  try {
    const hub = required(await upstream.hf.modelInfo(repoId), `no such model on the Hub: ${repoId}`);
    const [card, datasetCards, parents] = await Promise.all([
      readCard(upstream, hub),
      Promise.all(hub.datasets.slice(0, options.maxDatasetCards).map((id) => readDatasetCard(upstream, id))),
      lookupParents(hub.baseModels),
    ]);
    const code = await readCode(upstream, hub, card, options);
    return ok({ evidence: { hub, card, code, datasetCards, parents, observedAt }, ...(card.status === 'present' && { readme: card.text }) });
  } catch (error) {
    if (error instanceof Abort) return err(error.error);
    throw error;
  }
}

async function readCard(upstream: Upstream, hub: HubModelFacts): Promise<CardEvidence> {
  if (!hub.files.some((file) => file.path === 'README.md')) return { status: 'absent' };
  const card = optional(await upstream.hf.modelFile(hub.repoId, 'README.md'));
  return 'value' in card ? { status: 'present', text: card.value } : { status: 'unavailable', reason: `the repository lists README.md but ${card.missing}` };
}

async function readDatasetCard(upstream: Upstream, id: string): Promise<DatasetCardEvidence> {
  const card = optional(await upstream.hf.datasetFile(id, 'README.md'));
  return 'value' in card ? { id, status: 'present', text: card.value } : { id, status: 'unavailable', reason: `no card (${card.missing})` };
}

async function readCode(upstream: Upstream, hub: HubModelFacts, card: CardEvidence, options: EvidenceOptions): Promise<CodeEvidence> {
  if (card.status !== 'present') return { status: 'none' };
  const link = findCodeLink(card.text, hub.author, hub.repoId.split('/').pop() ?? hub.repoId);
  return link ? readCodeRepository(upstream, link, options) : { status: 'none' };
}

/** What GitHub says about a model's code repository: metadata, contributors, README, recent commits and their reviews. */
export async function gatherCodeEvidence(upstream: Upstream, link: CodeLink, options: EvidenceOptions = DEFAULT_EVIDENCE_OPTIONS): Promise<Result<CodeEvidence>> {
  try {
    return ok(await readCodeRepository(upstream, link, options));
  } catch (error) {
    if (error instanceof Abort) return err(error.error);
    throw error;
  }
}

async function readCodeRepository(upstream: Upstream, link: CodeLink, options: EvidenceOptions): Promise<CodeEvidence> {
  const { github } = upstream;
  const repo = optional(await github.repo(link.owner, link.repo));
  if ('missing' in repo) return { status: 'unreadable', url: link.url, reason: repo.missing };
  // A renamed repository answers under its new name; ask the rest of the questions there.
  const [owner, name] = repo.value.fullName.split('/') as [string, string];
  const [contributors, readme, commits] = await Promise.all([
    github.contributors(owner, name, options.contributorPages).then(optional),
    github.readme(owner, name).then(optional),
    github.recentCommits(owner, name, options.commitSample).then(optional),
  ]);
  const commitList = 'value' in commits ? commits.value : undefined;
  const lookups = commitList ? pullRequestsNeedingReviews(attributeCommits(commitList)).slice(0, options.maxReviewLookups) : [];
  const reviewLists = await Promise.all(lookups.map(async (pull) => [pull, optional(await github.pullReviews(owner, name, pull))] as const));
  const reviews: Record<number, readonly ReviewFact[]> = {};
  for (const [pull, result] of reviewLists) if ('value' in result) reviews[pull] = result.value;
  return {
    status: 'present',
    url: link.url,
    repo: {
      ...repo.value,
      readmeLength: 'value' in readme ? readme.value.length : 0,
      ...('value' in contributors && { contributors: contributors.value.contributors }),
      contributorsTruncated: 'value' in contributors && contributors.value.truncated,
      ...(commitList && { commits: commitList }),
      reviews,
    },
  };
}
