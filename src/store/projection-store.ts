import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { MAX_NAME_LENGTH, normalizeName, type ArtifactName, type NormalizedName } from '../domain/artifact-name.js';
import { urlKeyOf, type NormalizedUrl, type UrlKey } from '../domain/artifact-url.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import { z } from 'zod';
import type { ArtifactFile } from '../domain/artifact-files.js';
import type { Entities } from './entities.js';
import { mirrorStatusSchema, storedFileSchema } from './event-store.js';
import { conditionHeld } from './conditional-check.js';
import { upcastItem } from './upcasters.js';
import { olderProjection } from './event-stream.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { untilProcessed } from './batch.js';
import { linksSchema, metadataSchema, parseStoredJson, ratingSchema } from './stored-schemas.js';

interface ProjectionItem {
  artifactId: string;
  artifactType: string;
  name: string;
  normalizedName: string;
  url: string;
  sourceUrl?: string | undefined;
  urlKey?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
  metadata?: string | undefined;
  rating?: string | undefined;
  /** JSON of the file list and of the mirror status; parsed with zod on read. */
  files?: string;
  mirrorStatus?: string;
  links?: string | undefined;
  schemaVersion?: number | undefined;
}

const toItem = (state: ArtifactState): ProjectionItem => ({
  artifactId: state.id,
  artifactType: state.type,
  name: state.name,
  normalizedName: normalizeName(state.name),
  url: state.url,
  ...(state.sourceUrl !== undefined && { sourceUrl: state.sourceUrl }),
  urlKey: urlKeyOf(state.url),
  version: state.version,
  createdAt: state.createdAt,
  updatedAt: state.updatedAt,
  deleted: state.deleted,
  ...(state.metadata !== undefined && { metadata: JSON.stringify(state.metadata) }),
  ...(state.rating !== undefined && { rating: JSON.stringify(state.rating) }),
  ...(state.files.length > 0 && { files: JSON.stringify(state.files) }),
  ...(state.mirrorStatus && { mirrorStatus: JSON.stringify(state.mirrorStatus) }),
  ...(state.links !== undefined && { links: JSON.stringify(state.links) }),
});

const filesSchema = z.array(storedFileSchema);

function fromItem(stored: ProjectionItem): ArtifactState {
  const item = upcastItem('artifactProjection', stored, stored);
  const metadata = parseStoredJson(metadataSchema, item.metadata);
  const rating = parseStoredJson(ratingSchema, item.rating);
  const links = parseStoredJson(linksSchema, item.links);
  return {
    id: item.artifactId as ArtifactId,
    type: item.artifactType as ArtifactType,
    name: item.name as ArtifactName,
    url: item.url as NormalizedUrl,
    ...(item.sourceUrl !== undefined && { sourceUrl: item.sourceUrl }),
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    deleted: item.deleted,
    ...(metadata !== undefined && { metadata }),
    ...(rating !== undefined && { rating }),
    files: item.files ? (filesSchema.parse(JSON.parse(item.files)) as ArtifactFile[]) : [],
    mirrorStatus: item.mirrorStatus ? mirrorStatusSchema.parse(JSON.parse(item.mirrorStatus)) : null,
    ...(links !== undefined && { links }),
  };
}

/** Which live artifacts a listing walks: everything, or one normalized name (optionally one exact name). */
export type ListScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'name'; readonly normalizedName: NormalizedName; readonly exactName?: ArtifactName };

export interface ListRequest {
  readonly scope: ListScope;
  readonly types?: readonly ArtifactType[];
  readonly first: number;
  readonly after?: string;
}

/** Where a page of a listing ended: the sort values of both listing indexes (id; name and id). */
const listPositionSchema = z.strictObject({
  id: z.string().refine((id) => parseArtifactId(id) !== undefined),
  name: z.string().min(1).max(MAX_NAME_LENGTH),
});
type ListPosition = z.output<typeof listPositionSchema>;

export interface ListPage {
  readonly items: readonly { readonly state: ArtifactState; readonly cursor: string }[];
  readonly hasNextPage: boolean;
}

/** Current-state items: one per artifact, written after its events and never ahead of them. */
export class ProjectionStore {
  constructor(private readonly entities: Entities) {}

  /**
   * Writes `state` unless the stored projection is already at or past its version, so a slow
   * writer can never roll a projection back. Returns whether this call wrote it.
   */
  async save(state: ArtifactState): Promise<'written' | 'already-newer'> {
    const written = await conditionHeld(
      this.entities.artifactProjection
        .put(toItem(state))
        .where((attr, op) => olderProjection(attr, op, state.version))
        .go({ response: 'none' }),
    );
    return written ? 'written' : 'already-newer';
  }

