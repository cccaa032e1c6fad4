import type { ArtifactEvent, ArtifactEventBody, SourceRecord } from '../domain/artifact-events.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { isArtifactType, ARTIFACT_TYPES, type ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactName, type ArtifactName } from '../domain/artifact-name.js';
import { parseArtifactUrl, urlKeyOf, type NormalizedUrl, type ParsedArtifactUrl } from '../domain/artifact-url.js';
import { newArtifactId, type ActorId, type ArtifactId } from '../domain/ids.js';
import { artifactGlobalId, type ArtifactRef } from '../domain/global-id.js';
import { appError, err, ok, type AppError, type Result } from '../domain/result.js';
import { describeFailures, ingestGate, GATE_THRESHOLD } from '../domain/rating/ingest-gate.js';
import type { ModelEvidence } from '../domain/rating/model-evidence.js';
import type { Clock } from './clock.js';
import type { RegistryStore } from './registry-store.js';
import type { ArtifactSources } from './artifact-sources.js';
import { rateModel } from './rate-model.js';
import { backoff, type RetryPolicy } from '../store/backoff.js';
import { retryOnConflict } from './stream-commands.js';
import { declaredReferences, newLinks, type ArtifactLink } from '../domain/artifact-links.js';

export interface IngestInput {
  readonly type: string;
  readonly url: string;
  readonly name?: string | null;
}

/**
 * Commands name an artifact by id and type, as a global id does: an id of another type names
 * nothing (NOT_FOUND), so `Code:<a model's id>` never changes the model.
 */
export interface UpdateInput {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly expectedVersion: number;
  readonly name?: string | null;
  readonly url?: string | null;
}

export interface DeleteInput {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly expectedVersion: number;
}

export interface CommandOptions {
  /**
   * A URL claim whose artifact never committed (its writer died between claim and event) is taken
   * over after this long. Younger claims may belong to an ingest still in flight.
   */
  readonly staleClaimMs: number;
  /** How commits that lost a version race are retried (reload, decide again, after a jittered wait). */
  readonly retries: CommitRetries;
}

export interface CommitRetries {
  /** A re-rating (rateModel, or after a late link); each try reads the Hub again, so few. */
  readonly rate: RetryPolicy;
  /** Links appended to a model that may be changing meanwhile (a re-rating, another link). */
  readonly link: RetryPolicy;
  /** appendTo: files, downloads, mirror progress, which many writers of one artifact may race for. */
  readonly append: RetryPolicy;
  /** Downloads of a popular artifact contend for its stream: retried harder than other changes. */
  readonly download: RetryPolicy;
}

export const DEFAULT_COMMIT_RETRIES: CommitRetries = {
  rate: { attempts: 3, baseDelayMs: 20, maxDelayMs: 500 },
  link: { attempts: 8, baseDelayMs: 10, maxDelayMs: 500 },
  append: { attempts: 20, baseDelayMs: 10, maxDelayMs: 320 },
  download: { attempts: 100, baseDelayMs: 10, maxDelayMs: 320 },
};

export const DEFAULT_COMMAND_OPTIONS: CommandOptions = { staleClaimMs: 60_000, retries: DEFAULT_COMMIT_RETRIES };

/** The client knows the id it sent; the stored id is not one the API accepts, so it is not echoed. */
const notFound = () => err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)'));

/** appendTo's per-artifact queue: its last link, how many calls use it, the state its last turn left. */
interface Lane {
  tail: Promise<void>;
  waiting: number;
  last?: ArtifactState | undefined;
}

