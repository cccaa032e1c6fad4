import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, useTestRegistry, type GraphQLResponse } from '../support/registry-harness.js';
import { TestClock } from '../support/clock.js';
import { INGEST, UPDATE, type ArtifactView } from '../support/operations.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import { decodeArtifactGlobalId } from '../../src/domain/global-id.js';
import { foldEvents } from '../../src/domain/artifact-state.js';
import { systemResolve } from '../../src/application/webhooks/address-vetting.js';
import { RETRY_DELAYS_MS } from '../../src/domain/webhooks/retry-schedule.js';
import { PORTABLE_ENTITIES } from '../../src/store/portable-items.js';
import type { CommittedChange } from '../../src/application/reactions/reactor.js';
import { webhookFanOut } from '../../src/application/webhooks/webhook-fan-out.js';
import { WebhookStore } from '../../src/store/webhook-store.js';

const clock = new TestClock();
/** Host names the registry resolves here as the test says (a rebinding DNS server, a metadata alias). */
const names = new Map<string, { address: string; family: number }[]>();
const t = useTestRegistry({
  clock,
  webhooks: {
    allowPrivateNetworks: true,
    secretKey: randomBytes(32),
    resolve: async (host) => names.get(host) ?? systemResolve(host),
  },
});
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

/** Every GraphQL answer of this file, searched for secrets at the end. */
const answers: GraphQLResponse<unknown>[] = [];
let token: string | undefined;
async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  token ??= t.adminToken;
  const response = await t.gqlAs<T>(token, query, variables);
  answers.push(response);
  return response;
}
/** Moves time on; tokens last 10 hours, so a long jump logs in again. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  if (ms >= 60 * 60 * 1000) token = await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD);
}

const SECRETS: string[] = [];
const CREATE = 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id url events types active } } }';
const DELIVERIES = `query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 100, after: $after) {
  edges { cursor node { id event artifactId status attempts lastStatusCode lastError deliveredAt } } pageInfo { hasNextPage endCursor } } }`;

interface DeliveryView {
  id: string;
  event: string;
  artifactId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

async function createWebhook(path: string, extra: Record<string, unknown> = {}, url = `${receiver.origin}${path}`): Promise<string> {
  const secret = `whsec-${randomBytes(16).toString('hex')}`;
  SECRETS.push(secret);
  const response = await gql<{ createWebhook: { webhook: { id: string } } }>(CREATE, { input: { url, secret, ...extra } });
  expect(response.errors).toBeUndefined();
  return response.data!.createWebhook.webhook.id;
}
const secretOf = (index = SECRETS.length - 1) => SECRETS[index]!;

async function deliveries(webhookId: string): Promise<DeliveryView[]> {
  const response = await gql<{ webhookDeliveries: { edges: { node: DeliveryView }[] } }>(DELIVERIES, { id: webhookId });
  expect(response.errors).toBeUndefined();
  return response.data!.webhookDeliveries.edges.map((edge) => edge.node);
}

let counter = 0;
async function ingest(name = `hooked-${++counter}`): Promise<ArtifactView> {
  const response = await gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'DATASET', url: `https://www.kaggle.com/datasets/org/hook-${++counter}`, name } });
  expect(response.errors).toBeUndefined();
  return response.data!.ingestArtifact.artifact;
}

/**
 * Commits run the fan-out inline; this replays every committed event of the artifact again, read
 * back from its stream with the state right after it, as the change feed would after a crash: the
 * fan-out must add nothing the second time.
 */
async function react(globalId: string, fromVersion = 1): Promise<void> {
  const scope = await t.scope();
  const id = decodeArtifactGlobalId(globalId)!.id;
  const events = await scope.store.events.readStream(id);
  for (let i = fromVersion - 1; i < events.length; i++) {
    const change: CommittedChange = { epoch: scope.epoch, event: events[i]!, state: foldEvents(undefined, events.slice(0, i + 1)) };
    await webhookFanOut(() => new WebhookStore(scope.entities), clock).react(change);
  }
}
const dispatch = async () => (await t.scope()).webhookDispatcher.runDue();

