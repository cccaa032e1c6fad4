import { Entity } from 'electrodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GSIS, TABLE_KEYS } from './table-definition.js';
import { SCHEMA_VERSION_ATTRIBUTE } from './upcasters.js';
import { ARTIFACT_STREAM, USER_STREAM, VERSION_PADDING, streamEventEntity } from './event-stream.js';

/**
 * The service name prefixes every key. Registry data lives under `registry` (epoch 0) or
 * `registry-e<N>`: a reset moves the registry to a fresh epoch, so no request ever reads a
 * half-deleted one (see ARCHITECTURE.md, "Reset").
 */
export const serviceForEpoch = (epoch: number): string => (epoch === 0 ? 'registry' : `registry-e${epoch}`);
/** The epoch whose service name this is (serviceForEpoch read back), or undefined. */
export function epochOfService(service: string): number | undefined {
  const epoch = service === 'registry' ? 0 : Number(service.slice('registry-e'.length));
  return Number.isSafeInteger(epoch) && epoch >= 0 && serviceForEpoch(epoch) === service ? epoch : undefined;
}
/** Items that outlive resets (the epoch pointer, tokens, login throttles) use this one. */
const GLOBAL_SERVICE = 'registry-global';

/** Only live artifacts appear in the lookup indexes; a deleted projection keeps its base-table item. */
const liveOnly = (attributes: Record<string, unknown>): boolean => attributes['deleted'] !== true;

