import type { ArtifactType } from '../../domain/artifact-type.js';
import { EVENT_TYPE_BY_NAME, type EventTypeName } from '../../domain/event-names.js';
import { isUlid, newUlid } from '../../domain/ids.js';
import { appError, err, ok, type Result } from '../../domain/result.js';
import { parseDeliveryId, type DeliverableEventType, type Webhook, type WebhookDelivery } from '../../domain/webhooks/webhook.js';
import type { DeliveryKey, WebhookStore } from '../../store/webhook-store.js';
import type { Clock } from '../clock.js';
import { vetAddress } from './address-vetting.js';
import type { WebhookSettings } from './webhook-settings.js';

export const MAX_WEBHOOKS = 50;
const MAX_URL_LENGTH = 2_048;
/** Long enough that guessing it is hopeless; GitHub suggests a random string of high entropy. */
const SECRET_LENGTH = { min: 16, max: 1_024 } as const;

export interface CreateWebhookInput {
  readonly url: string;
  readonly secret: string;
  readonly events?: readonly EventTypeName[] | null | undefined;
  readonly types?: readonly ArtifactType[] | null | undefined;
}

const badInput = (message: string) => err(appError('BAD_USER_INPUT', message));

/** Strips the sealed secret: what callers may see of a webhook. */
const publicView = ({ sealedSecret: _sealed, ...webhook }: Webhook & { sealedSecret?: string }): Webhook => webhook;

function eventFilter(names: readonly EventTypeName[] | null | undefined): Result<readonly DeliverableEventType[] | undefined> {
  if (names == null) return ok(undefined);
  if (names.length === 0) return badInput('events is empty: leave it out to receive every event but downloads');
  const types = new Set<DeliverableEventType>();
  for (const name of names) {
    const type = EVENT_TYPE_BY_NAME[name];
    // Alias moves are on alias streams, not artifact streams: no webhook would ever receive one.
    if (type === 'AliasMoved') return badInput('ALIAS_MOVED is not delivered to webhooks');
    types.add(type);
  }
  return ok([...types]);
}

function typeFilter(types: readonly ArtifactType[] | null | undefined): Result<readonly ArtifactType[] | undefined> {
  if (types == null) return ok(undefined);
  if (types.length === 0) return badInput('types is empty: leave it out to receive every artifact type');
  return ok([...new Set(types)]);
}

/** Webhook administration (ADMIN): create, list, delete, deliveries and redelivery. */
export class WebhookCommands {
  constructor(
    private readonly store: WebhookStore,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  async create(input: CreateWebhookInput, actor: string): Promise<Result<Webhook>> {
    const secrets = this.settings.secrets;
    if (!secrets) return err(appError('CONFLICT', 'this registry has no WEBHOOK_SECRET_KEY to encrypt webhook secrets with; set it to create webhooks'));
    if (input.url.length > MAX_URL_LENGTH) return badInput(`url is longer than ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      return badInput('url is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return badInput('url must be http:// or https://');
    if (url.username !== '' || url.password !== '') return badInput('url must not carry credentials: the signature authenticates the registry');
    if (input.secret.length < SECRET_LENGTH.min || input.secret.length > SECRET_LENGTH.max) {
      return badInput(`secret must be ${SECRET_LENGTH.min} to ${SECRET_LENGTH.max} characters`);
    }
    const events = eventFilter(input.events);
    if (!events.ok) return events;
    const types = typeFilter(input.types);
    if (!types.ok) return types;
    // Checked now for a prompt answer, and again at every delivery (DNS may change).
    const vetted = await vetAddress(url, this.settings.allowPrivateNetworks, this.settings.resolve);
    if (!vetted.ok) return vetted;
    if ((await this.store.list()).length >= MAX_WEBHOOKS) return err(appError('CONFLICT', `a registry has at most ${MAX_WEBHOOKS} webhooks; delete one first`));
    const id = newUlid(this.clock.now().getTime());
    const webhook: Webhook = {
      id,
      url: url.href,
      ...(events.value && { events: events.value }),
      ...(types.value && { types: types.value }),
      active: true,
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.create({ ...webhook, sealedSecret: secrets.seal(id, input.secret) }, actor);
    return ok(webhook);
  }

  async list(): Promise<Webhook[]> {
    return (await this.store.list()).map(publicView);
  }

  /** Webhooks the delivery worker turned off after a day of failures: health warnings for admins. */
  async deactivated(): Promise<Webhook[]> {
    return (await this.list()).filter((webhook) => !webhook.active);
  }

  async delete(id: string): Promise<Result<string>> {
    // A malformed id names no webhook, and never reaches a key (key size limits).
    return isUlid(id) && (await this.store.delete(id)) ? ok(id) : err(appError('NOT_FOUND', `no webhook ${id}`));
  }

  async deliveries(webhookId: string, first: number, after: string | null | undefined): Promise<Result<{ deliveries: WebhookDelivery[]; hasNextPage: boolean }>> {
    if (!isUlid(webhookId) || !(await this.store.get(webhookId))) return err(appError('NOT_FOUND', `no webhook ${webhookId}`));
    let position: DeliveryKey | undefined;
    if (after != null) {
      position = parseDeliveryId(after);
      if (!position || position.webhookId !== webhookId) return badInput('after is not a cursor of this webhook\'s deliveries');
    }
    return ok(await this.store.page(webhookId, first, position));
  }

  /** Sends the delivery again from the first attempt (same id, same body, same signature). */
  async redeliver(id: string): Promise<Result<WebhookDelivery>> {
    const key = parseDeliveryId(id);
    const notFound = err(appError('NOT_FOUND', `no webhook delivery ${id}`));
    if (!key || !(await this.store.get(key.webhookId))) return notFound;
    if (!(await this.store.redeliver(key, this.clock.now().getTime()))) return notFound;
    const delivery = await this.store.getDelivery(key);
    return delivery ? ok(delivery) : notFound;
  }
}
