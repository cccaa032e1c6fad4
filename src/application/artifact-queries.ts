import DataLoader from 'dataloader';
import { foldEvents, type ArtifactState } from '../domain/artifact-state.js';
import { latestReadme, type ArtifactEvent } from '../domain/artifact-events.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { MAX_NAME_LENGTH, parseNameSearch, type ArtifactName } from '../domain/artifact-name.js';
import { parseArtifactUrl, urlKeyOf } from '../domain/artifact-url.js';
import type { ArtifactId } from '../domain/ids.js';
import { mergeHistoryPage, type HistoryEvent, type HistoryEventType, type HistoryFilter, type HistoryItem, type HistoryPosition } from '../domain/history.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { ListPage, ListScope } from '../store/projection-store.js';
import type { RegistryStore } from './registry-store.js';
import type { AuditKind } from '../store/audit-records.js';
import { lineageGraph, type LineageGraph } from './lineage-graph.js';
import { artifactCost, type ArtifactCost } from './artifact-cost.js';
import type { LinkKind } from '../domain/artifact-links.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface ListFilter {
  readonly types?: readonly ArtifactType[] | null;
  readonly name?: string | null;
  readonly normalizedName?: string | null;
}

export interface HistoryPage {
  /** Stream events and audit records (downloads, alias moves), merged in time order. */
  readonly events: readonly HistoryItem[];
  readonly hasNextPage: boolean;
  /** Where the page ended: pass it back as `after` for the next one. */
  readonly position: HistoryPosition;
}

