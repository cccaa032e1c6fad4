import { EVENT_TYPE_NAMES, type EventTypeName } from '../../domain/event-names.js';
import type { Webhook, WebhookDelivery } from '../../domain/webhooks/webhook.js';
import type { WebhookPayload } from '../../application/webhooks/webhook-fan-out.js';
import { MAX_WEBHOOKS } from '../../application/webhooks/webhook-commands.js';
import { RETRY_DELAYS_MS } from '../../domain/webhooks/retry-schedule.js';
import { pageSize } from '../../application/artifact-queries.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { session } from '../session.js';
import { forwardConnectionArgs, forwardPageInfo } from '../connection-args.js';
import { ArtifactTypeEnum } from './artifact.js';
import { ArtifactEventTypeEnum } from './history.js';

/** Every webhook field needs ADMIN: webhooks say where the registry's changes go. */
const ADMIN = { permission: 'ADMIN' } as const;

const WebhookRef = builder.objectRef<Webhook>('Webhook').implement({
  description: 'An address the registry POSTs signed artifact events to (README, "Webhooks"). Its secret is never shown. Needs ADMIN.',
  authScopes: ADMIN,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The webhook id (a ULID): deleteWebhook and webhookDeliveries take it.' }),
    url: t.exposeString('url', { description: 'Where deliveries are POSTed, as normalized when it was created.' }),
    events: t.field({
      type: [ArtifactEventTypeEnum],
      nullable: true,
      description: 'The events delivered; null: every event but FILE_DOWNLOADED.',
      resolve: (webhook) => webhook.events?.map((type) => EVENT_TYPE_NAMES[type]) ?? null,
    }),
    types: t.field({ type: [ArtifactTypeEnum], nullable: true, description: 'The artifact types whose events are delivered; null: every type.', resolve: (webhook) => webhook.types ?? null }),
    active: t.exposeBoolean('active', {
      description: 'False once every delivery failed for a day: the webhook receives nothing more, and health warnings name it. Delete it and create it again to resume.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When the webhook was created.', resolve: (webhook) => webhook.createdAt }),
    deactivatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the webhook was deactivated; null while active.', resolve: (webhook) => webhook.deactivatedAt ?? null }),
  }),
});

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Not yet answered with a 2xx: the next attempt is scheduled (+2 s, +10 s, +1 min, +5 min, +30 min, +2 h, +6 h after each failure).' },
    DELIVERED: { description: 'The receiver answered 2xx within 10 s.' },
    FAILED: { description: `Every one of the ${RETRY_DELAYS_MS.length + 1} attempts failed; redeliverWebhookDelivery starts again.` },
  } as const,
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: "One event sent (or to be sent) to one webhook, with every attempt's outcome. Needs ADMIN.",
  authScopes: ADMIN,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The delivery id, sent as X-Registry-Delivery and as `id` in the body: the same on every attempt, so receivers can deduplicate.' }),
    event: t.field({ type: ArtifactEventTypeEnum, description: 'The event delivered (X-Registry-Event).', resolve: (delivery) => delivery.event as EventTypeName }),
    artifactId: t.id({
      description: "The artifact's Relay global id, as in the body's `artifact.id`.",
      resolve: (delivery) => (JSON.parse(delivery.body) as WebhookPayload).artifact.id,
    }),
    status: t.field({ type: DeliveryStatusEnum, description: 'PENDING, DELIVERED or FAILED.', resolve: (delivery) => delivery.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made since the delivery was enqueued (or redelivered).' }),
    lastStatusCode: t.int({ nullable: true, description: "The receiver's HTTP status at the last attempt; null when it did not answer.", resolve: (delivery) => delivery.lastStatusCode ?? null }),
    lastError: t.string({
      nullable: true,
      description: 'Why the last attempt failed (a status, a timeout, a refused address, a connection error); null when it succeeded or none was made.',
      resolve: (delivery) => delivery.lastError ?? null,
    }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, description: 'When a 2xx answered; null unless DELIVERED.', resolve: (delivery) => delivery.deliveredAt ?? null }),
  }),
});