export function createEntities(client: DynamoDBDocumentClient, table: string, epoch = 0) {
  const SERVICE = serviceForEpoch(epoch);
  const artifactEvent = streamEventEntity(client, table, SERVICE, ARTIFACT_STREAM);

  const artifactProjection = new Entity(
    {
      model: { entity: 'artifactProjection', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true },
        artifactType: { type: 'string', required: true },
        name: { type: 'string', required: true },
        normalizedName: { type: 'string', required: true },
        url: { type: 'string', required: true },
        /** The URL as the client wrote it, when that differs from `url`. */
        sourceUrl: { type: 'string' },
        /** urlKeyOf(url): what `gsi1` is keyed on, so every spelling of one repository finds it. */
        urlKey: { type: 'string' },
        version: { type: 'number', required: true },
        createdAt: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
        deleted: { type: 'boolean', required: true },
        /** JSON text of the source metadata (no README) and of the latest rating; parsed with zod on read. */
        metadata: { type: 'string' },
        rating: { type: 'string' },
        /** JSON text of path/size/sha256/contentType per file; absent while there are none. */
        files: { type: 'string' },
        mirrorStatus: { type: 'string' },
        /** JSON text of a model's resolved links (ids and relationship only). */
        links: { type: 'string' },
        schemaVersion: SCHEMA_VERSION_ATTRIBUTE,
      },
      indexes: {
        byId: {
          pk: { field: TABLE_KEYS.pk, composite: ['artifactId'] },
          sk: { field: TABLE_KEYS.sk, composite: [] },
        },
        byUrl: {
          index: GSIS.byUrl.name,
          condition: liveOnly,
          pk: { field: GSIS.byUrl.pk, composite: ['urlKey'], casing: 'none' },
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
        /** The holder's type, so a CONFLICT can name it by global id before its registration commits (absent on older claims). */
        artifactType: { type: 'string', required: false },
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

  /**
   * A model waiting for an artifact it declares (parent, dataset, code) that is not registered yet.
   * pk = the reference key (`hf-model:<id>`, `hf-dataset:<id>`, `dataset-name:<name>`,
   * `github:<owner/repo>`), sk = the waiting model: a later ingest finds its waiters with one Query.
   */
  const pendingReference = new Entity(
    {
      model: { entity: 'pendingReference', version: '1', service: SERVICE },
      attributes: {
        referenceKey: { type: 'string', required: true },
        modelId: { type: 'string', required: true },
        kind: { type: 'string', required: true },
        reference: { type: 'string', required: true },
        relationship: { type: 'string', required: true },
        source: { type: 'string', required: true },
      },
      indexes: {
        byKey: {
          pk: { field: TABLE_KEYS.pk, composite: ['referenceKey'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['modelId'] },
        },
      },
    },
    { client, table },
  );

  /**
   * The reverse lineage index: the ids of the models that name this artifact as a parent, as one
   * string set beside its projection. One item per parent (not one per edge) so a BFS level reads
   * the children of many parents with one BatchGetItem instead of one Query each.
   */
  const artifactChildren = new Entity(
    {
      model: { entity: 'artifactChildren', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true },
        childIds: { type: 'set', items: 'string' },
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

  /**
   * The search change feed: one item per projection write that can change what a search finds
   * (name, type, README, deletion), all in one partition sorted by when it was written. A search
   * index catches up with one Query of the items written since it last looked (see
   * src/application/search-index.ts). Items expire through DynamoDB TTL after a day: an index
   * older than that reloads instead.
   */
  const searchChange = new Entity(
    {
      model: { entity: 'searchChange', version: '1', service: SERVICE },
      attributes: {
        feed: { type: 'string', required: true, default: 'search', readOnly: true },
        /** The writer's wall clock when it wrote the projection (not the event time: a repair writes late). */
        changedAt: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
        version: { type: 'number', required: true, readOnly: true },
        ttl: { type: 'number', required: true, readOnly: true },
      },
      indexes: {
        byTime: {
          pk: { field: TABLE_KEYS.pk, composite: ['feed'] },
          sk: { field: TABLE_KEYS.sk, composite: ['changedAt', 'artifactId'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * The change feed: one item per committed artifact event (any type), written after the event's
   * put and before the projection that absorbs it, so an event whose item a crash lost leaves its
   * projection behind, and whatever repairs the projection writes the item (StreamCommands). The
   * feed is split over FEED_SHARDS partitions by artifact (src/store/change-feed.ts): one partition
   * for every commit would cap the table's write rate at one partition's. Sorted by the writer's
   * clock, then artifact and version. Reactors replay from it (src/application/reactions/).
   */
  const feedChange = new Entity(
    {
      model: { entity: 'feedChange', version: '1', service: SERVICE },
      attributes: {
        feed: { type: 'string', required: true, default: 'changes', readOnly: true },
        shard: { type: 'number', required: true, readOnly: true },
        changedAt: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
        version: { type: 'number', required: true, readOnly: true, padding: VERSION_PADDING },
        eventType: { type: 'string', required: true, readOnly: true },
        ttl: { type: 'number', required: true, readOnly: true },
      },
      indexes: {
        byTime: {
          pk: { field: TABLE_KEYS.pk, composite: ['feed', 'shard'] },
          sk: { field: TABLE_KEYS.sk, composite: ['changedAt', 'artifactId', 'version'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * How far one reactor has replayed one shard of the change feed: the position (changedAt, id,
   * padded version) of the last item it handled. All in one partition, read with one Query; a write
   * only moves a position forward (conditional), so two pollers never take one back.
   */
  const feedCheckpoint = new Entity(
    {
      model: { entity: 'feedCheckpoint', version: '1', service: SERVICE },
      attributes: {
        feed: { type: 'string', required: true, default: 'changes', readOnly: true },
        reactor: { type: 'string', required: true, readOnly: true },
        shard: { type: 'number', required: true, readOnly: true },
        position: { type: 'string', required: true },
        updatedAt: { type: 'string', required: true },
      },
      indexes: {
        byFeed: {
          pk: { field: TABLE_KEYS.pk, composite: ['feed'] },
          sk: { field: TABLE_KEYS.sk, composite: ['reactor', 'shard'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * "This artifact has held (or tried to claim) this URL key": every artifact that ever claimed a
   * key, one item each, never deleted. `artifactByUrl(url, asOf)` reads the candidates with one Query
   * and keeps the one whose stream, folded to that instant, held the URL live.
   */
  const urlHolder = new Entity(
    {
      model: { entity: 'urlHolder', version: '1', service: SERVICE },
      attributes: {
        urlKey: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
      },
      indexes: {
        byKey: {
          pk: { field: TABLE_KEYS.pk, composite: ['urlKey'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['artifactId'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * An audit fact about an artifact that is not a change of it (a download URL issued, an alias
   * moved onto or off it): beside the artifact's stream, keyed by a ULID, so concurrent facts append
   * without racing for a version and sort by time.
   */
  const auditRecord = new Entity(
    {
      model: { entity: 'auditRecord', version: '1', service: SERVICE },
      attributes: {
        artifactId: { type: 'string', required: true, readOnly: true },
        recordId: { type: 'string', required: true, readOnly: true },
        kind: { type: ['download', 'alias'] as const, required: true, readOnly: true },
        at: { type: 'string', required: true, readOnly: true },
        actor: { type: 'string', required: true, readOnly: true },
        /** A download: the file's path; absent for the whole-package zip. */
        path: { type: 'string', readOnly: true },
        /** A download: the artifact's version it was issued for. An alias move: the alias's version. */
        version: { type: 'number', required: true, readOnly: true },
        /** An alias move: the alias (its normalized name and label) and the artifacts it left and now names. */
        aliasName: { type: 'string', readOnly: true },
        alias: { type: 'string', readOnly: true },
        fromId: { type: 'string', readOnly: true },
        fromType: { type: 'string', readOnly: true },
        toId: { type: 'string', readOnly: true },
        toType: { type: 'string', readOnly: true },
      },
      indexes: {
        byArtifact: {
          pk: { field: TABLE_KEYS.pk, composite: ['artifactId'] },
          sk: { field: TABLE_KEYS.sk, composite: ['recordId'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * An alias's moves, one versioned stream per (normalized name, alias): the conditional put of the
   * next version is the commit point, so concurrent moves of one alias are serialized and each
   * records the artifact it really moved from. The current target is the last event.
   */
  const aliasEvent = new Entity(
    {
      model: { entity: 'aliasEvent', version: '1', service: SERVICE },
      attributes: {
        aliasName: { type: 'string', required: true, readOnly: true },
        alias: { type: 'string', required: true, readOnly: true },
        version: { type: 'number', required: true, readOnly: true, padding: VERSION_PADDING },
        at: { type: 'string', required: true, readOnly: true },
        actor: { type: 'string', required: true, readOnly: true },
        fromId: { type: 'string', readOnly: true },
        fromType: { type: 'string', readOnly: true },
        toId: { type: 'string', readOnly: true },
        toType: { type: 'string', readOnly: true },
      },
      indexes: {
        stream: {
          pk: { field: TABLE_KEYS.pk, composite: ['aliasName', 'alias'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['version'] },
        },
      },
    },
    { client, table },
  );

  const userEvent = streamEventEntity(client, table, SERVICE, USER_STREAM);

  const userProjection = new Entity(
    {
      model: { entity: 'userProjection', version: '1', service: SERVICE },
      attributes: {
        username: { type: 'string', required: true },
        /** Constant: puts every user in one catalog partition of gsi3, apart from artifacts. */
        kind: { type: 'string', required: true, default: 'user', readOnly: true },
        permissions: { type: 'list', items: { type: 'string' }, required: true },
        isAdmin: { type: 'boolean', required: true },
        /** JSON of the PasswordHash; parsed on read. */
        password: { type: 'string', required: true },
        version: { type: 'number', required: true },
        createdAt: { type: 'string', required: true },
        deleted: { type: 'boolean', required: true },
        /** Version of the UserRegistered event of the current incarnation; absent on old items (read as 0). */
        registeredVersion: { type: 'number' },
        schemaVersion: SCHEMA_VERSION_ATTRIBUTE,
      },
      indexes: {
        byUsername: {
          pk: { field: TABLE_KEYS.pk, composite: ['username'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: [] },
        },
        catalog: {
          index: GSIS.catalog.name,
          condition: liveOnly,
          pk: { field: GSIS.catalog.pk, composite: ['kind'] },
          sk: { field: GSIS.catalog.sk, composite: ['username'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * How many live admins the epoch has. Decremented with `count > 1` before an admin goes away, so
   * two admins deleting each other at once cannot leave the registry without one.
   */
  const adminCount = new Entity(
    {
      model: { entity: 'adminCount', version: '1', service: SERVICE },
      attributes: {
        name: { type: 'string', required: true, default: 'admins', readOnly: true },
        count: { type: 'number', required: true },
      },
      indexes: {
        byName: { pk: { field: TABLE_KEYS.pk, composite: ['name'] }, sk: { field: TABLE_KEYS.sk, composite: [] } },
      },
    },
    { client, table },
  );

  /**
   * A presigned upload in flight: what the client promised (size, digest) and for which artifact.
   * completeUpload reads it back; DynamoDB TTL removes records nobody completed.
   */
  const upload = new Entity(
    {
      model: { entity: 'upload', version: '1', service: SERVICE },
      attributes: {
        uploadId: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
        path: { type: 'string', required: true, readOnly: true },
        size: { type: 'number', required: true, readOnly: true },
        sha256: { type: 'string', required: true, readOnly: true },
        contentType: { type: 'string', required: true, readOnly: true },
        actor: { type: 'string', required: true, readOnly: true },
        expiresAt: { type: 'string', required: true, readOnly: true },
        ttl: { type: 'number', required: true, readOnly: true },
      },
      indexes: {
        byId: { pk: { field: TABLE_KEYS.pk, composite: ['uploadId'], casing: 'none' }, sk: { field: TABLE_KEYS.sk, composite: [] } },
      },
    },
    { client, table },
  );

  /**
   * "Artifact X holds blob S": one item per (blob, artifact), all of a blob's in one partition, so
   * deleting an artifact can ask with one Query whether anyone else still holds a blob.
   */
  const blobReference = new Entity(
    {
      model: { entity: 'blobReference', version: '1', service: SERVICE },
      attributes: {
        sha256: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
        addedAt: { type: 'string', required: true, readOnly: true },
      },
      indexes: {
        byBlob: {
          pk: { field: TABLE_KEYS.pk, composite: ['sha256'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['artifactId'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  /**
   * A webhook: where to POST which artifact events, and its secret sealed with AES-256-GCM
   * (SecretBox): never returned, never exported. All of an epoch's webhooks share one partition, so
   * the fan-out and the delivery worker list them with one Query.
   */
  const webhook = new Entity(
    {
      model: { entity: 'webhook', version: '1', service: SERVICE },
      attributes: {
        kind: { type: 'string', required: true, default: 'webhook', readOnly: true },
        webhookId: { type: 'string', required: true, readOnly: true },
        url: { type: 'string', required: true, readOnly: true },
        /** Domain event types; absent: every event but downloads. */
        events: { type: 'list', items: { type: 'string' }, readOnly: true },
        types: { type: 'list', items: { type: 'string' }, readOnly: true },
        sealedSecret: { type: 'string', required: true, readOnly: true },
        active: { type: 'boolean', required: true },
        createdAt: { type: 'string', required: true, readOnly: true },
        createdBy: { type: 'string', required: true, readOnly: true },
        failingSince: { type: 'string' },
        deactivatedAt: { type: 'string' },
      },
      indexes: {
        byId: { pk: { field: TABLE_KEYS.pk, composite: ['kind'] }, sk: { field: TABLE_KEYS.sk, composite: ['webhookId'], casing: 'none' } },
      },
    },
    { client, table },
  );

  /**
   * One event for one webhook: its body (signed as sent, the same on every attempt), status and
   * attempts. Keyed by webhook, then artifact and zero-padded version, so one artifact's deliveries
   * to a webhook sort in commit order. Expires through DynamoDB TTL 30 days after the event.
   */
  const webhookDelivery = new Entity(
    {
      model: { entity: 'webhookDelivery', version: '1', service: SERVICE },
      attributes: {
        webhookId: { type: 'string', required: true, readOnly: true },
        artifactId: { type: 'string', required: true, readOnly: true },
        version: { type: 'number', required: true, readOnly: true, padding: VERSION_PADDING },
        event: { type: 'string', required: true, readOnly: true },
        body: { type: 'string', required: true, readOnly: true },
        status: { type: 'string', required: true },
        attempts: { type: 'number', required: true },
        nextAttemptAtMs: { type: 'number', required: true },
        lastStatusCode: { type: 'number' },
        lastError: { type: 'string' },
        deliveredAt: { type: 'string' },
        ttl: { type: 'number', required: true, readOnly: true },
      },
      indexes: {
        byWebhook: {
          pk: { field: TABLE_KEYS.pk, composite: ['webhookId'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['artifactId', 'version'], casing: 'none' },
        },
      },
    },
    { client, table },
  );

  return { artifactEvent, artifactProjection, urlClaim, artifactDetail, pendingReference, artifactChildren, searchChange, feedChange, feedCheckpoint, auditRecord, aliasEvent, urlHolder, userEvent, userProjection, adminCount, upload, blobReference, webhook, webhookDelivery };
}

export type Entities = ReturnType<typeof createEntities>;

/** Items keyed outside any epoch: they find the current epoch and survive the reset they enable. */
export function createGlobalEntities(client: DynamoDBDocumentClient, table: string) {
  const registryEpoch = new Entity(
    {
      model: { entity: 'registryEpoch', version: '1', service: GLOBAL_SERVICE },
      attributes: {
        name: { type: 'string', required: true, default: 'current', readOnly: true },
        epoch: { type: 'number', required: true },
        changedAt: { type: 'string', required: true },
      },
      indexes: {
        byName: { pk: { field: TABLE_KEYS.pk, composite: ['name'] }, sk: { field: TABLE_KEYS.sk, composite: [] } },
      },
    },
    { client, table },
  );

  /** Only the SHA-256 of a token is stored: a leaked table does not leak usable tokens. */
  const accessToken = new Entity(
    {
      model: { entity: 'accessToken', version: '1', service: GLOBAL_SERVICE },
      attributes: {
        tokenHash: { type: 'string', required: true, readOnly: true },
        username: { type: 'string', required: true, readOnly: true },
        epoch: { type: 'number', required: true, readOnly: true },
        /**
         * The user's registeredVersion when the token was issued: the token works only while the
         * username still belongs to that registration. Absent on tokens from before it existed.
         */
        registeredVersion: { type: 'number', readOnly: true },
        issuedAt: { type: 'string', required: true, readOnly: true },
        /** Epoch milliseconds, compared in the consuming condition. */
        expiresAtMs: { type: 'number', required: true, readOnly: true },
        remainingCalls: { type: 'number', required: true },
        /** Epoch seconds for DynamoDB TTL, so expired tokens disappear on their own. */
        ttl: { type: 'number', required: true, readOnly: true },
      },
      indexes: {
        byHash: { pk: { field: TABLE_KEYS.pk, composite: ['tokenHash'], casing: 'none' }, sk: { field: TABLE_KEYS.sk, composite: [] } },
      },
    },
    { client, table },
  );

  /**
   * One client's logins at one username in one fixed window (window = floor(ms / clientWindowMs);
   * client = the address, IPv6 by /64): reserving an attempt is one conditional ADD with no read of
   * its own and no reset branch, and the window's end forgets the client's failures. Keyed by
   * username and client together, so guesses from many addresses spread over many partitions.
   */
  const loginThrottle = new Entity(
    {
      model: { entity: 'loginThrottle', version: '3', service: GLOBAL_SERVICE },
      attributes: {
        username: { type: 'string', required: true, readOnly: true },
        client: { type: 'string', required: true, readOnly: true },
        window: { type: 'number', required: true, readOnly: true },
        /** Attempts since the client's last right password: failures, and checks still running. */
        attempts: { type: 'number' },
        /** Epoch ms: the latest attempt's check holds the client until then, unless settled sooner. */
        checkingUntilMs: { type: 'number' },
        /** Epoch ms: the client's next attempt waits until then (its latest failure plus its delay). */
        blockedUntilMs: { type: 'number' },
        ttl: { type: 'number' },
      },
      indexes: {
        byClient: {
          pk: { field: TABLE_KEYS.pk, composite: ['username', 'client'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['window'] },
        },
      },
    },
    { client, table },
  );

  /** Failed logins of one username from every client in one fixed window: the distributed-guessing limit. */
  const loginFailures = new Entity(
    {
      model: { entity: 'loginFailures', version: '1', service: GLOBAL_SERVICE },
      attributes: {
        username: { type: 'string', required: true, readOnly: true },
        window: { type: 'number', required: true, readOnly: true },
        failures: { type: 'number' },
        ttl: { type: 'number' },
      },
      indexes: {
        byUsername: {
          pk: { field: TABLE_KEYS.pk, composite: ['username'], casing: 'none' },
          sk: { field: TABLE_KEYS.sk, composite: ['window'] },
        },
      },
    },
    { client, table },
  );

  return { registryEpoch, accessToken, loginThrottle, loginFailures };
}

export type GlobalEntities = ReturnType<typeof createGlobalEntities>;
