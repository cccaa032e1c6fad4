import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { js } from '@graphql-yoga/render-graphiql/graphiql';
import { servedGraphiQL, chooseEncoding } from '../../src/server/graphiql-assets.js';
import { useTestRegistry } from '../support/registry-harness.js';

/** Issue 11 item 7: the GraphiQL page is small; its 9 MB of scripts are static, hashed, compressed, cached. */
const t = useTestRegistry({ yoga: { graphiql: servedGraphiQL() } });
const origin = () => new URL(t.url).origin;

const page = () => fetch(t.url, { headers: { accept: 'text/html' } });

describe('GraphiQL page', () => {
  it('is a small HTML page that loads hashed assets', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.length).toBeLessThan(4096);
    const assets = [...html.matchAll(/\/graphiql\/assets\/[\w.-]+\.(?:js|css|ico)/g)].map((m) => m[0]);
    expect(assets.length).toBeGreaterThanOrEqual(5);
    for (const path of assets) {
      const asset = await fetch(origin() + path, { method: 'HEAD' });
      expect(asset.status, path).toBe(200);
    }
  });

  it('serves the script compressed, immutable, with an ETag, and the same bytes as the bundle', async () => {
    const html = await (await page()).text();
    const script = origin() + /\/graphiql\/assets\/graphiql\.[\w-]+\.js/.exec(html)![0];
    // node:http, not fetch: fetch would decode the body and hide what went over the wire.
    const raw = (encoding: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        get(script, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) })).on('error', reject);
        }).on('error', reject);
      });
    const br = await raw('gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.body.length).toBeLessThan(js.length / 3);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(js);
    const gz = await raw('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(js);
    const revalidated = await fetch(script, { headers: { 'if-none-match': String(br.headers.etag) } });
    expect(revalidated.status).toBe(304);
  });

  it('answers 30 concurrent page views without delaying a health probe', async () => {
    await page(); // built once
    const started = performance.now();
    const views = Promise.all(Array.from({ length: 30 }, () => page().then((r) => r.text())));
    const health = await t.gqlAs(undefined, '{ health { status } }');
    const probeMs = performance.now() - started;
    const bodies = await views;
    expect(health.data).toEqual({ health: { status: 'OK' } });
    expect(bodies.every((body) => body.length < 4096)).toBe(true);
    // Generous: today's inlined 9 MB page made this wait 12 s.
    expect(probeMs).toBeLessThan(3000);
  });

  it('404s an unknown asset name', async () => {
    expect((await fetch(`${origin()}/graphiql/assets/graphiql.nope.js`)).status).toBe(404);
  });
});

describe('content negotiation', () => {
  it('prefers brotli, then gzip, and honours q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(null)).toBeUndefined();
    expect(chooseEncoding('*')).toBe('br');
  });
});
