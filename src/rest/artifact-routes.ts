import type { Hono } from 'hono';
import { z } from 'zod';
import type { ArtifactState } from '../domain/artifact-state.js';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import type { RequestSession } from '../server/request-session.js';
import { MAX_PAGE_SIZE } from '../application/artifact-queries.js';
import { searchArtifacts } from '../application/search-artifacts.js';
import { REST_ARTIFACT_TYPES, domainTypeOf, envelopeOf, metadataOf } from './artifact-view.js';
import { fromAppError, restError } from './errors.js';
import { artifactAt, bodyOf, done, fromResult, originOf, param, refuse, route, sessionOf, typeParam, type Outcome } from './http.js';

const RestType = z.enum(REST_ARTIFACT_TYPES);
const ArtifactQuery = z.object({ name: z.string(), types: z.array(RestType).nullish() });

/** More queries than this in one `POST /artifacts` is the contract's 413. */
export const MAX_QUERIES_PER_REQUEST = 50;
/** byName answers without paging; it stops after this many (10 index pages). */
export const MAX_BY_NAME_RESULTS = 1000;

/** ArtifactData of `POST /artifact/{type}`: a URL, and optionally the name to register it under. */
/** The contract's ArtifactRegEx. */
const ArtifactRegEx = z.object({ regex: z.string() });
/** Ten pages of a search: a regex matching everything costs ten page scans, not the whole registry. */
const MAX_BY_REGEX_RESULTS = 10 * MAX_PAGE_SIZE;
const ArtifactData = z.object({ url: z.string().min(1), name: z.string().optional() });
/** The Artifact envelope `PUT /artifacts/{type}/{id}` takes. */
const ArtifactEnvelope = z.object({
  metadata: z.object({ name: z.string(), id: z.string(), type: RestType }),
  data: z.object({ url: z.string().min(1) }),
});

/** A numeric `offset` skips at most this many results (ten index pages); the header goes further. */
export const MAX_SKIPPED_RESULTS = 10 * MAX_PAGE_SIZE;

/** Where a page of `POST /artifacts` starts: a query of the request and the listing's cursor within it. */
interface ListingPosition {
  readonly index: number;
  readonly cursor: string | undefined;
}

/**
 * `offset` of `POST /artifacts`, in either form: what the listing printed (`<query index>.<cursor>`:
 * one query per page, so a page costs one index read), or a plain count of results to skip, as
 * clients that count pages send it (the contract's own example is "1").
 */
function parseOffset(raw: string | undefined, queries: number): Outcome<ListingPosition | { readonly skip: number }> {
  if (raw === undefined || raw === '') return done({ index: 0, cursor: undefined });
  if (/^\d{1,12}$/.test(raw)) {
    const skip = Number(raw);
    if (skip > MAX_SKIPPED_RESULTS) return refuse(restError(400, 'BAD_USER_INPUT', `a numeric offset skips at most ${MAX_SKIPPED_RESULTS} results; follow the offset header for later pages`));
    return done({ skip });
  }
  const match = /^(\d{1,3})\.([A-Za-z0-9_-]*)$/.exec(raw);
  if (!match || Number(match[1]) >= queries) return refuse(restError(400, 'BAD_USER_INPUT', 'offset is not one this listing printed'));
  return done({ index: Number(match[1]), cursor: match[2] === '' ? undefined : match[2] });
}

/** The listing filter of one ArtifactQuery: `*` enumerates, any other name matches exactly. */
const filterOf = (query: z.output<typeof ArtifactQuery>) => ({
  ...(query.name !== '*' && { name: query.name }),
  ...(query.types && query.types.length > 0 && { types: query.types.map(domainTypeOf) }),
});

/**
 * The position `skip` results into the queries' concatenated listings, read a page at a time
 * (at most MAX_SKIPPED_RESULTS / MAX_PAGE_SIZE index reads, plus one per query passed over).
 */
