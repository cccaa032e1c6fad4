import { Entity, type WhereAttributeSymbol } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActorId } from '../domain/ids.js';
import { TABLE_KEYS } from './table-definition.js';
import { CURRENT_SCHEMA_VERSION, SCHEMA_VERSION_ATTRIBUTE, upcastItem } from './upcasters.js';

/**
 * The one event-stream core: every aggregate (artifacts, users, any later stream) stores its events
 * as items of the same shape, appends them with the same conditional put and reads them back with
 * the same consistent queries. Only the codec (the event union and its stored payloads) differs.
 */

/** Stream versions are zero-padded in the sort key so string order is numeric order. */
export const VERSION_PADDING = { length: 10, char: '0' } as const;

export interface StreamKind {
  /** ElectroDB entity name, kept in `__edb_e__` and in the sort key (`$<entity lower-cased>_1#version_...`). */
  readonly entity: 'artifactEvent' | 'userEvent';
  /** The stored attribute naming the stream (`artifactId`, `username`), also spelled in the partition key. */
  readonly keyField: 'artifactId' | 'username';
  /** `default` lower-cases the id in the key (ULIDs); `none` keeps it as written (usernames). */
  readonly casing: 'default' | 'none';
}

export const ARTIFACT_STREAM: StreamKind = { entity: 'artifactEvent', keyField: 'artifactId', casing: 'default' };
export const USER_STREAM: StreamKind = { entity: 'userEvent', keyField: 'username', casing: 'none' };

/**
 * One entity type for every stream. The id attribute is called `streamId` in code and stored under
 * the stream's own field name; the key templates spell out what ElectroDB derived from the former
 * per-stream attributes, so items written before this module read and key exactly as they did
 * (test/unit/stream-keys.test.ts pins them).
 */
export function streamEventEntity(client: DynamoDBDocumentClient, table: string, service: string, kind: StreamKind) {
  const prefixes = streamKeyPrefixes(service, kind);
  return new Entity(
    {
      model: { entity: kind.entity, version: '1', service },
      attributes: {
        streamId: { type: 'string', required: true, readOnly: true, field: kind.keyField },
        version: { type: 'number', required: true, readOnly: true, padding: VERSION_PADDING },
        eventType: { type: 'string', required: true, readOnly: true },
        at: { type: 'string', required: true, readOnly: true },
        actor: { type: 'string', required: true, readOnly: true },
        /** JSON text; parsed against the stream's event schema on every read. */
        payload: { type: 'string', required: true, readOnly: true },
        schemaVersion: SCHEMA_VERSION_ATTRIBUTE,
      },
      indexes: {
        stream: {
          pk: { field: TABLE_KEYS.pk, composite: ['streamId'], template: `${prefixes.pk}\${streamId}`, casing: kind.casing },
          sk: { field: TABLE_KEYS.sk, composite: ['version'], template: `${prefixes.sk}\${version}` },
        },
      },
    },
    { client, table },
  );
}

export type StreamEventEntity = ReturnType<typeof streamEventEntity>;

/** The event keys' templates up to their composite: what the entity writes, and what parseStreamEventKey reads. */
export function streamKeyPrefixes(service: string, kind: StreamKind): { readonly pk: string; readonly sk: string } {
  return { pk: `$${service}#${kind.keyField.toLowerCase()}_`, sk: `$${kind.entity.toLowerCase()}_1#version_` };
}

/**
 * The stream and version an event item's keys name, read with the entity's own templates (no
 * second spelling of the layout): undefined for any other item, of `kind` or of any other entity.
 * `service` is the ElectroDB service the partition key starts with (`$<service>#...`).
 */
