import type { YogaServerOptions } from 'graphql-yoga';
import { PREFLIGHT_HEADERS } from './request-guards.js';

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors']>;

/**
 * CORS for the configured origins only (CORS_ORIGINS). With none, no CORS headers at all: the web
 * UI and GraphiQL are served from this origin and need none, and a page elsewhere gets nothing.
 * Credentials are never allowed: tokens travel in headers, not cookies, so no origin needs them.
 */
export function corsFor(allowedOrigins: readonly string[]): CorsOption {
  if (allowedOrigins.length === 0) return false;
  const allowed = new Set(allowedOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-authorization', ...PREFLIGHT_HEADERS],
      maxAge: 600,
    };
  };
}
