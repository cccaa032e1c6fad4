import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactId } from '../domain/ids.js';
import { deliveryIdOf, type DeliverableEventType, type DeliveryStatus, type StoredWebhook, type WebhookDelivery } from '../domain/webhooks/webhook.js';
import type { Entities } from './entities.js';
import { conditionHeld } from './conditional-check.js';

/** Finished deliveries stay listable this long (DynamoDB TTL). */
const DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The partition all of an epoch's webhooks share. */
const WEBHOOKS = { kind: 'webhook' } as const;

interface WebhookItem {
  webhookId: string;
  url: string;
  events?: string[] | undefined;
  types?: string[] | undefined;
  sealedSecret: string;
  active: boolean;
  createdAt: string;
  failingSince?: string | undefined;
  deactivatedAt?: string | undefined;
}

interface DeliveryItem {
  webhookId: string;
  artifactId: string;
  version: number;
  event: string;
  body: string;
  status: string;
  attempts: number;
  nextAttemptAtMs: number;
  lastStatusCode?: number | undefined;
  lastError?: string | undefined;
  deliveredAt?: string | undefined;
}

const webhookOf = (item: WebhookItem): StoredWebhook => ({
  id: item.webhookId,
  url: item.url,
  ...(item.events && { events: item.events as DeliverableEventType[] }),
  ...(item.types && { types: item.types as ArtifactType[] }),
  sealedSecret: item.sealedSecret,
  active: item.active,
  createdAt: item.createdAt,
  ...(item.failingSince !== undefined && { failingSince: item.failingSince }),
  ...(item.deactivatedAt !== undefined && { deactivatedAt: item.deactivatedAt }),
});

const deliveryOf = (item: DeliveryItem): WebhookDelivery => ({
  id: deliveryIdOf(item.webhookId, item.artifactId as ArtifactId, item.version),
  webhookId: item.webhookId,
  artifactId: item.artifactId as ArtifactId,
  version: item.version,
  event: item.event,
  body: item.body,
  status: item.status as DeliveryStatus,
  attempts: item.attempts,
  nextAttemptAtMs: item.nextAttemptAtMs,
  ...(item.lastStatusCode !== undefined && { lastStatusCode: item.lastStatusCode }),
  ...(item.lastError !== undefined && { lastError: item.lastError }),
  ...(item.deliveredAt !== undefined && { deliveredAt: item.deliveredAt }),
});

/** What one attempt changed: the next state of the delivery. */
export interface AttemptRecord {
  readonly status: DeliveryStatus;
  readonly nextAttemptAtMs: number;
  readonly statusCode?: number;
  readonly error?: string;
  readonly deliveredAt?: string;
}

export interface DeliveryKey {
  readonly webhookId: string;
  readonly artifactId: ArtifactId;
  readonly version: number;
}

/** Webhooks and their deliveries in the registry table (ARCHITECTURE.md, "Table layout"). */
export class WebhookStore {
  constructor(private readonly entities: Entities) {}

  async create(webhook: StoredWebhook, createdBy: string): Promise<void> {
    await this.entities.webhook
      .create({
        webhookId: webhook.id,
        url: webhook.url,
        ...(webhook.events && { events: [...webhook.events] }),
        ...(webhook.types && { types: [...webhook.types] }),
        sealedSecret: webhook.sealedSecret,
        active: webhook.active,
        createdAt: webhook.createdAt,
        createdBy,
      })
      .go({ response: 'none' });
  }

  /** Every webhook of the epoch, oldest first. Consistent: a webhook just created receives the next event. One Query. */
  async list(): Promise<StoredWebhook[]> {
    const { data } = await this.entities.webhook.query.byId(WEBHOOKS).go({ pages: 'all', consistent: true });
    return data.map(webhookOf);
  }

  async get(webhookId: string): Promise<StoredWebhook | undefined> {
    const { data } = await this.entities.webhook.get({ ...WEBHOOKS, webhookId }).go({ consistent: true });
    return data ? webhookOf(data) : undefined;
  }

  /** False when there was no such webhook. Its deliveries stay until they expire, and are never sent. */
  async delete(webhookId: string): Promise<boolean> {
    const { data } = await this.entities.webhook.delete({ ...WEBHOOKS, webhookId }).go({ response: 'all_old' });
    return data !== null && data !== undefined;
  }