const WebhookDeliveryConnection = builder.connectionObject(
  { type: WebhookDeliveryRef, name: 'WebhookDeliveryConnection', description: "A page of a webhook's deliveries, by artifact id then version." },
  { name: 'WebhookDeliveryEdge', description: 'One delivery, with its cursor.' },
);

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  description: 'A new webhook.',
  fields: (t) => ({
    url: t.string({
      required: true,
      description:
        'http:// or https://, without credentials, at most 2,048 characters. Loopback, private, link-local and metadata addresses are refused (BAD_USER_INPUT), checked now and at every delivery; WEBHOOK_ALLOW_PRIVATE_NETWORKS=true admits loopback and private ones.',
    }),
    secret: t.string({
      required: true,
      description: '16 to 1,024 characters: the HMAC-SHA256 key of X-Registry-Signature-256. Stored encrypted; never returned, never exported.',
    }),
    events: t.field({ type: [ArtifactEventTypeEnum], required: false, description: 'The events to deliver (not ALIAS_MOVED); absent: every event but FILE_DOWNLOADED.' }),
    types: t.field({ type: [ArtifactTypeEnum], required: false, description: 'Deliver events of these artifact types only; absent: every type.' }),
  }),
});

const IdInput = (name: string, description: string, idDescription: string) =>
  builder.inputType(name, { description, fields: (t) => ({ id: t.id({ required: true, description: idDescription }) }) });

builder.queryFields((t) => ({
  webhooks: t.field({
    type: [WebhookRef],
    description: `Every webhook, oldest first (at most ${MAX_WEBHOOKS}). Needs ADMIN.`,
    authScopes: ADMIN,
    resolve: (_root, _args, ctx) => session(ctx).scope.webhooks.list(),
  }),
  webhookDeliveries: t.field({
    type: WebhookDeliveryConnection,
    description: "A webhook's deliveries (kept 30 days), by artifact then version. NOT_FOUND for no such webhook. Needs ADMIN.",
    authScopes: ADMIN,
    args: { webhookId: t.arg.id({ required: true, description: 'The webhook.' }), ...forwardConnectionArgs(t.arg) },
    resolve: async (_root, args, ctx) => {
      const first = unwrap(pageSize(args.first));
      const page = unwrap(await session(ctx).scope.webhooks.deliveries(String(args.webhookId), first, args.after));
      const edges = page.deliveries.map((delivery) => ({ node: delivery, cursor: delivery.id }));
      return { edges, pageInfo: forwardPageInfo(edges, page.hasNextPage, args.after) };
    },
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: builder.objectRef<{ webhook: Webhook }>('CreateWebhookPayload').implement({
      description: 'The result of createWebhook.',
      fields: (f) => ({ webhook: f.field({ type: WebhookRef, description: 'The new webhook, active; its secret is not shown again.', resolve: (p) => p.webhook }) }),
    }),
    description:
      'Registers an address for signed POSTs of artifact events (README, "Webhooks"). BAD_USER_INPUT for a refused URL or secret; CONFLICT without WEBHOOK_SECRET_KEY or past 50 webhooks. Needs ADMIN.',
    authScopes: ADMIN,
    args: { input: t.arg({ type: CreateWebhookInput, required: true, description: 'The webhook.' }) },
    resolve: async (_root, { input }, ctx) => {
      const { scope, viewer } = session(ctx);
      return { webhook: unwrap(await scope.webhooks.create(input, viewer.username)) };
    },
  }),
  deleteWebhook: t.field({
    type: builder.objectRef<{ id: string }>('DeleteWebhookPayload').implement({
      description: 'The result of deleteWebhook.',
      fields: (f) => ({ deletedWebhookId: f.exposeID('id', { description: 'The webhook deleted: nothing more is sent to it, pending deliveries included.' }) }),
    }),
    description: 'Deletes a webhook. NOT_FOUND for no such webhook. Needs ADMIN.',
    authScopes: ADMIN,
    args: { input: t.arg({ type: IdInput('DeleteWebhookInput', 'The webhook to delete.', 'The webhook id.'), required: true, description: 'The webhook.' }) },
    resolve: async (_root, { input }, ctx) => ({ id: unwrap(await session(ctx).scope.webhooks.delete(String(input.id))) }),
  }),
  redeliverWebhookDelivery: t.field({
    type: builder.objectRef<{ delivery: WebhookDelivery }>('RedeliverWebhookDeliveryPayload').implement({
      description: 'The result of redeliverWebhookDelivery.',
      fields: (f) => ({ delivery: f.field({ type: WebhookDeliveryRef, description: 'The delivery, PENDING again and due now.', resolve: (p) => p.delivery }) }),
    }),
    description:
      'Sends a delivery again from its first attempt, with the same id, body and signature (delivered or failed ones too). NOT_FOUND for no such delivery. Needs ADMIN.',
    authScopes: ADMIN,
    args: { input: t.arg({ type: IdInput('RedeliverWebhookDeliveryInput', 'The delivery to send again.', 'The delivery id.'), required: true, description: 'The delivery.' }) },
    resolve: async (_root, { input }, ctx) => ({ delivery: unwrap(await session(ctx).scope.webhooks.redeliver(String(input.id))) }),
  }),
}));
