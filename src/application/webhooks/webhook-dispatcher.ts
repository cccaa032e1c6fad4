import { DEACTIVATE_AFTER_MS, MAX_ATTEMPTS, retryDelayAfter } from '../../domain/webhooks/retry-schedule.js';
import type { StoredWebhook, WebhookDelivery } from '../../domain/webhooks/webhook.js';
import type { AttemptRecord, WebhookStore } from '../../store/webhook-store.js';
import type { Clock } from '../clock.js';
import { vetAddress } from './address-vetting.js';
import { sendDelivery, type SendOutcome } from './delivery-sender.js';
import type { WebhookSettings } from './webhook-settings.js';

const delivered = (outcome: SendOutcome): outcome is { statusCode: number } => 'statusCode' in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300;

/** What one run did, for logs and tests. */
export interface DispatchReport {
  readonly attempted: number;
  readonly delivered: number;
}

/**
 * The delivery worker: sends every PENDING delivery that is due, per webhook and artifact in commit
 * order (version n+1 waits until n is DELIVERED or FAILED), then records the attempt with the
 * retry schedule. Time comes from the Clock, so a test moves it instead of sleeping. Attempts are
 * recorded conditionally on the attempt count read, so two workers never both count one attempt;
 * a receiver may still see a delivery twice (same X-Registry-Delivery) and should deduplicate.
 */
export class WebhookDispatcher {
  constructor(
    private readonly store: WebhookStore,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  async runDue(): Promise<DispatchReport> {
    const webhooks = (await this.store.list()).filter((webhook) => webhook.active);
    const reports = await Promise.all(webhooks.map((webhook) => this.runWebhook(webhook)));
    return reports.reduce((sum, r) => ({ attempted: sum.attempted + r.attempted, delivered: sum.delivered + r.delivered }), { attempted: 0, delivered: 0 });
  }

  private async runWebhook(initial: StoredWebhook): Promise<DispatchReport> {
    const byArtifact = new Map<string, WebhookDelivery[]>();
    for (const delivery of await this.store.pending(initial.id)) {
      const queue = byArtifact.get(delivery.artifactId) ?? [];
      queue.push(delivery);
      byArtifact.set(delivery.artifactId, queue);
    }
    let webhook = initial;
    let attempted = 0;
    let deliveredCount = 0;
    // Artifacts one after another: the webhook's failure run (failingSince) is updated by one writer.
    for (const queue of byArtifact.values()) {
      // Pending items come sorted by version; only the oldest may go, and the next once it is settled.
      for (const delivery of queue) {
        if (!webhook.active || delivery.nextAttemptAtMs > this.clock.now().getTime()) break;
        const outcome = await this.attempt(webhook, delivery);
        attempted++;
        const record = this.recordOf(delivery, outcome);
        if (!(await this.store.recordAttempt(delivery, record))) break;
        webhook = await this.noteHealth(webhook, record.status === 'DELIVERED');
        if (record.status === 'DELIVERED') deliveredCount++;
        if (record.status === 'PENDING') break;
      }
    }
    return { attempted, delivered: deliveredCount };
  }

  private async attempt(webhook: StoredWebhook, delivery: WebhookDelivery): Promise<SendOutcome> {
    const secret = this.settings.secrets?.open(webhook.id, webhook.sealedSecret);
    if (secret === undefined) return { error: 'the webhook secret cannot be decrypted (WEBHOOK_SECRET_KEY changed?)' };
    const url = new URL(webhook.url);
    // Resolved again at every attempt: the name may point elsewhere since the webhook was created.
    const vetted = await vetAddress(url, this.settings.allowPrivateNetworks, this.settings.resolve);
    if (!vetted.ok) return { error: vetted.error.message };
    return sendDelivery({ url, address: vetted.value, deliveryId: delivery.id, event: delivery.event, body: delivery.body, secret });
  }

  private recordOf(delivery: WebhookDelivery, outcome: SendOutcome): AttemptRecord {
    const now = this.clock.now();
    const statusCode = 'statusCode' in outcome ? { statusCode: outcome.statusCode } : {};
    if (delivered(outcome)) return { status: 'DELIVERED', nextAttemptAtMs: now.getTime(), ...statusCode, deliveredAt: now.toISOString() };
    const error = 'error' in outcome ? outcome.error : `answered HTTP ${outcome.statusCode}`;
    const attempts = delivery.attempts + 1;
    const delay = attempts < MAX_ATTEMPTS ? retryDelayAfter(attempts) : undefined;
    return delay === undefined
      ? { status: 'FAILED', nextAttemptAtMs: now.getTime(), ...statusCode, error }
      : { status: 'PENDING', nextAttemptAtMs: now.getTime() + delay, ...statusCode, error };
  }

  /** A success ends the webhook's failure run; a failure starts or extends it, and a day of them deactivates the webhook. */
  private async noteHealth(webhook: StoredWebhook, succeeded: boolean): Promise<StoredWebhook> {
    const now = this.clock.now();
    if (succeeded) {
      if (webhook.failingSince === undefined) return webhook;
      await this.store.markHealthy(webhook.id);
      const { failingSince: _ended, ...healthy } = webhook;
      return healthy;
    }
    const since = webhook.failingSince ?? now.toISOString();
    const deactivate = now.getTime() - Date.parse(since) >= DEACTIVATE_AFTER_MS;
    if (webhook.failingSince === since && !deactivate) return webhook;
    await this.store.markFailing(webhook.id, since, deactivate ? now.toISOString() : undefined);
    return { ...webhook, failingSince: since, ...(deactivate && { active: false, deactivatedAt: now.toISOString() }) };
  }
}
