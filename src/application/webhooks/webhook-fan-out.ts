import { EVENT_TYPE_NAMES } from '../../domain/event-names.js';
import { artifactGlobalId } from '../../domain/global-id.js';
import { deliveryIdOf, receives } from '../../domain/webhooks/webhook.js';
import type { WebhookStore } from '../../store/webhook-store.js';
import type { Clock } from '../clock.js';
import type { CommittedChange, Reactor } from '../reactions/reactor.js';

/** The JSON a receiver gets (README, "Webhooks"); serialized once, so every attempt sends the same bytes. */
export interface WebhookPayload {
  readonly id: string;
  readonly event: string;
  readonly at: string;
  readonly actor: string;
  readonly artifact: { readonly id: string; readonly type: string; readonly name: string; readonly version: number };
}

/**
 * Turns a committed event into one PENDING delivery per active webhook that wants it. The delivery
 * id is (webhook, artifact, version), written only if absent: an event replayed from the feed finds
 * its deliveries already there and adds none. Sending is the delivery worker's (WebhookDispatcher).
 */
export function webhookFanOut(storeOf: (epoch: number) => WebhookStore, clock: Clock): Reactor {
  return {
    name: 'webhookFanOut',
    handles: 'every event',
    async react({ epoch, event, state }: CommittedChange): Promise<void> {
      // A refused ingest's audit stream folds to no artifact: nothing a receiver could look up.
      if (!state || event.type === 'IngestRefused') return;
      const store = storeOf(epoch);
      const webhooks = (await store.list()).filter((webhook) => receives(webhook, event.type, state.type));
      const name = EVENT_TYPE_NAMES[event.type];
      const now = clock.now().getTime();
      await Promise.all(
        webhooks.map((webhook) => {
          const id = deliveryIdOf(webhook.id, event.artifactId, event.version);
          const payload: WebhookPayload = {
            id,
            event: name,
            at: event.at,
            actor: event.actor,
            artifact: { id: artifactGlobalId(state), type: state.type, name: state.name, version: event.version },
          };
          return store.enqueue(
            { id, webhookId: webhook.id, artifactId: event.artifactId, version: event.version, event: name, body: JSON.stringify(payload), status: 'PENDING', attempts: 0, nextAttemptAtMs: now },
            Date.parse(event.at),
          );
        }),
      );
    },
  };
}