  /**
   * One BatchGetItem for up to 100 ids (ElectroDB splits larger batches); order follows `ids`.
   * `consistent` for reads that decide a write (DynamoDB reads eventually by default).
   */
  async getMany(ids: readonly ArtifactId[], options: { readonly consistent?: boolean } = {}): Promise<(ArtifactState | undefined)[]> {
    if (ids.length === 0) return [];
    const found = new Map<string, ArtifactState>();
    await untilProcessed(ids.map((artifactId) => ({ artifactId: artifactId as string })), async (keys) => {
      const { data, unprocessed } = await this.entities.artifactProjection.get([...keys]).go({ consistent: options.consistent ?? false, attributes: undefined });
      for (const item of data) found.set(item.artifactId, fromItem(item));
      return unprocessed.map((key) => ({ artifactId: String(key.artifactId) }));
    }, 'projection batch get');
    return ids.map((id) => found.get(id));
  }

  /**
   * The live artifact whose URL key is `key`, as the base table holds it now. The URL index is
   * eventually consistent: what it names is read again consistently, and kept only if it still
   * holds the key (it may have been deleted or re-pointed meanwhile).
   */
  async findLiveByUrl(key: UrlKey): Promise<ArtifactState | undefined> {
    const { data } = await this.entities.artifactProjection.query.byUrl({ urlKey: key }).go({ limit: 1, count: 1, attributes: ['artifactId'] });
    const [state] = await this.getMany(data.map((item) => item.artifactId as ArtifactId), { consistent: true });
    return state && !state.deleted && urlKeyOf(state.url) === key ? state : undefined;
  }

  async findByUrl(key: UrlKey): Promise<ArtifactState | undefined> {
    const { data } = await this.entities.artifactProjection.query.byUrl({ urlKey: key }).go({ limit: 1, count: 1 });
    return data[0] ? fromItem(data[0]) : undefined;
  }

  /** Every live artifact, a page (up to 1 MB) at a time, from the catalog index. */
  async *allLive(): AsyncGenerator<ArtifactState[]> {
    let cursor: string | null = null;
    do {
      const page: { data: ProjectionItem[]; cursor: string | null } = await this.entities.artifactProjection.query.catalog({}).go({ cursor });
      yield page.data.map(fromItem);
      cursor = page.cursor;
    } while (cursor !== null);
  }

  async list(request: ListRequest): Promise<Result<ListPage>> {
    const { scope, types, first, after } = request;
    const cursorScope = `artifacts:${JSON.stringify({ scope, types: types ? [...types].sort() : null })}`;
    let start: ListPosition | undefined;
    if (after !== undefined) {
      const decoded = decodeCursor(cursorScope, listPositionSchema, after);
      if (!decoded.ok) return decoded;
      start = decoded.value;
    }
    const query =
      scope.kind === 'all'
        ? start
          ? this.entities.artifactProjection.query.catalog({}).gt({ artifactId: start.id })
          : this.entities.artifactProjection.query.catalog({})
        : start
          // Past the first page the key condition is "after (name, id)"; the filter keeps an exact name exact.
          ? this.entities.artifactProjection.query.byName({ normalizedName: scope.normalizedName }).gt({ name: start.name, artifactId: start.id })
          : this.entities.artifactProjection.query.byName(
              scope.exactName === undefined ? { normalizedName: scope.normalizedName } : { normalizedName: scope.normalizedName, name: scope.exactName },
            );
    const filtered = query.where((attr, op) => {
      const clauses: string[] = [];
      if (types && types.length > 0) clauses.push(`(${types.map((type) => op.eq(attr.artifactType, type as string)).join(' OR ')})`);
      // The sort key prefix for a name also matches longer names; the filter keeps the exact one.
      if (scope.kind === 'name' && scope.exactName !== undefined) clauses.push(op.eq(attr.name, scope.exactName as string));
      return clauses.join(' AND ');
    });
    // One extra item tells whether a next page exists without a second round trip.
    const { data } = await filtered.go({ count: first + 1, limit: first + 1 });
    const items = data.slice(0, first).map((item) => {
      const state = fromItem(item);
      const position: ListPosition = { id: state.id, name: state.name };
      return { state, cursor: encodeCursor(cursorScope, position) };
    });
    return ok({ items, hasNextPage: data.length > first });
  }

}
