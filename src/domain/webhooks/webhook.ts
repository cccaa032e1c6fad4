import type { ArtifactEventType, StreamVersion } from '../artifact-events.js';
import type { ArtifactType } from '../artifact-type.js';
import type { ArtifactId } from '../ids.js';

/** Events webhooks can receive: every artifact event but a refused ingest's audit record (no artifact to name). */
export type DeliverableEventType = Exclude<ArtifactEventType, 'IngestRefused'>;

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** A webhook as the registry shows it: never its secret. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  /** Absent: every event but downloads. */
  readonly events?: readonly DeliverableEventType[];
  /** Absent: every artifact type. */
  readonly types?: readonly ArtifactType[];
  readonly active: boolean;
  readonly createdAt: string;
  /** When the current run of failed attempts began; absent after a success. */
  readonly failingSince?: string;
  readonly deactivatedAt?: string;
}

/** A webhook with its secret, encrypted as SecretBox wrote it: the delivery worker's view. */
export interface StoredWebhook extends Webhook {
  readonly sealedSecret: string;
}

export interface WebhookDelivery {
  /** `<webhook id>.<artifact id>.<version>`: a replayed event maps to the same delivery, and retries keep it. */
  readonly id: string;
  readonly webhookId: string;
  readonly artifactId: ArtifactId;
  readonly version: StreamVersion;
  /** The public event name (REGISTERED, ...), sent as X-Registry-Event. */
  readonly event: string;
  /** The exact bytes signed and sent on every attempt. */
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** Epoch ms of the next attempt while PENDING. */
  readonly nextAttemptAtMs: number;
  readonly lastStatusCode?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
}

/** Events a webhook without an `events` filter receives: all but downloads (they are frequent and carry readers' names). */
export const receives = (webhook: Pick<Webhook, 'events' | 'types' | 'active'>, event: DeliverableEventType, type: ArtifactType): boolean =>
  webhook.active &&
  (webhook.events ? webhook.events.includes(event) : event !== 'FileDownloaded') &&
  (webhook.types ? webhook.types.includes(type) : true);

export const deliveryIdOf = (webhookId: string, artifactId: ArtifactId, version: StreamVersion): string => `${webhookId}.${artifactId}.${version}`;

const DELIVERY_ID = /^([0-9A-HJKMNP-TV-Z]{26})\.([0-9A-HJKMNP-TV-Z]{26})\.([1-9][0-9]{0,9})$/;

export function parseDeliveryId(raw: string): { webhookId: string; artifactId: ArtifactId; version: StreamVersion } | undefined {
  const match = DELIVERY_ID.exec(raw);
  return match ? { webhookId: match[1]!, artifactId: match[2]! as ArtifactId, version: Number(match[3]) } : undefined;
}
