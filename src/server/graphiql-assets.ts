import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * GraphiQL served as static files. The bundled GraphiQL is 9 MB of script; inlined into the page
 * (as @graphql-yoga/render-graphiql does) every GET of /graphql rebuilt and sent all of it. Here the
 * page is a few hundred bytes and the scripts are files named by their content hash, compressed
 * once per process and cached by browsers for a year.
 */

/** Where the assets are served; the name carries the content hash, so a new build never meets a stale cache. */
export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

export interface StaticAsset {
  readonly name: string;
  readonly contentType: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly brotli: Buffer;
  readonly etag: string;
}

/** The page and its assets, built by `buildGraphiQLAssets`. */
export interface GraphiQLAssets {
  readonly assets: ReadonlyMap<string, StaticAsset>;
  /** The small HTML page; yoga calls it with its GraphiQL options. */
  renderPage(options?: GraphiQLOptions): string;
}

/** The parts of the bundled GraphiQL, as @graphql-yoga/render-graphiql exports them. */
export interface GraphiQLSources {
  readonly js: string;
  readonly css: string;
  readonly favicon: string;
  readonly editorWorkerService: string;
  readonly jsonWorker: string;
  readonly graphqlWorker: string;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Brotli and gzip copies of a file, made once so every request is a lookup. */
export async function compressed(identity: Buffer): Promise<{ gzip: Buffer; brotli: Buffer }> {
  // zlib runs on libuv's pool: building does not block the event loop. Measured on the 5 MB script:
  // brotli quality 6 is within 3% of quality 9's size in a third of its time; gzip 6 within 0.5% of 9.
  const [gz, br] = await Promise.all([
    gzipAsync(identity, { level: 6 }),
    brotliAsync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 6, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
  ]);
  return { gzip: gz, brotli: br };
}

async function asset(stem: string, extension: string, contentType: string, content: string | Buffer): Promise<StaticAsset> {
  const identity = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 16);
  return { name: `${stem}.${hash}.${extension}`, contentType, identity, ...(await compressed(identity)), etag: `"${hash}"` };
}

/** The favicon comes as a data: URL of 150 KB; as a file it leaves the page and is cached. */
function dataUrlBytes(dataUrl: string): { contentType: string; bytes: Buffer } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(dataUrl);
  return match ? { contentType: match[1]!, bytes: Buffer.from(match[2]!, 'base64') } : undefined;
}

/** `</script>` inside inlined JSON would end the script element early. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Splits the bundled GraphiQL into hashed, compressed files and a page that loads them. */
export async function buildGraphiQLAssets(sources?: GraphiQLSources): Promise<GraphiQLAssets> {
  const parts = sources ?? (await import('@graphql-yoga/render-graphiql/graphiql'));
  const icon = dataUrlBytes(parts.favicon);
  const [script, style, editorWorker, jsonWorker, graphqlWorker, favicon] = await Promise.all([
    asset('graphiql', 'js', 'text/javascript; charset=utf-8', parts.js),
    asset('graphiql', 'css', 'text/css; charset=utf-8', parts.css),
    asset('editor.worker', 'js', 'text/javascript; charset=utf-8', parts.editorWorkerService),
    asset('json.worker', 'js', 'text/javascript; charset=utf-8', parts.jsonWorker),
    asset('graphql.worker', 'js', 'text/javascript; charset=utf-8', parts.graphqlWorker),
    icon ? asset('favicon', 'ico', icon.contentType, icon.bytes) : undefined,
  ]);
  const files = [script, style, editorWorker, jsonWorker, graphqlWorker, ...(favicon ? [favicon] : [])];
  const assets = new Map(files.map((a) => [a.name, a]));
  const url = (a: StaticAsset) => `${GRAPHIQL_ASSET_PREFIX}${a.name}`;
  const workers = { editorWorkerService: url(editorWorker), json: url(jsonWorker), graphql: url(graphqlWorker) };
  return {
    assets,
    renderPage: (options) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${escapeHtml(options?.title ?? 'GraphiQL')}</title>
<link rel="icon" href="${favicon ? url(favicon) : escapeHtml(parts.favicon)}" />
<link rel="stylesheet" href="${url(style)}" />
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root"></div>
<script>
const workers = ${scriptSafeJson(workers)};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
</script>
<script src="${url(script)}"></script>
<script>
YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptSafeJson(options ?? {})});
</script>
</body>
</html>
`,
  };
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The encoding to send: brotli, then gzip, as the client accepts (q=0 refuses one). */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return undefined;
}

/** What yoga needs to serve GraphiQL this way: the page renderer and the asset route. */
export interface ServedGraphiQL {
  readonly render: (options?: GraphiQLOptions) => Promise<string>;
  readonly plugin: Plugin;
  /** Starts the build now (in the background of start-up) instead of at the first page view. */
  warm(): void;
}

/**
 * Builds the assets once, on first use or on `warm()`; compression runs on libuv's pool, so the
 * first visitor waits a few seconds and nobody else does.
 */
export function servedGraphiQL(build: () => Promise<GraphiQLAssets> = buildGraphiQLAssets): ServedGraphiQL {
  let built: Promise<GraphiQLAssets> | undefined;
  // A failed build is not remembered: the next visitor tries again.
  const assets = () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
  return {
    render: async (options) => (await assets()).renderPage(options),
    plugin: graphiqlAssetsPlugin(assets),
    warm: () => void assets(),
  };
}

/** Answers GET/HEAD of the hashed asset files before yoga looks at the request. */
function graphiqlAssetsPlugin(assets: () => Promise<GraphiQLAssets>): Plugin {
  return {
    onRequest: async ({ request, url, endResponse, fetchAPI }) => {
      if (!url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) return;
      const found = (await assets()).assets.get(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (!found || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(new fetchAPI.Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } }));
        return;
      }
      endResponse(assetResponse(request, found, IMMUTABLE, fetchAPI.Response));
    },
  };
}

/** Cache-Control of a file whose name carries its content hash. */
export const IMMUTABLE = `public, max-age=${ONE_YEAR_SECONDS}, immutable`;

/**
 * A stored file as the response to GET or HEAD: 304 when the client holds this version, else the
 * smallest encoding the client accepts.
 */
export function assetResponse(request: Request, found: StaticAsset, cacheControl: string, ResponseClass: typeof Response = Response, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = {
    'content-type': found.contentType,
    'cache-control': cacheControl,
    etag: found.etag,
    vary: 'accept-encoding',
    ...extraHeaders,
  };
  if (request.headers.get('if-none-match') === found.etag) return new ResponseClass(null, { status: 304, headers });
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  const body = encoding === 'br' ? found.brotli : encoding === 'gzip' ? found.gzip : found.identity;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  return new ResponseClass(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}
