import DataLoader from 'dataloader';
import { foldEvents, type ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactEvent } from '../domain/artifact-events.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { MAX_NAME_LENGTH, parseNameSearch, type ArtifactName } from '../domain/artifact-name.js';
import { parseArtifactUrl } from '../domain/artifact-url.js';
import type { ArtifactId } from '../domain/ids.js';
import { mergeHistoryPage, type HistoryEvent, type HistoryFilter, type HistoryItem, type HistoryPosition } from '../domain/history.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { ListPage, ListScope } from '../store/projection-store.js';
import type { RegistryStore } from './registry-store.js';
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
  /** Stream events and download records, merged in time order. */
  readonly entries: readonly HistoryItem[];
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

/** Read side. One instance per request: its loader caches and batches projection reads. */
export class ArtifactQueries {
  private readonly byId: DataLoader<ArtifactId, ArtifactState | undefined>;
  private readonly readmes: DataLoader<ArtifactId, string | undefined>;
  private readonly childIds: DataLoader<ArtifactId, ArtifactId[]>;
  private readonly lineages = new Map<ArtifactId, Promise<LineageGraph>>();
  /** Whole streams read in this request, for `stateBefore` (old values of a change). */
  private readonly streams = new Map<ArtifactId, Promise<ArtifactEvent[]>>();

  constructor(private readonly store: RegistryStore) {
    this.byId = new DataLoader((ids) => store.projections.getMany(ids), { maxBatchSize: 100 });
    this.readmes = new DataLoader((ids) => store.details.readmes(ids), { maxBatchSize: 100 });
    this.childIds = new DataLoader((ids) => store.links.childrenOf(ids), { maxBatchSize: 100 });
  }

  /**
   * The connected lineage of a model. Traversals of many models in one request advance level by
   * level together, so the loaders batch each level across all of them; a graph already computed
   * for one member is reused for every other member it contains.
   */
  lineage(state: ArtifactState): Promise<LineageGraph> {
    const known = this.lineages.get(state.id);
    if (known) return known;
    const graph = lineageGraph(state, { states: (ids) => this.getMany(ids), children: (ids) => this.childIds.loadMany(ids).then(unwrapAll) });
    this.lineages.set(state.id, graph);
    void graph.then((g) => { for (const node of g.nodes) if (!this.lineages.has(node.id)) this.lineages.set(node.id, graph); }, () => undefined);
    return graph;
  }

  /** Size of an artifact, and optionally of everything it depends on, each dependency once. */
  cost(state: ArtifactState, includeDependencies: boolean): Promise<ArtifactCost> {
    return artifactCost(state, includeDependencies, (ids) => this.getMany(ids));
  }

  /** The live artifacts a model links to as datasets or code, through the batched projection loader. */
  async linked(state: ArtifactState, kind: LinkKind): Promise<ArtifactState[]> {
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
    // The type only matters for validation; look the URL up under whatever type it can hold.
    const parsed = (['MODEL', 'DATASET', 'CODE'] as const)
      .map((type) => parseArtifactUrl(rawUrl, type))
      .find((result) => result.ok) ?? parseArtifactUrl(rawUrl, 'MODEL');
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
   * A page of an artifact's history: its stream's events and its download records, merged in time
   * order (two Queries in parallel; the records' only when the filter wants downloads).
   */
  async history(id: ArtifactId, first: number | null | undefined, after: HistoryPosition, filter: HistoryFilter = {}): Promise<Result<HistoryPage>> {
    const size = pageSize(first);
    if (!size.ok) return size;
    const range = timeRange(filter);
    if (!range.ok) return range;
    const types = filter.types && filter.types.length > 0 ? filter.types : undefined;
    const wantsDownloads = !types || types.includes('FileDownloaded');
    const [events, records] = await Promise.all([
      this.store.events.readPage(id, after.version, size.value, { ...range.value, ...(types && { types }) }),
      wantsDownloads ? this.store.downloads.readPage(id, after.recordId, size.value, range.value) : { items: [], hasMore: false },
    ]);
    // A refused ingest is a stream of its own, never an artifact's: nothing to show.
    const committed = events.events.filter((event): event is HistoryEvent => event.type !== 'IngestRefused');
    const page = mergeHistoryPage({ items: committed, hasMore: events.hasMore }, records, size.value, after);
    return ok({ entries: page.items, hasNextPage: page.hasNextPage, position: page.position });
  }
}

/** Instants compare as stored (toISOString): any other ISO spelling is brought to that form first. */
function timeRange(filter: HistoryFilter): Result<{ from?: string; to?: string }> {
  const range: { from?: string; to?: string } = {};
  for (const field of ['from', 'to'] as const) {
    const raw = filter[field];
    if (raw === undefined) continue;
    const ms = Date.parse(raw);
    if (Number.isNaN(ms)) return err(appError('BAD_USER_INPUT', `${field} is not an instant`, { field }));
    range[field] = new Date(ms).toISOString();
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) return err(appError('BAD_USER_INPUT', 'from is after to', { field: 'from' }));
  return ok(range);
}

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