/** `first: 0` is a valid Relay page: no edges, and pageInfo says whether any exist (the store reads one item). */
export function pageSize(first: number | null | undefined): Result<number> {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    return err(appError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PAGE_SIZE}`, { field: 'first' }));
  }
  return ok(size);
}

/**
 * An artifact as it was at a past instant, folded from its events up to then. Fields that read
 * more than the state (README, lineage, linked artifacts, cost) read them as of the same instant.
 */
export interface PastArtifact extends ArtifactState {
  readonly asOf: string;
  /** The README the stream held then (the detail item holds only the latest). */
  readonly readmeThen?: string;
}

export const isPast = (state: ArtifactState): state is PastArtifact => typeof (state as Partial<PastArtifact>).asOf === 'string';

/** What the reader may see beyond live artifacts. */
export interface ReaderAccess {
  /**
   * Artifacts deleted since, read as they were before (`asOf`): for admins only, since a deletion
   * is how a registry takes something back from its readers (SECURITY.md, "Time travel").
   */
  readonly seesDeletedPast: boolean;
}

/** Read side. One instance per request: its loader caches and batches projection reads. */
export class ArtifactQueries {
  private readonly byId: DataLoader<ArtifactId, ArtifactState | undefined>;
  private readonly readmes: DataLoader<ArtifactId, string | undefined>;
  private readonly childIds: DataLoader<ArtifactId, ArtifactId[]>;
  private readonly lineages = new Map<ArtifactId, Promise<LineageGraph>>();
  /** Whole streams read in this request, for `stateBefore` (old values of a change). */
  private readonly streams = new Map<ArtifactId, Promise<ArtifactEvent[]>>();

  /** Views of the registry at past instants asked for in this request, one per instant. */
  private readonly instants = new Map<string, ArtifactQueries>();

  /**
   * `asOf` set: a view of the registry at that instant, where every artifact is folded from its
   * events up to then (one Query of its stream each) instead of read from its projection.
   */
  constructor(
    private readonly store: RegistryStore,
    private readonly access: ReaderAccess,
    private readonly asOf?: string,
  ) {
    this.byId = asOf === undefined
      ? new DataLoader((ids) => store.projections.getMany(ids), { maxBatchSize: 100 })
      : new DataLoader((ids) => Promise.all(ids.map((id) => this.foldAt(id, asOf))), { maxBatchSize: 100 });
    this.readmes = new DataLoader((ids) => store.details.readmes(ids), { maxBatchSize: 100 });
    this.childIds = new DataLoader((ids) => store.links.childrenOf(ids), { maxBatchSize: 100 });
  }

  /**
   * The connected lineage of a model. Traversals of many models in one request advance level by
   * level together, so the loaders batch each level across all of them; a graph already computed
   * for one member is reused for every other member it contains.
   */
  lineage(state: ArtifactState): Promise<LineageGraph> {
    if (isPast(state) && state.asOf !== this.asOf) return this.at(state.asOf).lineage(state);
    const known = this.lineages.get(state.id);
    if (known) return known;
    const graph = lineageGraph(state, { states: (ids) => this.getMany(ids), children: (ids) => this.childIds.loadMany(ids).then(unwrapAll) });
    this.lineages.set(state.id, graph);
    void graph.then((g) => { for (const node of g.nodes) if (!this.lineages.has(node.id)) this.lineages.set(node.id, graph); }, () => undefined);
    return graph;
  }

  /** Size of an artifact, and optionally of everything it depends on, each dependency once. */
  cost(state: ArtifactState, includeDependencies: boolean): Promise<ArtifactCost> {
    if (isPast(state) && state.asOf !== this.asOf) return this.at(state.asOf).cost(state, includeDependencies);
    return artifactCost(state, includeDependencies, (ids) => this.getMany(ids));
  }

  /** The live artifacts a model links to as datasets or code, through the batched projection loader. */
  async linked(state: ArtifactState, kind: LinkKind): Promise<ArtifactState[]> {
    if (isPast(state) && state.asOf !== this.asOf) return this.at(state.asOf).linked(state, kind);
    const ids = (state.links ?? []).filter((link) => link.kind === kind).map((link) => link.targetId);
    return (await this.getMany(ids)).filter((target): target is ArtifactState => target !== undefined);
  }

  /**
   * The artifact as it was just before `event`: what a rename or URL change changed from. Events
   * record only the new values, so the stream is folded up to there (read once per artifact and
   * request, and only when a client asks for an old value).
   */
  async stateBefore(event: HistoryEvent): Promise<ArtifactState | undefined> {
    let stream = this.streams.get(event.artifactId);
    if (!stream) {
      stream = this.store.events.readStream(event.artifactId);
      this.streams.set(event.artifactId, stream);
    }
    return foldEvents(undefined, (await stream).filter((e) => e.version < event.version));
  }

  /** README text stored for an artifact; READMEs asked for in one request are read in one BatchGet. */
  readme(id: ArtifactId): Promise<string | undefined> {
    return this.readmes.load(id);
  }

  /** The README of this state: the stored one, or for a past state the one its stream held then. */
  readmeOf(state: ArtifactState): Promise<string | undefined> {
    return isPast(state) ? Promise.resolve(state.readmeThen) : this.readme(state.id);
  }

  /**
   * The artifact as it was at `asOf` (any ISO-8601 instant): undefined when it did not exist then
   * or was deleted by then. A deleted artifact reads as it was before its deletion.
   */
  async getAsOf(id: ArtifactId, asOf: string): Promise<Result<ArtifactState | undefined>> {
    const instant = parseInstant(asOf, 'asOf');
    if (!instant.ok) return instant;
    return ok(await this.at(instant.value).get(id));
  }

  /**
   * The artifact that held `rawUrl` (any spelling) live at `asOf`. Candidates are every artifact that
   * ever claimed the URL's key (one Query of the URL-holder index, plus the current claim); each is
   * folded to that instant and kept only if it then held the URL live. URLs are unique among live
   * artifacts, so at most one is expected; should writers' clocks disagree, the latest registered wins.
   */
  async byUrlAsOf(rawUrl: string, asOf: string): Promise<Result<ArtifactState | undefined>> {
    const instant = parseInstant(asOf, 'asOf');
    if (!instant.ok) return instant;
    const parsed = parseAnyArtifactUrl(rawUrl);
    if (!parsed.ok) return parsed;
    const view = this.at(instant.value);
    const candidates = (await view.getMany(await this.store.claims.holders(parsed.value.key))).filter(
      (state): state is ArtifactState => state !== undefined && urlKeyOf(state.url) === parsed.value.key,
    );
    return ok(candidates.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0]);
  }

  /** The view of this request at one instant (normalized), shared by every field that asks for it. */
  private at(asOf: string): ArtifactQueries {
    let view = this.instants.get(asOf);
    if (!view) {
      view = new ArtifactQueries(this.store, this.access, asOf);
      this.instants.set(asOf, view);
    }
    return view;
  }

  private async foldAt(id: ArtifactId, asOf: string): Promise<PastArtifact | undefined> {
    const { until, later } = await this.store.events.readSplitAt(id, Date.parse(asOf));
    if (!this.access.seesDeletedPast && later.some((event) => event.type === 'ArtifactDeleted')) return undefined;
    const state = foldEvents(undefined, until);
    if (!state) return undefined;
    const readme = latestReadme(until);
    return { ...state, asOf, ...(readme && { readmeThen: readme.text }) };
  }

  /** Live artifact by id, or undefined when absent or deleted. */
  async get(id: ArtifactId): Promise<ArtifactState | undefined> {
    const state = await this.byId.load(id);
    return state && !state.deleted ? state : undefined;
  }

  async getMany(ids: readonly ArtifactId[]): Promise<(ArtifactState | undefined)[]> {
    const states = await this.byId.loadMany(ids);
    return states.map((state) => {
      if (state instanceof Error) throw state;
      return state && !state.deleted ? state : undefined;
    });
  }

  async byUrl(rawUrl: string): Promise<Result<ArtifactState | undefined>> {
    const parsed = parseAnyArtifactUrl(rawUrl);
    if (!parsed.ok) return parsed;
    const state = await this.store.projections.findByUrl(parsed.value.key);
    if (state) this.byId.prime(state.id, state);
    return ok(state);
  }

  async list(filter: ListFilter, first: number | null | undefined, after: string | null | undefined): Promise<Result<ListPage>> {
    const size = pageSize(first);
    if (!size.ok) return size;
    const scope = listScope(filter);
    if (!scope.ok) return scope;
    const page = await this.store.projections.list({
      scope: scope.value,
      ...(filter.types && filter.types.length > 0 && { types: filter.types }),
      first: size.value,
      ...(after != null && { after }),
    });
    if (page.ok) for (const { state } of page.value.items) this.byId.prime(state.id, state);
    return page;
  }

  /**
   * The history of `state` as a reader of it sees it: a past state's history ends at its instant,
   * whatever `filter.to` asks.
   */
  historyOf(state: ArtifactState, first: number | null | undefined, after: HistoryPosition, filter: HistoryFilter = {}): Promise<Result<HistoryPage>> {
    if (!isPast(state)) return this.history(state.id, first, after, filter);
    const to = filter.to === undefined ? undefined : parseInstant(filter.to, 'to');
    if (to !== undefined && !to.ok) return Promise.resolve(to);
    const until = to === undefined || Date.parse(to.value) > Date.parse(state.asOf) ? state.asOf : to.value;
    return this.history(state.id, first, after, { ...filter, to: until });
  }

  /**
   * A page of an artifact's history: its stream's events and its download records, merged in time
   * order (two Queries in parallel; one when the type filter leaves a source out).
   */
  async history(id: ArtifactId, first: number | null | undefined, afterPosition: HistoryPosition | number = 0, filter: HistoryFilter = {}): Promise<Result<HistoryPage>> {
    // A bare number is a stream version (callers that page by version alone, from the start of the records).
    const after: HistoryPosition = typeof afterPosition === 'number' ? { version: afterPosition } : afterPosition;
    const size = pageSize(first);
    if (!size.ok) return size;
    const range = timeRange(filter);
    if (!range.ok) return range;
    const types = filter.types && filter.types.length > 0 ? filter.types : undefined;
    const eventTypes = types?.filter((type): type is HistoryEventType => type !== 'AliasMoved' && type !== 'FileDownloaded');
    // Old data recorded downloads as events: a download filter reads those too.
    const streamTypes = eventTypes && types?.includes('FileDownloaded') ? [...eventTypes, 'FileDownloaded' as const] : eventTypes;
    const kinds = types && ([types.includes('FileDownloaded') && 'download', types.includes('AliasMoved') && 'alias'].filter(Boolean) as AuditKind[]);
    const [events, records] = await Promise.all([
      streamTypes?.length === 0 ? { events: [] as ArtifactEvent[], hasMore: false } : this.store.events.readPage(id, after.version, size.value, { ...range.value, ...(streamTypes && { types: streamTypes }) }),
      this.store.audit.readPage(id, after.recordId, size.value, range.value, kinds),
    ]);
    // A refused ingest is a stream of its own, never an artifact's: nothing to show.
    const committed: HistoryEvent[] = [];
    for (const event of events.events) if (isHistoryEvent(event)) committed.push(event);
    const page = mergeHistoryPage({ items: committed, hasMore: events.hasMore }, records, size.value, after);
    return ok({ events: page.items, hasNextPage: page.hasNextPage, position: page.position });
  }
}

/** The type only matters for validation; look the URL up under whatever type it can hold. */
function parseAnyArtifactUrl(rawUrl: string) {
  return (['MODEL', 'DATASET', 'CODE'] as const).map((type) => parseArtifactUrl(rawUrl, type)).find((result) => result.ok) ?? parseArtifactUrl(rawUrl, 'MODEL');
}

/** Every instant an event can carry: toISOString keeps four-digit years only between these. */
const FIRST_STORABLE_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An instant in the form events store theirs (toISOString with a four-digit year), which is what
 * the table's filters compare as strings. Instants outside years 0-9999 (`+275760-09-13T...`,
 * whose expanded year would sort before 2026) are brought to the nearest one inside: no event is
 * recorded beyond them, so every answer is the same.
 */
export function parseInstant(raw: string, field: string): Result<string> {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) return err(appError('BAD_USER_INPUT', `${field} is not an ISO-8601 instant`, { field }));
  return ok(new Date(Math.min(Math.max(ms, FIRST_STORABLE_MS), LAST_STORABLE_MS)).toISOString());
}

/** Instants compare as stored (toISOString): any other ISO spelling is brought to that form first. */
function timeRange(filter: HistoryFilter): Result<{ from?: string; to?: string }> {
  const range: { from?: string; to?: string } = {};
  for (const field of ['from', 'to'] as const) {
    const raw = filter[field];
    if (raw === undefined) continue;
    const instant = parseInstant(raw, field);
    if (!instant.ok) return instant;
    range[field] = instant.value;
  }
  if (range.from !== undefined && range.to !== undefined && Date.parse(range.from) > Date.parse(range.to)) return err(appError('BAD_USER_INPUT', 'from is after to', { field: 'from' }));
  return ok(range);
}

const isHistoryEvent = (event: ArtifactEvent): event is HistoryEvent => event.type !== 'IngestRefused';

function unwrapAll<T>(values: readonly (T | Error)[]): T[] {
  return values.map((value) => {
    if (value instanceof Error) throw value;
    return value;
  });
}

function listScope(filter: ListFilter): Result<ListScope> {
  const { name, normalizedName } = filter;
  if (name != null && normalizedName != null) {
    return err(appError('BAD_USER_INPUT', 'filter by name or by normalizedName, not both', { field: 'filter' }));
  }
  // No stored name is longer, and a longer value would make an index key DynamoDB refuses (over 2,048 bytes).
  for (const [field, value] of [['filter.name', name], ['filter.normalizedName', normalizedName]] as const) {
    if (value != null && value.length > MAX_NAME_LENGTH) return err(appError('BAD_USER_INPUT', `${field} is longer than ${MAX_NAME_LENGTH} characters`, { field }));
  }
  if (name != null) {
    if (name.length === 0) return err(appError('BAD_USER_INPUT', 'name must not be empty', { field: 'filter.name' }));
    // Longer than any stored name, and too long for the sort key it would be compared with.
    if (name.length > MAX_NAME_LENGTH) return err(appError('BAD_USER_INPUT', `no name is longer than ${MAX_NAME_LENGTH} characters`, { field: 'filter.name' }));
    const key = parseNameSearch(name, 'filter.name');
    if (!key.ok) return key;
    return ok({ kind: 'name', normalizedName: key.value, exactName: name as ArtifactName });
  }
  if (normalizedName != null) {
    const key = parseNameSearch(normalizedName, 'filter.normalizedName');
    if (!key.ok) return key;
    return ok({ kind: 'name', normalizedName: key.value });
  }
  return ok({ kind: 'all' });
}
