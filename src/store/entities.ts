import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSIS, TABLE_KEYS } from './table-definition.js';

const SERVICE = 'registry';
/** Stream versions are zero-padded in the sort key so string order is numeric order. */
const VERSION_PADDING = { length: 10, char: '0' } as const;

/** Only live artifacts appear in the lookup indexes; a deleted projection keeps its base-table item. */
const liveOnly = (attributes: Record<string, unknown>): boolean => attributes['deleted'] !== true;

export function createEntities(client: DynamoDBDocumentClient, table: string) {
  const artifactEvent = new Entity(
    {
      model: { entity: 'artifactEvent', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true, readOnly: true },
        version: { type: 'number', required: true, readOnly: true, padding: VERSION_PADDING },
        eventType: { type: 'string', required: true, readOnly: true },
        at: { type: 'string', required: true, readOnly: true },
        actor: { type: 'string', required: true, readOnly: true },
        /** JSON text; parsed against the event schema on every read. */
        payload: { type: 'string', required: true, readOnly: true },
      },
      indexes: {
        stream: {
          pk: { field: TABLE_KEYS.pk, composite: ['artifactId'] },
          sk: { field: TABLE_KEYS.sk, composite: ['version'] },
        },
      },
    },
    { client, table },
  );

  const artifactProjection = new Entity(
    {
      model: { entity: 'artifactProjection', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true },
        artifactType: { type: 'string', required: true },
        name: { type: 'string', required: true },
        normalizedName: { type: 'string', required: true },
        url: { type: 'string', required: true },
        version: { type: 'number', required: true },
        createdAt: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
        deleted: { type: 'boolean', required: true },
        /** JSON text of the source metadata (no README) and of the latest rating; parsed with zod on read. */
        metadata: { type: 'string' },
        rating: { type: 'string' },
      },
      indexes: {
        byId: {
          pk: { field: TABLE_KEYS.pk, composite: ['artifactId'] },
          sk: { field: TABLE_KEYS.sk, composite: [] },
        },
        byUrl: {
          index: GSIS.byUrl.name,
          condition: liveOnly,
          pk: { field: GSIS.byUrl.pk, composite: ['url'], casing: 'none' },
          sk: { field: GSIS.byUrl.sk, composite: [] },
        },
        byName: {
          index: GSIS.byName.name,
          condition: liveOnly,
          pk: { field: GSIS.byName.pk, composite: ['normalizedName'], casing: 'none' },
          sk: { field: GSIS.byName.sk, composite: ['name', 'artifactId'], casing: 'none' },
        },
        catalog: {
          index: GSIS.catalog.name,
          condition: liveOnly,
          pk: { field: GSIS.catalog.pk, composite: [] },
          sk: { field: GSIS.catalog.sk, composite: ['artifactId'] },
        },
      },
    },
    { client, table },
  );

  /** Who holds a normalized URL. Written with attribute_not_exists, so exactly one ingest wins a URL. */
  const urlClaim = new Entity(
    {
      model: { entity: 'urlClaim', version: '1', service: SERVICE },
      attributes: {
        url: { type: 'string', required: true },
        artifactId: { type: 'string', required: true },
        claimedAt: { type: 'string', required: true },
      },
      indexes: {
        byUrl: {
          pk: { field: TABLE_KEYS.pk, composite: ['url'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: [] },
        },
      },
    },
    { client, table },
  );

  /**
   * Large, rarely read parts of an artifact (README text), beside its projection in the same
   * partition: listings read projections only and stay small; `readme` is fetched by BatchGet.
   */
  const artifactDetail = new Entity(
    {
      model: { entity: 'artifactDetail', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true },
        /** Stream version of the event that recorded this README; writes never go back in versions. */
        version: { type: 'number', required: true },
        readme: { type: 'string', required: true },
      },
      indexes: {
        byId: {
          pk: { field: TABLE_KEYS.pk, composite: ['artifactId'] },
          sk: { field: TABLE_KEYS.sk, composite: [] },
        },
      },
    },
    { client, table },
  );

  return { artifactEvent, artifactProjection, urlClaim, artifactDetail };
}

export type Entities = ReturnType<typeof createEntities>;
