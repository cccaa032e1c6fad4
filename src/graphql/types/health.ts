import { builder } from '../builder.js';
import { checkHealth, type ComponentHealth, type Health } from '../../application/health.js';

const HealthStatusEnum = builder.enumType('HealthStatus', { values: ['OK', 'DEGRADED', 'DOWN'] as const });

const ComponentHealthRef = builder.objectRef<ComponentHealth>('ComponentHealth').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    status: t.field({ type: HealthStatusEnum, resolve: (c) => c.status }),
    latencyMs: t.exposeFloat('latencyMs'),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

const HealthRef = builder.objectRef<Health>('Health').implement({
  fields: (t) => ({
    status: t.field({ type: HealthStatusEnum, resolve: (h) => h.status }),
    version: t.exposeString('version'),
    components: t.field({ type: [ComponentHealthRef], resolve: (h) => h.components }),
    warnings: t.exposeStringList('warnings'),
  }),
});

builder.queryField('health', (t) =>
  t.field({
    type: HealthRef,
    description: 'Liveness of the registry and the storage it depends on. Open to everyone.',
    resolve: (_root, _args, ctx) => checkHealth(ctx.registry),
  }),
);