/** How a receiver checks a delivery: HMAC-SHA256 of the raw body with the shared secret, compared in constant time. */
function verified(body: string, header: string | string[] | undefined, secret: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(String(header));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

afterEach(async () => {
  for (const { id } of (await gql<{ webhooks: { id: string }[] }>('{ webhooks { id } }')).data!.webhooks) {
    expect((await gql('mutation($id: ID!) { deleteWebhook(input: { id: $id }) { deletedWebhookId } }', { id })).errors).toBeUndefined();
  }
});

describe('webhooks', () => {
  it('POST a signed delivery a receiver verifies; a replayed event adds no delivery', async () => {
    const webhookId = await createWebhook('/signed');
    const listed = (await gql<{ webhooks: unknown[] }>('{ webhooks { id url events types active } }')).data!.webhooks;
    expect(listed).toEqual([{ id: webhookId, url: `${receiver.origin}/signed`, events: null, types: null, active: true }]);

    const artifact = await ingest('signed-dataset');
    await react(artifact.id);
    await react(artifact.id); // the feed replays: idempotent
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 1 });
    expect(await dispatch()).toEqual({ attempted: 0, delivered: 0 });

    const [received, ...more] = receiver.at('/signed');
    expect(more).toEqual([]);
    const deliveryId = `${webhookId}.${decodeArtifactGlobalId(artifact.id)!.id}.1`;
    expect(received!.headers['x-registry-event']).toBe('REGISTERED');
    expect(received!.headers['x-registry-delivery']).toBe(deliveryId);
    expect(received!.headers['content-type']).toBe('application/json');
    expect(verified(received!.body, received!.headers['x-registry-signature-256'], secretOf())).toBe(true);
    expect(verified(received!.body, received!.headers['x-registry-signature-256'], 'another secret')).toBe(false);
    expect(JSON.parse(received!.body)).toEqual({
      id: deliveryId,
      event: 'REGISTERED',
      at: expect.any(String),
      actor: DEFAULT_ADMIN_USERNAME,
      artifact: { id: artifact.id, type: 'DATASET', name: 'signed-dataset', version: 1 },
    });
    expect(await deliveries(webhookId)).toEqual([
      { id: deliveryId, event: 'REGISTERED', artifactId: artifact.id, status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: clock.now().toISOString() },
    ]);
  });

  it('filter by event and artifact type', async () => {
    const renames = await createWebhook('/renames', { events: ['UPDATED'] });
    const models = await createWebhook('/models', { types: ['MODEL'] });
    const artifact = await ingest();
    expect((await gql(UPDATE, { input: { id: artifact.id, name: 'renamed-for-hooks', expectedVersion: 1 } })).errors).toBeUndefined();
    await react(artifact.id);
    await dispatch();
    expect(receiver.at('/renames').map((r) => r.headers['x-registry-event'])).toEqual(['UPDATED']);
    expect(await deliveries(models)).toEqual([]);
    expect((await deliveries(renames)).map((d) => d.status)).toEqual(['DELIVERED']);
  });

  it('retry after failures on the schedule (+2 s, +10 s), with the same id and signature', async () => {
    const webhookId = await createWebhook('/flaky');
    receiver.answer('/flaky', 500, 503);
    const artifact = await ingest();
    await react(artifact.id);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 0 });
    expect(await deliveries(webhookId)).toMatchObject([{ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'answered HTTP 500' }]);
    await advance(1_999);
    expect(await dispatch()).toEqual({ attempted: 0, delivered: 0 });
    await advance(1);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 0 });
    await advance(RETRY_DELAYS_MS[1]);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 1 });
    const attempts = receiver.at('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['x-registry-delivery'])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.headers['x-registry-signature-256'])).size).toBe(1);
    expect(await deliveries(webhookId)).toMatchObject([{ status: 'DELIVERED', attempts: 3, lastStatusCode: 200, lastError: null }]);
  });

  it('are FAILED after the last attempt of the schedule, and redelivered on request', async () => {
    const webhookId = await createWebhook('/down');
    receiver.answer('/down', ...Array.from({ length: RETRY_DELAYS_MS.length + 1 }, () => 500));
    const artifact = await ingest();
    await react(artifact.id);
    await dispatch();
    for (const delay of RETRY_DELAYS_MS) {
      await advance(delay);
      expect((await dispatch()).attempted).toBe(1);
    }
    const [failed] = await deliveries(webhookId);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 8, lastStatusCode: 500, deliveredAt: null });
    await advance(24 * 60 * 60 * 1000);
    expect(await dispatch()).toEqual({ attempted: 0, delivered: 0 });

    const redelivered = await gql<{ redeliverWebhookDelivery: { delivery: DeliveryView } }>(
      'mutation($id: ID!) { redeliverWebhookDelivery(input: { id: $id }) { delivery { id status attempts } } }',
      { id: failed!.id },
    );
    expect(redelivered.data!.redeliverWebhookDelivery.delivery).toEqual({ id: failed!.id, status: 'PENDING', attempts: 0 });
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 1 });
    const sent = receiver.at('/down');
    expect(sent).toHaveLength(9);
    expect(sent.at(-1)!.body).toBe(sent[0]!.body);
    expect(errorCode(await gql('mutation { redeliverWebhookDelivery(input: { id: "nope" }) { delivery { id } } }'))).toBe('NOT_FOUND');
  });

  it('count a receiver that does not answer within 10 s as a failed attempt', { timeout: 30_000 }, async () => {
    const webhookId = await createWebhook('/slow');
    receiver.hang('/slow');
    await react((await ingest()).id);
    const started = performance.now();
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 0 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(9_900);
    expect(await deliveries(webhookId)).toMatchObject([{ status: 'PENDING', attempts: 1, lastStatusCode: null, lastError: 'no answer within 10 s' }]);
  });

  it("send one artifact's deliveries in commit order: version 2 waits for version 1", async () => {
    const webhookId = await createWebhook('/ordered');
    receiver.answer('/ordered', 500);
    const artifact = await ingest();
    expect((await gql(UPDATE, { input: { id: artifact.id, name: `ordered-${counter}`, expectedVersion: 1 } })).errors).toBeUndefined();
    await react(artifact.id);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 0 });
    expect((await deliveries(webhookId)).map((d) => [d.event, d.status, d.attempts])).toEqual([
      ['REGISTERED', 'PENDING', 1],
      ['UPDATED', 'PENDING', 0],
    ]);
    await advance(RETRY_DELAYS_MS[0]);
    expect(await dispatch()).toEqual({ attempted: 2, delivered: 2 });
    expect(receiver.at('/ordered').map((r) => (JSON.parse(r.body) as { artifact: { version: number } }).artifact.version)).toEqual([1, 1, 2]);
    // Paged: one delivery a page, in commit order.
    const PAGE = 'query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 1, after: $after) { edges { node { event } } pageInfo { hasNextPage endCursor } } }';
    type Page = { webhookDeliveries: { edges: { node: { event: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const first = (await gql<Page>(PAGE, { id: webhookId })).data!.webhookDeliveries;
    expect([first.edges.map((e) => e.node.event), first.pageInfo.hasNextPage]).toEqual([['REGISTERED'], true]);
    const second = (await gql<Page>(PAGE, { id: webhookId, after: first.pageInfo.endCursor })).data!.webhookDeliveries;
    expect([second.edges.map((e) => e.node.event), second.pageInfo.hasNextPage]).toEqual([['UPDATED'], false]);
  });

  it('refuse link-local, metadata and IPv6 link-local addresses even with WEBHOOK_ALLOW_PRIVATE_NETWORKS', async () => {
    names.set('metadata.hooks.test', [{ address: '169.254.169.254', family: 4 }]);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/hook', 'http://metadata.hooks.test/hook', 'http://[::ffff:169.254.169.254]/', 'http://0.0.0.0/']) {
      const response = await gql(CREATE, { input: { url, secret: 'a-long-enough-secret' } });
      expect(errorCode(response), url).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toMatch(/link-local, metadata or reserved/);
    }
    for (const url of ['ftp://example.com/', 'http://user:pass@example.com/', 'not a url']) expect(errorCode(await gql(CREATE, { input: { url, secret: 'a-long-enough-secret' } })), url).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CREATE, { input: { url: `${receiver.origin}/`, secret: 'short' } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(CREATE, { input: { url: `${receiver.origin}/`, secret: 'a-long-enough-secret', events: ['ALIAS_MOVED'] } }))).toBe('BAD_USER_INPUT');
    // The flag admits loopback: IPv6 ::1 and a name that resolves to 127.0.0.1.
    await createWebhook('/', {}, `http://[::1]:${receiver.port}/v6`);
    await createWebhook('/', {}, `http://localhost:${receiver.port}/named`);
  });

  it('resolve the host again at delivery and connect to the vetted address (DNS rebinding)', async () => {
    names.set('rebind.hooks.test', [{ address: '127.0.0.1', family: 4 }]);
    const webhookId = await createWebhook('/', {}, `http://rebind.hooks.test:${receiver.port}/rebind`);
    const artifact = await ingest();
    await react(artifact.id);
    // The name now points at the metadata service: nothing is sent there.
    names.set('rebind.hooks.test', [{ address: '169.254.169.254', family: 4 }]);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 0 });
    expect((await deliveries(webhookId))[0]!.lastError).toMatch(/169\.254\.169\.254 is a link-local, metadata or reserved address/);
    // Back on loopback: delivered to the pinned address with the name kept in the Host header.
    names.set('rebind.hooks.test', [{ address: '127.0.0.1', family: 4 }]);
    await advance(RETRY_DELAYS_MS[0]);
    expect(await dispatch()).toEqual({ attempted: 1, delivered: 1 });
    expect(receiver.at('/rebind')[0]!.headers.host).toBe(`rebind.hooks.test:${receiver.port}`);
  });

  it('deactivate a webhook whose deliveries fail for a day, with a health warning for admins', async () => {
    const webhookId = await createWebhook('/dead');
    receiver.answer('/dead', ...Array.from({ length: 20 }, () => 500));
    await react((await ingest()).id);
    await dispatch();
    await advance(25 * 60 * 60 * 1000);
    await react((await ingest()).id);
    await dispatch();
    const webhooks = (await gql<{ webhooks: { id: string; active: boolean }[] }>('{ webhooks { id active } }')).data!.webhooks;
    expect(webhooks).toEqual([{ id: webhookId, active: false }]);
    const warnings = (await gql<{ health: { warnings: string[] } }>('{ health { warnings } }')).data!.health.warnings;
    expect(warnings.some((warning) => warning.includes(webhookId) && warning.includes('deactivated'))).toBe(true);
    // Deactivated: new events are neither enqueued nor sent.
    const before = receiver.at('/dead').length;
    await react((await ingest()).id);
    await dispatch();
    expect(receiver.at('/dead')).toHaveLength(before);
  });

  it('answer NOT_FOUND for ids that name nothing, however malformed, and BAD_USER_INPUT for a foreign cursor', async () => {
    const long = 'x'.repeat(3_000);
    expect(errorCode(await gql('mutation($id: ID!) { deleteWebhook(input: { id: $id }) { deletedWebhookId } }', { id: long }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(DELIVERIES, { id: long }))).toBe('NOT_FOUND');
    expect(errorCode(await gql(DELIVERIES, { id: '01JD0000000000000000000000' }))).toBe('NOT_FOUND');
    expect(errorCode(await gql('mutation($id: ID!) { redeliverWebhookDelivery(input: { id: $id }) { delivery { id } } }', { id: long }))).toBe('NOT_FOUND');
    const webhookId = await createWebhook('/cursors');
    expect(errorCode(await gql(DELIVERIES, { id: webhookId, after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');
  });

  it('are for admins only', async () => {
    await gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', {
      input: { username: 'hook-uploader', password: 'a long password here', permissions: ['UPLOAD', 'SEARCH', 'DOWNLOAD'] },
    });
    const other = await t.login('hook-uploader', 'a long password here');
    expect(errorCode(await t.gqlAs(other, '{ webhooks { id } }'))).toBe('FORBIDDEN');
    expect(errorCode(await t.gqlAs(other, CREATE, { input: { url: `${receiver.origin}/`, secret: 'a-long-enough-secret' } }))).toBe('FORBIDDEN');
  });

  it('never show a secret: not in any answer, not in clear in the table, not exported', async () => {
    await createWebhook('/secretive');
    await gql('{ webhooks { id url events types active createdAt deactivatedAt } }');
    const text = JSON.stringify(answers);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const scope = await t.scope();
    const { data } = await scope.entities.webhook.query.byId({ kind: 'webhook' }).go();
    expect(data).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain(secretOf());
    expect(data[0]!.sealedSecret).toMatch(/^v1\./);
    expect(PORTABLE_ENTITIES as readonly string[]).not.toContain('webhook');
    expect(PORTABLE_ENTITIES as readonly string[]).not.toContain('webhookDelivery');
  });
});