export function parseStreamEventKey(pk: string, sk: string, kind: StreamKind): { service: string; streamId: string; version: number } | undefined {
  if (!pk.startsWith('$')) return undefined;
  const service = pk.slice(1, pk.indexOf('#'));
  const prefixes = streamKeyPrefixes(service, kind);
  if (!pk.startsWith(prefixes.pk) || !sk.startsWith(prefixes.sk)) return undefined;
  const padded = sk.slice(prefixes.sk.length);
  const version = Number(padded);
  if (!Number.isInteger(version) || String(version).padStart(VERSION_PADDING.length, VERSION_PADDING.char) !== padded) return undefined;
  const stored = pk.slice(prefixes.pk.length);
  // Keys hold the id as `casing` wrote it; ULIDs are upper-case Crockford base32 once read back.
  return stored ? { service, streamId: kind.casing === 'default' ? stored.toUpperCase() : stored, version } : undefined;
}

/** What every event carries besides its type and payload. */
export interface StreamEvent {
  readonly type: string;
  readonly payload: unknown;
  readonly version: number;
  readonly at: string;
  readonly actor: ActorId;
}

/** An event as stored, its payload decoded from JSON text and lifted to the current schema (not yet validated). */
export interface DecodedRow<Id extends string> {
  readonly streamId: Id;
  readonly version: number;
  readonly at: string;
  readonly actor: ActorId;
  readonly body: unknown;
}

/** How one aggregate's events map to stored rows and back. */
export interface EventCodec<Id extends string, E extends StreamEvent> {
  /** Which upcasters apply to its stored events. */
  readonly kind: StreamKind['entity'];
  streamOf(event: E): Id;
  /** Validates the body (stored data from disk: parsed, never trusted) and puts the envelope back on. */
  decode(row: DecodedRow<Id>): E;
}

/**
 * A lost version race names the version that won it, so the caller can answer CONFLICT with the
 * current version without reading it (or with one read where the engine does not say).
 */
export type AppendOutcome = 'appended' | { readonly taken: true; readonly winnerVersion: number };

