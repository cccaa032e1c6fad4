import type { Hono } from 'hono';
import type { HealthStatus } from '../application/health.js';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import { bearerTokenOf, openSession } from '../server/request-session.js';
import { restError } from './errors.js';
import { route } from './http.js';
import { servedOpenApiDocument } from './openapi-document.js';

/** The tracks of the course this registry implements (GET /tracks). */
export const PLANNED_TRACKS = ['Access control track', 'Performance track'] as const;

const HEALTH_STATUS = { OK: 'ok', DEGRADED: 'degraded', DOWN: 'critical' } as const satisfies Record<HealthStatus, string>;
const DISPLAY_NAMES: Readonly<Record<string, string>> = { dynamodb: 'DynamoDB table', s3: 'S3 bucket' };

/** Health, tracks and the served OpenAPI document: open to anonymous callers. */
export function serviceRoutes(app: Hono<AppEnv>, registry: Registry): void {
  // Liveness: reachable is 200. Storage is reported by /health/components (and GraphQL health).
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get(
    '/health/components',
    route(async (c) => {
      const window = c.req.query('windowMinutes');
      const windowMinutes = window === undefined ? 60 : /^\d{1,4}$/.test(window) ? Number(window) : Number.NaN;
      if (!(windowMinutes >= 5 && windowMinutes <= 1440)) return restError(400, 'BAD_USER_INPUT', 'windowMinutes must be an integer from 5 to 1440');
      const timeline = c.req.query('includeTimeline');
      if (timeline !== undefined && timeline !== 'true' && timeline !== 'false') return restError(400, 'BAD_USER_INPUT', 'includeTimeline must be true or false');
      // Latencies and failure details are for administrators, as in GraphQL (SECURITY.md).
      const token = bearerTokenOf(c.req.raw.headers);
      const session = token === undefined ? undefined : await openSession(registry, token);
      const admin = session?.ok === true && session.value.viewer.permissions.includes('ADMIN');
      const checked = await registry.health.components();
      const observedAt = registry.clock.now().toISOString();
      return c.json({
        components: checked.components.map((component) => ({
          id: component.name,
          display_name: DISPLAY_NAMES[component.name] ?? component.name,
          status: HEALTH_STATUS[component.status],
          observed_at: observedAt,
          ...(admin && {
            // A string: the document's HealthMetricValue is oneOf integer | number | ..., which no
            // integer can satisfy (it is both), so a whole-millisecond latency would not conform.
            metrics: { latency_ms: component.latencyMs.toFixed(1) },
            issues: component.detail === null ? [] : [{ code: component.detail, severity: 'error', summary: `${component.name} check failed: ${component.detail}` }],
          }),
          ...(timeline === 'true' && { timeline: [] }),
        })),
        generated_at: observedAt,
        window_minutes: windowMinutes,
      });
    }),
  );

  app.get('/tracks', (c) => c.json({ plannedTracks: [...PLANNED_TRACKS] }));

  app.get('/openapi.json', (c) => c.json(servedOpenApiDocument()));
}
