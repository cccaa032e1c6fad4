import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { createHmac } from 'node:crypto';
import { DELIVERY_TIMEOUT_MS } from '../../domain/webhooks/retry-schedule.js';
import type { VettedAddress } from './address-vetting.js';

/** What one POST yielded: the receiver's status, or why there was none. */
export type SendOutcome = { readonly statusCode: number } | { readonly error: string };

export interface OutgoingDelivery {
  readonly url: URL;
  readonly address: VettedAddress;
  readonly deliveryId: string;
  readonly event: string;
  readonly body: string;
  readonly secret: string;
}

/** GitHub's scheme: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const signatureOf = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/**
 * Answers every lookup with the vetted address, so the socket connects where the check looked
 * (no second resolution for a rebinding DNS server to change) while the URL keeps its host name for
 * the Host header, TLS SNI and certificate check. Node asks with `all: true` when it races
 * address families.
 */
const pinnedLookup = (pinned: VettedAddress): LookupFunction =>
  ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;

/** One POST, answered within DELIVERY_TIMEOUT_MS (headers and body) or counted as failed. Redirects are not followed. */
export function sendDelivery(delivery: OutgoingDelivery): Promise<SendOutcome> {
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinnedLookup(delivery.address),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'trustworthy-model-registry-webhooks',
      'x-registry-event': delivery.event,
      'x-registry-delivery': delivery.deliveryId,
      'x-registry-signature-256': signatureOf(delivery.secret, delivery.body),
    },
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  };
  const send = delivery.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(delivery.url, options, (response) => {
      // The answer's body means nothing to the registry; read it to its end so the socket is released.
      response.resume();
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0 }));
      response.on('error', (error) => resolve({ error: reasonOf(error) }));
    });
    request.on('error', (error) => resolve({ error: reasonOf(error) }));
    request.end(delivery.body);
  });
}

/** The error's code or class: enough to act on, and nothing from the receiver's answer. */
function reasonOf(error: Error): string {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `connection failed: ${code}` : `connection failed: ${error.name}`;
}