async function skipResults(session: RequestSession, queries: readonly z.output<typeof ArtifactQuery>[], skip: number): Promise<Outcome<ListingPosition>> {
  let position: ListingPosition = { index: 0, cursor: undefined };
  let remaining = skip;
  while (remaining > 0 && position.index < queries.length) {
    const page = await session.queries.list(filterOf(queries[position.index]!), Math.min(remaining, MAX_PAGE_SIZE), position.cursor);
    if (!page.ok) return refuse(fromAppError(page.error));
    remaining -= page.value.items.length;
    const last = page.value.items.at(-1)?.cursor;
    position = page.value.hasNextPage && last !== undefined ? { index: position.index, cursor: last } : { index: position.index + 1, cursor: undefined };
  }
  return done(position);
}

/** One page of `POST /artifacts` from `rawOffset`, and the offset of the next one (absent after the last). */
async function listingPage(
  session: RequestSession,
  queries: readonly z.output<typeof ArtifactQuery>[],
  rawOffset: string | undefined,
): Promise<Outcome<{ states: ArtifactState[]; next: string | undefined }>> {
  const offset = parseOffset(rawOffset, queries.length);
  if (!offset.ok) return offset;
  const position = 'skip' in offset.value ? await skipResults(session, queries, offset.value.skip) : done(offset.value);
  if (!position.ok) return position;
  const { index, cursor } = position.value;
  if (index >= queries.length) return done({ states: [], next: undefined });
  const page = await session.queries.list(filterOf(queries[index]!), MAX_PAGE_SIZE, cursor);
  if (!page.ok) {
    const printed = page.error.code === 'BAD_USER_INPUT' && page.error.details?.['field'] === 'after';
    return refuse(fromAppError(printed ? { ...page.error, message: 'offset is not one this listing printed' } : page.error));
  }
  const { items, hasNextPage } = page.value;
  const last = items.at(-1)?.cursor;
  const next = hasNextPage && last !== undefined ? `${index}.${last}` : index + 1 < queries.length ? `${index + 1}.` : undefined;
  return done({ states: items.map((item) => item.state), next });
}

async function byName(session: RequestSession, name: string): Promise<Outcome<ArtifactState[]>> {
  const found: ArtifactState[] = [];
  let after: string | undefined;
  do {
    const page = await session.queries.list({ name }, MAX_PAGE_SIZE, after);
    if (!page.ok) return refuse(fromAppError(page.error));
    found.push(...page.value.items.map((item) => item.state));
    after = page.value.hasNextPage ? page.value.items.at(-1)?.cursor : undefined;
  } while (after !== undefined && found.length < MAX_BY_NAME_RESULTS);
  return done(found);
}

/**
 * Every artifact whose name or README matches, in GraphQL's order (names first, newest first),
 * up to MAX_BY_REGEX_RESULTS: the contract's answer is one unpaged array. The pages share the
 * request's search budget, as GraphQL's aliases do: when it runs out, what was found is the
 * answer, and if nothing was, the budget's error (not a 404: the rest was never read).
 */
async function byRegEx(session: RequestSession, regex: string): Promise<Outcome<ArtifactState[]>> {
  const found: ArtifactState[] = [];
  let after: string | undefined;
  do {
    const page = await searchArtifacts({ index: session.scope.search, states: (ids) => session.queries.getMany(ids), searches: session.searches }, { regex, first: MAX_PAGE_SIZE, after });
    if (!page.ok && page.error.code === 'QUERY_TOO_COMPLEX' && found.length > 0) break;
    if (!page.ok) return refuse(fromAppError(page.error));
    found.push(...page.value.hits.map((hit) => hit.state));
    after = page.value.hasNextPage ? (page.value.endCursor ?? undefined) : undefined;
  } while (after !== undefined && found.length < MAX_BY_REGEX_RESULTS);
  return done(found.slice(0, MAX_BY_REGEX_RESULTS));
}