/** History filters: event types (as stored in `eventType`) and an inclusive time range (ISO instants). */
export interface EventFilter {
  readonly types?: readonly string[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface EventPage<E> {
  readonly events: readonly E[];
  readonly hasMore: boolean;
}

interface StoredRow {
  streamId: string;
  version: number;
  eventType: string;
  at: string;
  actor: string;
  payload: string;
  schemaVersion?: number | undefined;
}

/**
 * Append-only streams of one aggregate. The conditional put of an event is the commit point of
 * every change and the optimistic-concurrency guard: a version can be written once.
 */
export class EventStream<Id extends string, E extends StreamEvent> {
  constructor(
    private readonly entity: StreamEventEntity,
    private readonly codec: EventCodec<Id, E>,
  ) {}

  async append(event: E): Promise<AppendOutcome> {
    const streamId = this.codec.streamOf(event);
    // `create` adds attribute_not_exists(pk) AND attribute_not_exists(sk): this version is free.
    // ALL_OLD: DynamoDB returns the item that holds the version when it is not; dynalite returns none.
    const put = await this.entity
      .create({ streamId, version: event.version, eventType: event.type, at: event.at, actor: event.actor, payload: JSON.stringify(event.payload) })
      .go({ response: 'none', returnOnConditionCheckFailure: 'all_old' });
    if (!put.rejected) return 'appended';
    return { taken: true, winnerVersion: put.data?.version ?? (await this.latestVersion(streamId)) };
  }

  /** Every event after `afterVersion`, in order: to fold state and to catch up a projection. */
  async readStream(streamId: Id, afterVersion = 0): Promise<E[]> {
    const { data } = await this.entity.query
      .stream({ streamId })
      .gt({ version: afterVersion })
      // Consistent: the tail decides the next version, and a just-committed event must be in it.
      .go({ pages: 'all', consistent: true });
    return data.map((row) => this.decode(row));
  }

  /** The stream's newest version (0 when there is none): one consistent Query for the last sort key. */
  async latestVersion(streamId: Id): Promise<number> {
    const { data } = await this.entity.query.stream({ streamId }).go({ order: 'desc', limit: 1, count: 1, attributes: ['version'], consistent: true });
    return data[0]?.version ?? 0;
  }

  /**
   * One page of history, oldest first (a read-only path: eventually consistent), optionally only
   * some event types within a time range. The filters are applied by DynamoDB after the key range
   * (`count` pages on until the page is full).
   */
  async readPage(streamId: Id, afterVersion: number, first: number, filter: EventFilter = {}): Promise<EventPage<E>> {
    const query = this.entity.query.stream({ streamId }).gt({ version: afterVersion });
    const { types, from, to } = filter;
    const filtered =
      types !== undefined || from !== undefined || to !== undefined
        ? query.where((attr, op) =>
            [
              types !== undefined ? `(${types.map((type) => op.eq(attr.eventType, type)).join(' OR ')})` : '',
              from !== undefined ? op.gte(attr.at, from) : '',
              to !== undefined ? op.lte(attr.at, to) : '',
            ]
              .filter(Boolean)
              .join(' AND '),
          )
        : query;
    const { data } = await filtered.go({ count: first + 1, limit: first + 1 });
    return { events: data.slice(0, first).map((row) => this.decode(row)), hasMore: data.length > first };
  }

  /**
   * The whole stream, split at `asOfMs`: `until` holds every event committed at or before it (only
   * the unbroken run from version 1, so clocks that disagree between writers can never fold a state
   * that never existed), `later` the rest. One Query, eventually consistent: a past instant is settled.
   * Instants compare as times, never as strings (an expanded year such as +275760 sorts before 2026).
   */
  async readSplitAt(streamId: Id, asOfMs: number): Promise<{ until: E[]; later: E[] }> {
    const { data } = await this.entity.query.stream({ streamId }).go({ pages: 'all' });
    const events = data.map((row) => this.decode(row));
    const end = events.findIndex((event, i) => event.version !== i + 1 || Date.parse(event.at) > asOfMs);
    return end === -1 ? { until: events, later: [] } : { until: events.slice(0, end), later: events.slice(end) };
  }

  /**
   * Ids of every stream, found by their first event. A scan: for repair tooling only, never on a
   * request path. Streams are found even when their projection was never written.
   */
  async *allStreamIds(): AsyncGenerator<Id[]> {
    let cursor: string | null = null;
    do {
      const page: { data: { streamId: string }[]; cursor: string | null } = await this.entity.scan
        .where((attr, op) => op.eq(attr.version, 1))
        .go({ cursor, attributes: ['streamId'] });
      yield page.data.map((item) => item.streamId as Id);
      cursor = page.cursor;
    } while (cursor);
  }

  private decode(row: StoredRow): E {
    const raw = upcastItem(this.codec.kind, row, { type: row.eventType, payload: JSON.parse(row.payload) as unknown });
    return this.codec.decode({ streamId: row.streamId as Id, version: row.version, at: row.at, actor: row.actor as ActorId, body: raw });
  }
}

/** The operators a projection's version guard needs (ElectroDB's where-operations have them all). */
interface GuardOperations {
  notExists(attr: WhereAttributeSymbol<number>): string;
  lt(attr: WhereAttributeSymbol<number>, value: number): string;
  eq(attr: WhereAttributeSymbol<number>, value: number): string;
}

/**
 * The condition of every projection write: the stored projection is older than `version`, or at it
 * but in an older schema (no schemaVersion, older shapes). A slow writer can then never roll a
 * projection back, and a rebuild, or the repair at an upgraded start, migrates old items in place.
 */
export function olderProjection(attr: { version: WhereAttributeSymbol<number>; schemaVersion: WhereAttributeSymbol<number> }, op: GuardOperations, version: number): string {
  return (
    `${op.notExists(attr.version)} OR ${op.lt(attr.version, version)} OR ` +
    `(${op.eq(attr.version, version)} AND (${op.notExists(attr.schemaVersion)} OR ${op.lt(attr.schemaVersion, CURRENT_SCHEMA_VERSION)}))`
  );
}