  /** A failed attempt: the webhook starts (or goes on) failing since `since`; deactivated when `deactivatedAt` is given. */
  async markFailing(webhookId: string, since: string, deactivatedAt?: string): Promise<void> {
    await conditionHeld(
      this.entities.webhook
        .patch({ ...WEBHOOKS, webhookId })
        .set({ failingSince: since, ...(deactivatedAt !== undefined && { active: false, deactivatedAt }) })
        .go({ response: 'none' }),
    );
  }

  /** A delivered attempt ends the webhook's run of failures. */
  async markHealthy(webhookId: string): Promise<void> {
    await conditionHeld(this.entities.webhook.patch({ ...WEBHOOKS, webhookId }).remove(['failingSince']).go({ response: 'none' }));
  }

  /** False when the delivery already exists (a replayed event): enqueueing is idempotent. */
  enqueue(delivery: WebhookDelivery, eventAtMs: number): Promise<boolean> {
    return conditionHeld(
      this.entities.webhookDelivery
        .create({
          webhookId: delivery.webhookId,
          artifactId: delivery.artifactId,
          version: delivery.version,
          event: delivery.event,
          body: delivery.body,
          status: delivery.status,
          attempts: delivery.attempts,
          nextAttemptAtMs: delivery.nextAttemptAtMs,
          ttl: Math.floor(eventAtMs / 1000) + DELIVERY_TTL_SECONDS,
        })
        .go({ response: 'none' }),
    );
  }

  async getDelivery(key: DeliveryKey): Promise<WebhookDelivery | undefined> {
    const { data } = await this.entities.webhookDelivery.get(key).go({ consistent: true });
    return data ? deliveryOf(data) : undefined;
  }

  /** A page of a webhook's deliveries by artifact and version, after `after`; one more than `first` answers hasNextPage. */
  async page(webhookId: string, first: number, after: DeliveryKey | undefined): Promise<{ deliveries: WebhookDelivery[]; hasNextPage: boolean }> {
    const query = this.entities.webhookDelivery.query.byWebhook({ webhookId });
    const { data } = await (after ? query.gt({ artifactId: after.artifactId, version: after.version }) : query).go({ limit: first + 1, count: first + 1 });
    return { deliveries: data.slice(0, first).map(deliveryOf), hasNextPage: data.length > first };
  }

  /**
   * A webhook's PENDING deliveries, by artifact and version. Consistent. A filter over the
   * webhook's partition: finished deliveries expire after 30 days, which bounds what it reads.
   */
  async pending(webhookId: string): Promise<WebhookDelivery[]> {
    const { data } = await this.entities.webhookDelivery.query
      .byWebhook({ webhookId })
      .where(({ status }, { eq }) => eq(status, 'PENDING'))
      .go({ pages: 'all', consistent: true });
    return data.map(deliveryOf);
  }

  /**
   * Records an attempt if nobody recorded one since `delivery` was read (another worker): false
   * otherwise, and the other worker's record stands.
   */
  recordAttempt(delivery: WebhookDelivery, record: AttemptRecord): Promise<boolean> {
    const key = { webhookId: delivery.webhookId, artifactId: delivery.artifactId, version: delivery.version };
    const base = this.entities.webhookDelivery.patch(key).set({
      status: record.status,
      attempts: delivery.attempts + 1,
      nextAttemptAtMs: record.nextAttemptAtMs,
      ...(record.statusCode !== undefined && { lastStatusCode: record.statusCode }),
      ...(record.error !== undefined && { lastError: record.error }),
      ...(record.deliveredAt !== undefined && { deliveredAt: record.deliveredAt }),
    });
    const stale = [...(record.statusCode === undefined ? ['lastStatusCode' as const] : []), ...(record.error === undefined ? ['lastError' as const] : [])];
    const update = stale.length > 0 ? base.remove(stale) : base;
    return conditionHeld(update.where(({ attempts, status }, { eq }) => `${eq(attempts, delivery.attempts)} AND ${eq(status, 'PENDING')}`).go({ response: 'none' }));
  }

  /** Back to PENDING, due now, with a fresh schedule. False: no such delivery. */
  redeliver(key: DeliveryKey, nowMs: number): Promise<boolean> {
    return conditionHeld(
      this.entities.webhookDelivery.patch(key).set({ status: 'PENDING', attempts: 0, nextAttemptAtMs: nowMs }).remove(['deliveredAt']).go({ response: 'none' }),
    );
  }
}
