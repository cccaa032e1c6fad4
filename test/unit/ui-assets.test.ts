import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadUiAssets, uiHandler, uiPlugin, type UiHandler } from '../../src/server/ui-assets.js';

async function fakeBuild(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ui-dist-'));
  await mkdir(path.join(dir, 'ui-assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/ui-assets/index-Ab12.js"></script>');
  await writeFile(path.join(dir, 'ui-assets', 'index-Ab12.js'), 'console.log("ui");'.repeat(100));
  await writeFile(path.join(dir, 'favicon.svg'), '<svg/>');
  await writeFile(path.join(dir, '.source-hash'), 'abc\n');
  return dir;
}

const get = (handler: UiHandler, pathname: string, init: RequestInit = {}) => handler(new Request(`http://registry.test${pathname}`, init));

describe('the web UI handler', () => {
  it('answers every client-side page with index.html, revalidated and with a content security policy', async () => {
    const handler = uiHandler((await loadUiAssets(await fakeBuild()))!);
    for (const page of ['/', '/sign-in', '/browse', '/browse/TW9kZWw6MDE%3D', '/register', '/admin', '/status', '/browse/']) {
      const response = get(handler, page)!;
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets compressed and cached for a year, and 304 for a held version', async () => {
    const handler = uiHandler((await loadUiAssets(await fakeBuild()))!);
    const response = get(handler, '/ui-assets/index-Ab12.js', { headers: { 'accept-encoding': 'gzip, br' } })!;
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString()).toBe('console.log("ui");'.repeat(100));
    const etag = response.headers.get('etag')!;
    expect(get(handler, '/ui-assets/index-Ab12.js', { headers: { 'if-none-match': etag } })!.status).toBe(304);
    expect(get(handler, '/favicon.svg')!.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('leaves the API, the REST paths, other methods and the build stamp alone, and 404s unknown assets', async () => {
    const handler = uiHandler((await loadUiAssets(await fakeBuild()))!);
    for (const apiPath of ['/graphql', '/health', '/artifacts', '/artifact/model/1', '/reset', '/authenticate', '/tracks', '/.source-hash', '/index.html', '/browse/a/b']) {
      expect(get(handler, apiPath), apiPath).toBeUndefined();
    }
    expect(get(handler, '/', { method: 'POST', body: '{}' })).toBeUndefined();
    expect(get(handler, '/ui-assets/missing.js')!.status).toBe(404);
  });

  it('is absent without a build, and then / redirects to GraphiQL', async () => {
    expect(await loadUiAssets(path.join(tmpdir(), 'no-such-ui-build'))).toBeUndefined();
    let ended: Response | undefined;
    const onRequest = uiPlugin(undefined).onRequest as (payload: { request: Request; endResponse(r: Response): void }) => void;
    onRequest({ request: new Request('http://registry.test/'), endResponse: (r) => (ended = r) });
    expect(ended?.status).toBe(302);
    expect(ended?.headers.get('location')).toBe('/graphql');
  });
});
