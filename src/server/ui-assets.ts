import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { assetResponse, compressed, IMMUTABLE, type StaticAsset } from './graphiql-assets.js';

/**
 * The web UI (ui/, built by Vite into ui/dist) served by this process: hashed assets cached for a
 * year, compressed once at start, and index.html for every page path of the client-side router.
 * A fetch-style handler, so any router (yoga's plugin hook today) can mount it in a few lines.
 */

export const UI_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui/dist');

/** Where Vite puts the hashed files (ui/vite.config.ts `assetsDir`); no API or REST path starts so. */
export const UI_ASSET_PREFIX = '/ui-assets/';

/**
 * Page paths of the client-side router (ui/src/router.tsx); each answers index.html. Chosen apart
 * from the course REST paths (/artifacts, /artifact/..., /health, /reset, /authenticate, /tracks).
 */
const PAGE_PATH = /^\/(?:|sign-in|browse|browse\/[^/]+|register|admin|status)\/?$/;

/** index.html must be revalidated, so a new build's asset names reach browsers at once. */
const HTML_CACHE = 'no-cache';
const OTHER_FILE_CACHE = 'public, max-age=3600';

/**
 * Scripts only from this origin; styles inline too (React Aria positions popovers with style
 * attributes); connections anywhere, because uploads PUT straight to the bucket's presigned URL.
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https: http:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface UiAssets {
  /** By URL path: `/index.html`, `/favicon.svg`, `/ui-assets/index-AbC.js`. */
  readonly files: ReadonlyMap<string, StaticAsset>;
  readonly index: StaticAsset;
}

export type UiHandler = (request: Request) => Response | undefined;

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : Promise.resolve([`${prefix}${e.name}`]))));
  return nested.flat();
}

/** Reads and compresses a build; undefined when there is none (the UI was never built). */
export async function loadUiAssets(dir: string = UI_DIST_DIR): Promise<UiAssets | undefined> {
  let names: string[];
  try {
    names = await listFiles(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!names.includes('index.html')) return undefined;
  const files = new Map<string, StaticAsset>();
  await Promise.all(
    names
      .filter((name) => !name.startsWith('.'))
      .map(async (name) => {
        const identity = await readFile(path.join(dir, name));
        const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 16);
        const contentType = CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream';
        files.set(`/${name}`, { name, contentType, identity, ...(await compressed(identity)), etag: `"${hash}"` });
      }),
  );
  return { files, index: files.get('/index.html')! };
}

/** Answers the UI's pages and files; anything else is left to the API (undefined). */
export function uiHandler(assets: UiAssets): UiHandler {
  return (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const pathname = new URL(request.url).pathname;
    if (PAGE_PATH.test(pathname)) return assetResponse(request, assets.index, HTML_CACHE, Response, PAGE_HEADERS);
    const file = pathname === '/index.html' ? undefined : assets.files.get(pathname);
    if (file) return assetResponse(request, file, pathname.startsWith(UI_ASSET_PREFIX) ? IMMUTABLE : OTHER_FILE_CACHE);
    if (pathname.startsWith(UI_ASSET_PREFIX)) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return undefined;
  };
}

/**
 * Mounts a fetch-style handler in front of yoga. Without a UI, `/` sends browsers to GraphiQL
 * rather than to an empty 404.
 */
export function uiPlugin(handler: UiHandler | undefined): Plugin {
  return {
    onRequest: ({ request, endResponse }) => {
      const answer = handler?.(request);
      if (answer) return endResponse(answer);
      if ((request.method === 'GET' || request.method === 'HEAD') && new URL(request.url).pathname === '/') {
        endResponse(new Response(null, { status: 302, headers: { location: '/graphql' } }));
      }
    },
  };
}
