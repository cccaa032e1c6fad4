import type { ResolveAll } from './address-vetting.js';
import type { SecretBox } from './secret-box.js';

/** How webhooks are configured for this process (WEBHOOK_* variables). */
export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: admit loopback and private ranges (never link-local or metadata). */
  readonly allowPrivateNetworks: boolean;
  /** Seals secrets with WEBHOOK_SECRET_KEY; absent: no key configured, and no webhook can be created. */
  readonly secrets: SecretBox | undefined;
  /** How host names resolve (tests substitute names). */
  readonly resolve: ResolveAll;
}