/** Register, list, read, update, delete and download artifacts. */
export function artifactRoutes(app: Hono<AppEnv>, registry: Registry): void {
  app.post(
    '/artifacts',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const body = await bodyOf(c, z.array(ArtifactQuery).min(1, 'give at least one artifact_query'));
      if (!body.ok) return body.error;
      const queries = body.value;
      if (queries.length > MAX_QUERIES_PER_REQUEST) return restError(413, 'PAYLOAD_TOO_LARGE', `at most ${MAX_QUERIES_PER_REQUEST} queries per request`);
      const page = await listingPage(session.value, queries, c.req.query('offset'));
      if (!page.ok) return page.error;
      if (page.value.next !== undefined) c.header('offset', page.value.next);
      return c.json(page.value.states.map(metadataOf));
    }),
  );

  app.post(
    // Before /artifact/:artifact_type, so "byRegEx" is never read as an artifact type.
    '/artifact/byRegEx',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const body = await bodyOf(c, ArtifactRegEx);
      if (!body.ok) return body.error;
      const found = await byRegEx(session.value, body.value.regex);
      if (!found.ok) return found.error;
      if (found.value.length === 0) return restError(404, 'NOT_FOUND', 'no artifact name or README matches this regular expression');
      return c.json(found.value.map(metadataOf));
    }),
  );

  app.post(
    '/artifact/:artifact_type',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'UPLOAD');
      if (!session.ok) return session.error;
      const type = typeParam(param(c, 'artifact_type'));
      if (!type.ok) return type.error;
      const body = await bodyOf(c, ArtifactData);
      if (!body.ok) return body.error;
      const ingested = fromResult(await session.value.scope.commands.ingest({ type: domainTypeOf(type.value), url: body.value.url, name: body.value.name ?? null }, session.value.actor));
      if (!ingested.ok) return ingested.error;
      return c.json(envelopeOf(ingested.value, originOf(c)), 201);
    }),
  );

  app.get(
    '/artifact/byName/:name',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const name = param(c, 'name');
      if (name === '*') return restError(400, 'BAD_USER_INPUT', 'the name * is reserved: POST /artifacts enumerates');
      const found = await byName(session.value, name);
      if (!found.ok) return found.error;
      if (found.value.length === 0) return restError(404, 'NOT_FOUND', 'no artifact has this name');
      return c.json(found.value.map(metadataOf));
    }),
  );

  app.get(
    '/artifacts/:artifact_type/:id',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'SEARCH');
      if (!session.ok) return session.error;
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      return c.json(envelopeOf(artifact.value, originOf(c)));
    }),
  );

  app.put(
    '/artifacts/:artifact_type/:id',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'UPLOAD');
      if (!session.ok) return session.error;
      const body = await bodyOf(c, ArtifactEnvelope);
      if (!body.ok) return body.error;
      const { metadata, data } = body.value;
      if (metadata.id !== param(c, 'id') || metadata.type !== param(c, 'artifact_type')) {
        return restError(400, 'BAD_USER_INPUT', 'metadata.id and metadata.type must be the id and type of the path');
      }
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      if (metadata.name !== artifact.value.name) return restError(400, 'BAD_USER_INPUT', 'metadata.name must be the artifact\'s name (the name and id must match)');
      // The contract has no version: the one just read guards the change (a concurrent one is a 409).
      const updated = fromResult(await session.value.scope.commands.update({ id: artifact.value.id, type: artifact.value.type, expectedVersion: artifact.value.version, url: data.url }, session.value.actor));
      if (!updated.ok) return updated.error;
      return c.json(envelopeOf(updated.value, originOf(c)));
    }),
  );

  app.delete(
    '/artifacts/:artifact_type/:id',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'ADMIN');
      if (!session.ok) return session.error;
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      const deleted = fromResult(await session.value.scope.files.deleteArtifact({ id: artifact.value.id, type: artifact.value.type, expectedVersion: artifact.value.version }, session.value.actor));
      if (!deleted.ok) return deleted.error;
      return c.json(metadataOf(deleted.value));
    }),
  );

  app.get(
    '/artifacts/:artifact_type/:id/download',
    route(async (c) => {
      const session = await sessionOf(c, registry, 'DOWNLOAD');
      if (!session.ok) return session.error;
      const artifact = await artifactAt(session.value, param(c, 'artifact_type'), param(c, 'id'));
      if (!artifact.ok) return artifact.error;
      // Recorded (FILE_DOWNLOADED, the caller as actor) before the URL is handed out.
      const url = fromResult(await session.value.scope.files.packageUrl(artifact.value.id, session.value.actor));
      if (!url.ok) return url.error;
      return c.redirect(url.value, 302);
    }),
  );
}