/** Write side: every command validates, checks the expected version, appends one event, projects. */
export class ArtifactCommands {
  private readonly lanes = new Map<ArtifactId, Lane>();
  /** The registered parents a rating saw, by `id@version` of the commit carrying it, until its reactions ran. */
  private readonly ratedParents = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly store: RegistryStore,
    private readonly clock: Clock,
    private readonly sources: ArtifactSources,
    private readonly options: CommandOptions = DEFAULT_COMMAND_OPTIONS,
  ) {}

  /** RatingHints (link-resolution-reactor.ts): what the inline reaction to this commit should know. */
  parentsRatedWith(id: ArtifactId, version: number): ReadonlySet<string> | undefined {
    return this.ratedParents.get(`${id}@${version}`);
  }

  /**
   * Validates, reads the source (Hub or GitHub), rates a model and applies the ingest gate, then
   * claims the URL and commits registration, metadata and rating as one event. Nothing is written
   * before the source has answered; a refused model leaves only an audit event in a stream of its own.
   */
  async ingest(input: IngestInput, actor: ActorId): Promise<Result<ArtifactState>> {
    if (!isArtifactType(input.type)) {
      return err(appError('BAD_USER_INPUT', `type must be one of ${ARTIFACT_TYPES.join(', ')}`, { field: 'type' }));
    }
    const url = parseArtifactUrl(input.url, input.type);
    if (!url.ok) return url;
    const name = parseArtifactName(input.name ?? url.value.derivedName);
    if (!name.ok) return name;

    // A URL that is already live is a CONFLICT before any upstream call: re-ingesting a registered
    // model must neither cost a round of Hub and GitHub requests nor answer DISQUALIFIED.
    const live = await this.liveHolder(url.value.url);
    if (live) return err(conflict(url.value.url, live));

    const reading = await this.readGated(input.type, name.value, url.value, actor);
    if (!reading.ok) return reading;
    const { metadata, rating, readme } = reading.value.record;
    const { evidence } = reading.value;

    const id = newArtifactId(this.clock.now().getTime());
    const claimed = await this.claimUrl(url.value.url, { id, type: input.type });
    if (!claimed.ok) return claimed;
    const artifactType: ArtifactType = input.type;
    const registered = await this.withRatingHint(id, 1, parentsSeen(evidence), () => this.commit(undefined, id, actor, {
      type: 'ArtifactRegistered',
      payload: {
        artifactType,
        name: name.value,
        url: url.value.url,
        ...sourceUrlOf(input.url, url.value.url),
        metadata,
        ...(rating !== undefined && { rating }),
        ...(readme !== undefined && { readme }),
      },
    }, { claimedUrl: url.value.url }));
    if (!registered.ok) return registered;
    return ok(await this.afterReactions(registered.value));
  }

  /**
   * Appends the links a model does not hold yet as one ArtifactLinked event, retrying on a
   * concurrent change so no link is lost. Parent links are first added to the parents' reverse
   * index: an index entry whose link never committed is ignored by readers (they keep only edges the
   * child's state confirms), whereas an entry written after the commit could be lost in a crash.
   * With `declaredOnly`, only references the model's current source declares are linked: a pending
   * item written for the source it had before a URL change no longer speaks for it.
   */
  async link(
    modelId: ArtifactId,
    candidates: readonly ArtifactLink[],
    actor: ActorId,
    declaredOnly = false,
  ): Promise<Result<{ state: ArtifactState | undefined; added: number }>> {
    return retryOnConflict(this.options.retries.link, async () => {
      const state = await this.store.loadCurrent(modelId);
      if (!state || state.deleted || state.type !== 'MODEL') return ok({ state, added: 0 });
      const declared = declaredReferences(state.metadata);
      const wanted = declaredOnly ? candidates.filter((link) => declared.some((d) => d.kind === link.kind && d.reference === link.reference)) : candidates;
      const links = newLinks(state.links, wanted);
      if (links.length === 0) return ok({ state, added: 0 });
      const parents = links.filter((link) => link.kind === 'parent').map((link) => link.targetId);
      if (parents.length > 0) await this.store.links.addChild(parents, modelId);
      const result = await this.commit(state, modelId, actor, { type: 'ArtifactLinked', payload: { links } }, {});
      return result.ok ? ok({ state: result.value, added: links.length }) : result;
    });
  }

  /**
   * Re-rates a model from fresh evidence and appends the rating as a new event. No gate: the model
   * is registered already, and its history shows how its rating moved.
   */
  async rate(ref: ArtifactRef, actor: ActorId): Promise<Result<ArtifactState>> {
    const { id } = ref;
    // A lost race (a rename, another rating landed first) rates again against the new state.
    return retryOnConflict(this.options.retries.rate, async () => {
      const state = await this.store.loadCurrent(id);
      if (!isLiveRef(state, ref)) return notFound();
      if (state.type !== 'MODEL') return err(appError('BAD_USER_INPUT', `artifact ${artifactGlobalId(state)} is a ${state.type}; only models are rated`, { field: 'id' }));
      const parsed = parseArtifactUrl(state.url, 'MODEL');
      if (!parsed.ok || parsed.value.source.kind !== 'huggingface-model') {
        return err(appError('BAD_USER_INPUT', `cannot rate ${state.url}: the registry reads models from the Hugging Face Hub only`, { field: 'id' }));
      }
      const gathered = await this.sources.modelEvidence(parsed.value.source.repoId);
      if (!gathered.ok) return gathered;
      const rating = await rateModel(gathered.value.evidence, this.clock.now().toISOString());
      return this.commit(state, id, actor, { type: 'ModelRated', payload: { rating } }, {});
    });
  }

  /**
   * Renames and/or re-points an artifact. A new URL passes the same road as an ingest: its source is
   * read, a model is rated and gated (DISQUALIFIED changes nothing), and the change commits with
   * what was read (metadata, rating, README) in one event, so a refused model can never be served
   * under a passing model's rating. The new source's references are resolved after the commit.
   */
  async update(input: UpdateInput, actor: ActorId): Promise<Result<ArtifactState>> {
    const current = await this.loadLive(input, input.expectedVersion);
    if (!current.ok) return current;
    const state = current.value;

    let name: ArtifactName | undefined;
    if (input.name !== undefined && input.name !== null) {
      const parsed = parseArtifactName(input.name);
      if (!parsed.ok) return parsed;
      if (parsed.value !== state.name) name = parsed.value;
    }
    let url: ParsedArtifactUrl | undefined;
    if (input.url !== undefined && input.url !== null) {
      const parsed = parseArtifactUrl(input.url, state.type);
      if (!parsed.ok) return parsed;
      if (parsed.value.url !== state.url) url = parsed.value;
    }
    if (name === undefined && url === undefined) {
      if (input.name == null && input.url == null) return err(appError('BAD_USER_INPUT', 'give a new name or url', { field: 'input' }));
      return ok(state); // Nothing changes: no event, and the version stays as the client knows it.
    }
    if (url === undefined) return this.commit(state, state.id, actor, { type: 'ArtifactUpdated', payload: { ...(name !== undefined && { name }) } }, {});
    // A new spelling of the same repository (`PyGithub` for `pygithub`) is the same source and keeps
    // its claim: the URL changes as written, nothing is re-read.
    if (urlKeyOf(url.url) === urlKeyOf(state.url)) {
      return this.commit(state, state.id, actor, { type: 'ArtifactUpdated', payload: { ...(name !== undefined && { name }), url: url.url, ...sourceUrlOf(input.url!, url.url) } }, {});
    }

    // As at ingest: a URL already live is a CONFLICT before any upstream call.
    const live = await this.liveHolder(url.url);
    if (live) return err(conflict(url.url, live));
    const reading = await this.readGated(state.type, name ?? state.name, url, actor, state.id);
    if (!reading.ok) return reading;
    const claimed = await this.claimUrl(url.url, state);
    if (!claimed.ok) return claimed;
    // Committed at the version read before the source was: a change that landed meanwhile wins, and this is a CONFLICT.
    const updated = await this.withRatingHint(state.id, state.version + 1, parentsSeen(reading.value.evidence), () =>
      this.commit(state, state.id, actor, {
        type: 'ArtifactUpdated',
        payload: { ...(name !== undefined && { name }), url: url.url, ...sourceUrlOf(input.url!, url.url), reading: reading.value.record },
      }, { claimedUrl: url.url, releasedUrl: state.url }),
    );
    if (!updated.ok) return updated;
    return ok(await this.afterReactions(updated.value));
  }

  /** Runs `commit` (whose inline reactions read the hint) with the parents its rating saw on record. */
  private async withRatingHint<T>(id: ArtifactId, version: number, parents: ReadonlySet<string>, commit: () => Promise<T>): Promise<T> {
    const key = `${id}@${version}`;
    this.ratedParents.set(key, parents);
    try {
      return await commit();
    } finally {
      this.ratedParents.delete(key);
    }
  }

  /**
   * The state to answer with once the commit's inline reactions ran: link resolution may have
   * appended links (and a rating) to the artifact itself, which only a source declaring references
   * can cause. Then one consistent read of the projection, which those commits wrote.
   */
  private async afterReactions(committed: ArtifactState): Promise<ArtifactState> {
    if (declaredReferences(committed.metadata).length === 0) return committed;
    const [now] = await this.store.projections.getMany([committed.id], { consistent: true });
    return now && now.version >= committed.version ? now : committed;
  }

  /** Returns the deleted state: its `files` say which blobs the artifact held until now. */
  async delete(input: DeleteInput, actor: ActorId): Promise<Result<ArtifactState>> {
    const current = await this.loadLive(input, input.expectedVersion);
    if (!current.ok) return current;
    return this.commit(current.value, input.id, actor, { type: 'ArtifactDeleted', payload: {} }, {
      releasedUrl: current.value.url,
    });
  }

  /**
   * Appends one event decided from the live state, for changes no client version guards (files,
   * downloads, mirror progress): a lost version race re-reads the state and decides again, with a
   * jittered backoff, up to the `retry` policy's attempts. Same commit path as every other command.
   *
   * Calls for one artifact take turns within this process (a lane per artifact), and each turn
   * starts from the state the previous turn committed instead of re-reading it: N concurrent
   * downloads of one artifact then cost N sequential commits, not N^2 version races. Writers in
   * other processes still race through the conditional put, which keeps this correct: a stale
   * cached state just loses the race, re-reads and retries.
   */
  async appendTo(
    id: ArtifactId,
    actor: ActorId,
    decide: (state: ArtifactState) => Result<ArtifactEventBody>,
    retry: 'append' | 'download' = 'append',
  ): Promise<Result<ArtifactState>> {
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { tail: Promise.resolve(), waiting: 0 };
      this.lanes.set(id, lane);
    }
    const current = lane;
    current.waiting += 1;
    const turn = current.tail.then(() => this.appendInLane(current, id, actor, decide, this.options.retries[retry]));
    current.tail = turn.then(() => undefined, () => undefined);
    try {
      return await turn;
    } finally {
      current.waiting -= 1;
      if (current.waiting === 0 && this.lanes.get(id) === current) this.lanes.delete(id);
    }
  }

  private async appendInLane(
    lane: Lane,
    id: ArtifactId,
    actor: ActorId,
    decide: (state: ArtifactState) => Result<ArtifactEventBody>,
    policy: RetryPolicy,
  ): Promise<Result<ArtifactState>> {
    for (let attempt = 1; ; attempt++) {
      const cached = lane.last;
      lane.last = undefined;
      const state = cached ?? (await this.store.loadCurrent(id));
      // A refusal decided on the cached state may be stale (another process changed the artifact):
      // only a fresh read may refuse.
      if (!state || state.deleted) {
        if (cached) continue;
        return notFound();
      }
      const body = decide(state);
      if (!body.ok) {
        if (cached) continue;
        lane.last = state;
        return body;
      }
      const result = await this.commit(state, id, actor, body.value, {});
      if (result.ok) {
        lane.last = result.value;
        return result;
      }
      if (result.error.code !== 'CONFLICT' || attempt >= policy.attempts) return result;
      await backoff(policy, attempt);
    }
  }

  private async loadLive(ref: ArtifactRef, expectedVersion: number): Promise<Result<ArtifactState>> {
    const state = await this.store.loadCurrent(ref.id);
    if (!isLiveRef(state, ref)) return notFound();
    if (state.version !== expectedVersion) return err(staleVersion(state, expectedVersion, state.version));
    return ok(state);
  }

  /**
   * Reads a source (ingest, URL change) and, for a model, rates it and applies the ingest gate.
   * Every MODEL holds a passing rating: a model from a source the registry cannot rate (anything
   * but a Hub model) is refused before any upstream call, like one that fails the gate. A refused
   * model leaves only an audit event in a stream of its own and answers DISQUALIFIED.
   */
  private async readGated(
    type: ArtifactType,
    name: ArtifactName,
    url: ParsedArtifactUrl,
    actor: ActorId,
    updateOf?: ArtifactId,
  ): Promise<Result<{ record: SourceRecord; evidence?: ModelEvidence }>> {
    const refusal = { artifactType: type, name, url: url.url, ...(updateOf !== undefined && { updateOf }) };
    if (type === 'MODEL' && url.source.kind !== 'huggingface-model') {
      const reason = `${new URL(url.url).host} is not a source the registry can rate: models are read and rated from the Hugging Face Hub (https://huggingface.co/<owner>/<model>) only`;
      const refusalId = await this.recordRefusal(actor, { ...refusal, reason });
      return err(appError('DISQUALIFIED', `the model cannot pass the ingest gate: ${reason}`, { failures: [], refusalId }));
    }
    const reading = await this.sources.read(url);
    if (!reading.ok) return reading;
    const { metadata, readme, evidence } = reading.value;
    if (type !== 'MODEL') return ok({ record: { metadata, ...(readme !== undefined && { readme }) } });
    // A Hub model always comes with its evidence; without it nothing could be rated.
    if (!evidence) throw new Error(`no evidence read for the model at ${url.url}`);
    const rating = await rateModel(evidence, this.clock.now().toISOString());
    const verdict = ingestGate(rating);
    if (!verdict.passed) {
      const reason = describeFailures(verdict.failures);
      const refusalId = await this.recordRefusal(actor, { ...refusal, reason, rating });
      return err(
        appError('DISQUALIFIED', `the model did not pass the ingest gate (every applicable metric, and sizeScore on its best device, must be at least ${GATE_THRESHOLD}): ${reason}`, {
          rating,
          failures: verdict.failures,
          refusalId,
        }),
      );
    }
    return ok({ record: { metadata, rating, ...(readme !== undefined && { readme }) }, evidence });
  }

  /** The live artifact holding `url`'s key, if any: the claim names it and its state confirms it. */
  private async liveHolder(url: NormalizedUrl): Promise<ArtifactRef | undefined> {
    const claim = await this.store.claims.get(url);
    if (!claim) return undefined;
    const [holder] = await this.store.projections.getMany([claim.artifactId], { consistent: true });
    return holder && !holder.deleted && urlKeyOf(holder.url) === claim.key ? holder : undefined;
  }

  /** The gate's audit record: version 1 of a fresh stream, claiming nothing. */
  private async recordRefusal(actor: ActorId, payload: Extract<ArtifactEventBody, { type: 'IngestRefused' }>['payload']): Promise<ArtifactId> {
    const refusalId = newArtifactId(this.clock.now().getTime());
    const event = { type: 'IngestRefused', payload, artifactId: refusalId, version: 1, at: this.clock.now().toISOString(), actor } as const;
    await this.store.recordRefusal(event);
    return refusalId;
  }

  /**
   * Appends the next event (the commit point), then writes the projection and releases the old URL
   * claim, before the commit's reactions run (they may take seconds: a re-rating reads the Hub).
   * If the version is taken, a concurrent writer won: the claim this command made is given back.
   */
  private async commit(
    state: ArtifactState | undefined,
    id: ArtifactId,
    actor: ActorId,
    body: ArtifactEventBody,
    claims: { claimedUrl?: NormalizedUrl; releasedUrl?: NormalizedUrl },
  ): Promise<Result<ArtifactState>> {
    const version = (state?.version ?? 0) + 1;
    const event = { ...body, artifactId: id, version, at: this.clock.now().toISOString(), actor } as ArtifactEvent;
    // An exception here leaves the outcome unknown (the put may have landed), so the new claim is
    // kept: if the event did not commit, the claim goes stale and the next claimant takes it over.
    const { releasedUrl } = claims;
    const outcome = await this.store.stream.commit(state, event, releasedUrl ? () => this.store.claims.release(releasedUrl, id) : undefined);
    if (!('committed' in outcome)) {
      if (claims.claimedUrl) await this.store.claims.release(claims.claimedUrl, id);
      // Only the winner's version is needed for the answer; the winner projects its own event.
      // Only a registration commits without a state, and it knows its type.
      const type = state?.type ?? (body.type === 'ArtifactRegistered' ? body.payload.artifactType : 'MODEL');
      return err(staleVersion({ id, type }, version - 1, outcome.winnerVersion));
    }
    return ok(outcome.committed);
  }

  /**
   * Claims `url` for `id`. A URL held by a live artifact is a CONFLICT naming that artifact. A claim
   * whose artifact does not hold the URL (its writer died before the event committed) is taken
   * over once it is older than `staleClaimMs`.
   */
  private async claimUrl(url: NormalizedUrl, claimant: ArtifactRef): Promise<Result<true>> {
    const now = this.clock.now();
    const outcome = await this.store.claims.claim(url, claimant.id, now.toISOString(), claimant.type);
    if (outcome.claimed) return ok(true);
    const { holder } = outcome;
    if (holder.artifactId === claimant.id) return ok(true); // our own claim from an update that died midway
    const holderState = await this.store.loadCurrent(holder.artifactId);
    const holderType = holderState?.type ?? holder.artifactType;
    const refused = err<AppError>(conflict(url, holderType && { type: holderType, id: holder.artifactId }));
    if (holderState && !holderState.deleted && urlKeyOf(holderState.url) === holder.key) return refused;
    // A young claim whose artifact does not hold the URL yet belongs to a command still in flight.
    if (now.getTime() - Date.parse(holder.claimedAt) < this.options.staleClaimMs) return refused;
    return (await this.store.claims.takeOver(holder, claimant.id, now.toISOString(), claimant.type)) ? ok(true) : refused;
  }
}

