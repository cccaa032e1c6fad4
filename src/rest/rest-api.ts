import type { Hono, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { RequestLimits } from '../config.js';
import type { Registry } from '../registry.js';
import type { AppEnv } from '../server/app-env.js';
import { tooLarge } from './errors.js';
import { accessRoutes } from './access-routes.js';
import { artifactRoutes } from './artifact-routes.js';
import { modelRoutes } from './model-routes.js';
import { recordRoutes } from './record-routes.js';
import { serviceRoutes } from './service-routes.js';

export interface RestOptions {
  readonly requestLimits: RequestLimits;
  /** Origins allowed cross-site (CORS_ORIGINS), as for GraphQL; none by default. */
  readonly corsOrigins: readonly string[];
}

/**
 * Bodies are capped as GraphQL's are: MAX_ANONYMOUS_BODY_BYTES until the token is verified
 * (sessionOf raises it to MAX_JSON_BODY_BYTES), so a header that is no working token lifts nothing.
 * A declared length over the cap that could apply is refused here, before reading; a body is cut
 * off while it streams past the cap in force (bodyOf). Over it is a 413.
 */
function restBodyLimit(limits: RequestLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const anonymous = c.req.header('authorization') === undefined && c.req.header('x-authorization') === undefined;
    const most = anonymous ? limits.maxAnonymousBodyBytes : limits.maxJsonBodyBytes;
    const declared = c.req.header('content-length');
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > most) return c.json(tooLarge(most).body, 413);
    c.set('bodyLimit', limits.maxAnonymousBodyBytes);
    c.set('verifiedBodyLimit', limits.maxJsonBodyBytes);
    await next();
  };
}

/**
 * CORS for the configured origins only, never with credentials. A cross-site page cannot reach a
 * protected route without preflight anyway: X-Authorization is not a header a form can send.
 */
function restCors(origins: readonly string[]): MiddlewareHandler<AppEnv> | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['content-type', 'x-authorization', 'authorization'],
    exposeHeaders: ['offset'],
    credentials: false,
    maxAge: 600,
  });
}

/**
 * The course REST contract (docs/course-openapi-3.4.7.yaml) at the root paths, over the same
 * application commands and queries as GraphQL. Registered after /graphql, so its middleware never
 * runs for GraphQL requests.
 */
export function mountRestApi(app: Hono<AppEnv>, registry: Registry, options: RestOptions): void {
  const corsMiddleware = restCors(options.corsOrigins);
  if (corsMiddleware) app.use('*', corsMiddleware);
  app.use('*', restBodyLimit(options.requestLimits));
  serviceRoutes(app, registry);
  accessRoutes(app, registry);
  artifactRoutes(app, registry);
  modelRoutes(app, registry);
  recordRoutes(app, registry);
}
