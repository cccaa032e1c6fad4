import { Hono } from 'hono';
import { DEFAULT_REQUEST_LIMITS } from '../config.js';
import type { Registry } from '../registry.js';
import { mountRestApi } from '../rest/rest-api.js';
import { allowedMethodsIndex } from './allowed-methods.js';
import { GRAPHIQL_ASSET_PREFIX } from './graphiql-assets.js';
import { serverContextOf, type AppEnv } from './app-env.js';
import { createRegistryYoga, type RegistryYoga, type YogaOptions } from './yoga.js';

/**
 * Yoga answers with its ponyfill Response, whose headers keep names as written ('Content-Type');
 * the platform's Headers lower-case them, as HTTP API results and every other route here do.
 */
function nativeResponse(response: Response): Response {
  const body = response.body as ReadableStream<Uint8Array> | null;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: new Headers([...response.headers]) });
}

export interface RegistryApp {
  readonly hono: Hono<AppEnv>;
  readonly yoga: RegistryYoga;
  /** The whole HTTP surface as one Fetch handler: what @hono/node-server and hono/aws-lambda call. */
  readonly fetch: Hono<AppEnv>['fetch'];
}

/**
 * Every route of the registry, for `npm start` and Lambda alike: GraphQL (yoga, with its GraphiQL
 * assets) at /graphql, the course REST contract at the root paths, and the web UI at `/` and its
 * page paths (without a UI build, `/` redirects to GraphiQL). Unexpected errors are logged and answered as a masked 500.
 */
export function createRegistryApp(registry: Registry, options: YogaOptions = {}): RegistryApp {
  const yoga = createRegistryYoga(registry, options);
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const hono = new Hono<AppEnv>();
  const graphql = async (c: { req: { raw: Request }; env: AppEnv['Bindings'] }) => nativeResponse(await yoga.fetch(c.req.raw, serverContextOf(c.env)));
  // The web UI's pages and hashed assets first (GET and HEAD only); everything else is the API's.
  const ui = options.ui;
  if (ui) hono.use('*', async (c, next) => ui(c.req.raw) ?? next());
  hono.all('/graphql', graphql);
  hono.get(`${GRAPHIQL_ASSET_PREFIX}*`, graphql);
  hono.get('/', (c) => c.redirect('/graphql', 302));
  mountRestApi(hono, registry, { requestLimits: options.requestLimits ?? DEFAULT_REQUEST_LIMITS, corsOrigins: options.corsOrigins ?? [] });
  // Read when the first unmatched request comes, after every route is registered.
  let allowedOn: ((path: string) => string[]) | undefined;
  hono.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    allowedOn ??= allowedMethodsIndex(hono.routes);
    const allowed = allowedOn(path);
    if (allowed.length === 0) return c.json({ code: 'NOT_FOUND', message: `no route ${c.req.method} ${path}` }, 404);
    c.header('Allow', allowed.join(', '));
    return c.json({ code: 'METHOD_NOT_ALLOWED', message: `${c.req.method} is not served on ${path}; use ${allowed.join(', ')}` }, 405);
  });
  const logDetail = options.logDetail ?? ((message: string) => console.warn(message));
  hono.onError((error, c) => {
    // A client that hangs up mid-body is no fault of ours: one line for operators, no stack.
    if (isClientAbort(error)) {
      logDetail(`${c.req.method} ${new URL(c.req.url).pathname}: the client closed the connection before its body ended`);
      return c.json({ code: 'BAD_USER_INPUT', message: 'the request body ended before it was complete' }, 400);
    }
    logError(error);
    return c.json({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' }, 500);
  });
  return { hono, yoga, fetch: hono.fetch };
}

/** Node's error for a request whose connection closed before its body ended (`aborted`, ECONNRESET). */
function isClientAbort(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && (error.message === 'aborted' || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE');
}