/** The state is live and of the type the caller named it by. */
export function isLiveRef(state: ArtifactState | undefined, ref: ArtifactRef): state is ArtifactState {
  return state !== undefined && !state.deleted && state.type === ref.type;
}

/** The client's spelling of a URL, recorded only when it is not already the normal form. */
function sourceUrlOf(given: string, url: NormalizedUrl): { sourceUrl?: string } {
  return given === url ? {} : { sourceUrl: given };
}

/** The registered parents a rating saw: a parent linked later that it did not see calls for a re-rating. */
function parentsSeen(evidence: ModelEvidence | undefined): Set<string> {
  return new Set((evidence?.parents ?? []).flatMap((parent) => (parent.registered ? [parent.registered.artifactId] : [])));
}

/** Names the holder by the global id the API accepts; a claim from before types were recorded, whose holder never committed, has none. */
function conflict(url: NormalizedUrl, holder: ArtifactRef | undefined): AppError {
  if (!holder) return appError('CONFLICT', `${url} is being registered by another request`);
  const existingId = artifactGlobalId(holder);
  return appError('CONFLICT', `${url} is already registered as artifact ${existingId}`, { existingId });
}

function staleVersion(artifact: ArtifactRef, expected: number, actual: number): AppError {
  const id = artifactGlobalId(artifact);
  return appError('CONFLICT', `artifact ${id} is at version ${actual}, not ${expected}; reload and retry`, {
    id,
    expectedVersion: expected,
    currentVersion: actual,
  });
}
