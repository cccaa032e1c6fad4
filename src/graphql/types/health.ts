import { builder } from '../builder.js';
import { DEFAULT_PASSWORD_WARNING, REGISTRY_VERSION, type ComponentHealth, type ComponentsCheck } from '../../application/health.js';

const HealthStatusEnum = builder.enumType('HealthStatus', { values: ['OK', 'DEGRADED', 'DOWN'] as const });

const ComponentHealthRef = builder.objectRef<ComponentHealth>('ComponentHealth').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.field({ type: HealthStatusEnum, resolve: (c) => c.status }),
    latencyMs: t.exposeFloat('latencyMs'),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

/**
 * Anonymous callers (load balancers, uptime probes) get the status and nothing else: the version
 * helps an attacker match known flaws, so it needs a token; what the components are and the
 * warnings (e.g. "default password in use") are for admins. Refused fields are null with an error,
 * like `downloadUrl`.
 */
const HealthRef = builder.objectRef<ComponentsCheck>('Health').implement({
  fields: (t) => ({
    status: t.field({ type: HealthStatusEnum, resolve: (h) => h.status }),
    version: t.string({
      nullable: true,
      description: 'Needs any valid token.',
      authScopes: { authenticated: true },
      resolve: () => REGISTRY_VERSION,
    }),
    components: t.field({
      type: [ComponentHealthRef],
      nullable: true,
      description: 'Admins only.',
      authScopes: { permission: 'ADMIN' },
      resolve: (h) => h.components,
    }),
    warnings: t.stringList({
      nullable: true,
      description: 'Admins only.',
      authScopes: { permission: 'ADMIN' },
      resolve: async (_h, _args, ctx) => ((await ctx.registry.defaultPasswordInUse()) ? [DEFAULT_PASSWORD_WARNING] : []),
    }),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    description: `Liveness of the registry and the storage it depends on. \`status\` is open to everyone; storage is checked at most once per HEALTH_CACHE_MS (1 s by default), whoever asks.`,
    resolve: (_root, _args, ctx) => ctx.registry.health.components(),
  }),
);
