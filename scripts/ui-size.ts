/**
 * First-load size of the web UI: the JavaScript and CSS that index.html loads before any page
 * renders, raw, gzipped and brotli-compressed as src/server/ui-assets.ts serves them, and every
 * lazily loaded chunk. Fails when first-load JavaScript is over the budget (200 KB gzipped).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { compressed } from '../src/server/graphiql-assets.js';
import { UI_DIST_DIR } from '../src/server/ui-assets.js';

export const FIRST_LOAD_JS_BUDGET_BYTES = 200 * 1024;

export interface UiSize {
  readonly firstLoad: { file: string; raw: number; gzip: number; brotli: number }[];
  readonly lazy: { file: string; raw: number; gzip: number }[];
  readonly firstLoadJsGzip: number;
}

export async function measureUiSize(dir: string = UI_DIST_DIR): Promise<UiSize> {
  const html = await readFile(path.join(dir, 'index.html'), 'utf8');
  const referenced = [...html.matchAll(/(?:src|href)="(\/ui-assets\/[^"]+)"/g)].map((m) => m[1]!);
  const measure = async (urlPath: string) => {
    const bytes = await readFile(path.join(dir, urlPath));
    const { gzip, brotli } = await compressed(bytes);
    return { file: urlPath, raw: bytes.length, gzip: gzip.length, brotli: brotli.length };
  };
  const firstLoad = await Promise.all(referenced.map(measure));
  const all = (await readdir(path.join(dir, 'ui-assets'))).map((name) => `/ui-assets/${name}`);
  const lazy = await Promise.all(all.filter((f) => f.endsWith('.js') && !referenced.includes(f)).map(measure));
  const firstLoadJsGzip = firstLoad.filter((f) => f.file.endsWith('.js')).reduce((sum, f) => sum + f.gzip, 0);
  return { firstLoad, lazy, firstLoadJsGzip };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = await measureUiSize();
  console.log('first load (index.html):');
  for (const f of size.firstLoad) console.log(`  ${f.file.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip ${kb(f.brotli).padStart(10)} brotli`);
  console.log('loaded on demand:');
  for (const f of size.lazy) console.log(`  ${f.file.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip`);
  console.log(`first-load JavaScript: ${kb(size.firstLoadJsGzip)} gzipped (budget ${kb(FIRST_LOAD_JS_BUDGET_BYTES)})`);
  if (size.firstLoadJsGzip > FIRST_LOAD_JS_BUDGET_BYTES) process.exitCode = 1;
}
