import type { Clock } from './clock.js';

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface ComponentHealth {
  readonly name: string;
  readonly status: HealthStatus;
  readonly latencyMs: number;
  readonly detail: string | null;
}

/** The outcome of one check of the storage the registry depends on. */
export interface ComponentsCheck {
  readonly status: HealthStatus;
  readonly components: readonly ComponentHealth[];
}

/** How often health may touch storage. Every figure in one place, as graphql-armor does. */
export interface HealthLimits {
  /**
   * How long one check of the table and bucket answers every caller (HEALTH_CACHE_MS). Anonymous
   * probes and floods then cost at most one DynamoDB and one S3 call per period, per process.
   */
  readonly componentCacheMs: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthLimits = { componentCacheMs: 1_000 };

export const REGISTRY_VERSION = '0.1.0';

export const DEFAULT_PASSWORD_WARNING =
  'the default administrator still has the published default password: set ADMIN_PASSWORD before exposing this registry';

/** A webhook the delivery worker turned off (see WebhookDispatcher): an admin should look at its receiver. */
export const deactivatedWebhookWarning = (webhook: { readonly id: string; readonly url: string; readonly deactivatedAt?: string }): string =>
  `webhook ${webhook.id} (${webhook.url}) was deactivated${webhook.deactivatedAt ? ` at ${webhook.deactivatedAt}` : ''} after every delivery failed for a day: fix the receiver, then delete it and create it again`;

/** The calls that prove a dependency answers. */
export interface HealthProbes {
  readonly table: () => Promise<void>;
  readonly bucket: () => Promise<void>;
}

async function probe(name: string, downStatus: HealthStatus, check: () => Promise<void>): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    await check();
    return { name, status: 'OK', latencyMs: performance.now() - started, detail: null };
  } catch (error) {
    // The error's class says enough to act on; its message may carry endpoints or request ids.
    const detail = error instanceof Error ? error.name : 'unknown error';
    return { name, status: downStatus, latencyMs: performance.now() - started, detail };
  }
}

/** The table is essential (DOWN without it); the bucket only serves files (DEGRADED without it). */
async function checkComponents(probes: HealthProbes): Promise<ComponentsCheck> {
  const components = await Promise.all([probe('dynamodb', 'DOWN', probes.table), probe('s3', 'DEGRADED', probes.bucket)]);
  const status = components.some((c) => c.status === 'DOWN') ? 'DOWN' : components.some((c) => c.status === 'DEGRADED') ? 'DEGRADED' : 'OK';
  return { status, components };
}

/**
 * Checks the components at most once per `componentCacheMs`, and callers that arrive while a check
 * runs share it (single flight). `health` is open to anonymous callers, so without this every
 * probe, and every request of a flood, would cost a DynamoDB and an S3 call.
 */
export class HealthMonitor {
  private latest: { readonly check: Promise<ComponentsCheck>; settledAtMs: number | undefined } | undefined;

  constructor(
    private readonly probes: HealthProbes,
    private readonly clock: Clock,
    private readonly limits: HealthLimits = DEFAULT_HEALTH_LIMITS,
  ) {}

  components(): Promise<ComponentsCheck> {
    const now = this.clock.now().getTime();
    const latest = this.latest;
    if (latest && (latest.settledAtMs === undefined || now - latest.settledAtMs < this.limits.componentCacheMs)) return latest.check;
    // Probes catch their own failures, so the check always settles with an answer (DOWN included).
    const entry: { check: Promise<ComponentsCheck>; settledAtMs: number | undefined } = { check: checkComponents(this.probes), settledAtMs: undefined };
    entry.check = entry.check.finally(() => {
      entry.settledAtMs = this.clock.now().getTime();
    });
    this.latest = entry;
    return entry.check;
  }
}
