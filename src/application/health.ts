import type { Registry } from '../registry.js';

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface ComponentHealth {
  readonly name: string;
  readonly status: HealthStatus;
  readonly latencyMs: number;
  readonly detail: string | null;
}

export interface Health {
  readonly status: HealthStatus;
  readonly version: string;
  readonly components: readonly ComponentHealth[];
  readonly warnings: readonly string[];
}

export const REGISTRY_VERSION = '0.1.0';

export const DEFAULT_PASSWORD_WARNING =
  'the default administrator still has the published default password: set ADMIN_PASSWORD before exposing this registry';

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
export async function checkHealth(registry: Registry): Promise<Health> {
  const components = await Promise.all([
    probe('dynamodb', 'DOWN', () => registry.pingTable()),
    probe('s3', 'DEGRADED', () => registry.blobs.ping()),
  ]);
  const status = components.some((c) => c.status === 'DOWN') ? 'DOWN' : components.some((c) => c.status === 'DEGRADED') ? 'DEGRADED' : 'OK';
  const warnings = (await registry.defaultPasswordInUse()) ? [DEFAULT_PASSWORD_WARNING] : [];
  return { status, version: REGISTRY_VERSION, components, warnings };
}
