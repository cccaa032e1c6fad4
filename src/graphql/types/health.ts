import { builder } from '../builder.js';
import { session } from '../session.js';
import { DEFAULT_PASSWORD_WARNING, deactivatedWebhookWarning, REGISTRY_VERSION, type ComponentHealth, type ComponentsCheck } from '../../application/health.js';

const HealthStatusEnum = builder.enumType('HealthStatus', {
  description: 'How well the registry, or one of its components, answers.',
  values: {
    OK: { description: 'Everything answers.' },
    DEGRADED: { description: 'Artifacts can be read and changed, but files cannot be stored or downloaded (S3 does not answer).' },
    DOWN: { description: 'The registry cannot serve requests (DynamoDB does not answer).' },
  } as const,
});

const ComponentHealthRef = builder.objectRef<ComponentHealth>('ComponentHealth').implement({
  description: 'One storage service the registry depends on, as last checked.',
  fields: (t) => ({
    name: t.exposeString('name', { description: '`dynamodb` (the table: DOWN without it) or `s3` (the file bucket: DEGRADED without it).' }),
    status: t.field({ type: HealthStatusEnum, description: 'OK when the check answered, else DOWN or DEGRADED as the component matters.', resolve: (c) => c.status }),
    latencyMs: t.exposeFloat('latencyMs', { description: 'How long the check took, in milliseconds.' }),
    detail: t.exposeString('detail', { nullable: true, description: "The failure's error class (e.g. TimeoutError); null when OK. Never the message, which may name endpoints." }),
  }),
});

/**
 * Anonymous callers (load balancers, uptime probes) get the status and nothing else: the version
 * helps an attacker match known flaws, so it needs a token; what the components are and the
 * warnings (e.g. "default password in use") are for admins. Refused fields are null with an error,
 * like `downloadUrl`.
 */
const HealthRef = builder.objectRef<ComponentsCheck>('Health').implement({
  description: 'Liveness of the registry and its storage. Only `status` is open to anonymous callers.',
  fields: (t) => ({
    status: t.field({ type: HealthStatusEnum, description: 'The worst status among the components. Open to everyone.', resolve: (h) => h.status }),
    version: t.string({
      nullable: true,
      description: "The registry's release, e.g. 0.1.0. Needs any valid token (null with an error otherwise).",
      authScopes: { authenticated: true },
      resolve: () => REGISTRY_VERSION,
    }),
    components: t.field({
      type: [ComponentHealthRef],
      nullable: true,
      description: 'Each storage service and its check. Needs ADMIN (null with an error otherwise).',
      authScopes: { permission: 'ADMIN' },
      resolve: (h) => h.components,
    }),
    warnings: t.stringList({
      nullable: true,
      description:
        'Configuration problems to fix, in words (e.g. the default administrator still has the published password, a webhook was deactivated after a day of failed deliveries); empty when none. Needs ADMIN (null with an error otherwise).',
      authScopes: { permission: 'ADMIN' },
      resolve: async (_h, _args, ctx) => {
        const [defaultPassword, deactivated] = await Promise.all([ctx.registry.defaultPasswordInUse(), session(ctx).scope.webhooks.deactivated()]);
        return [...(defaultPassword ? [DEFAULT_PASSWORD_WARNING] : []), ...deactivated.map(deactivatedWebhookWarning)];
      },
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
