/**
 * Builds the web UI (ui/) into ui/dist, where src/server/ui-assets.ts serves it from. Run by
 * `npm ci` (prepare) and, with --if-stale, by `npm start`: it then rebuilds only when the UI's
 * sources, the schema or the lockfile changed since the last build (a hash kept in ui/dist).
 * Without the dev dependencies (`npm ci --omit=dev`) there is nothing to build with: it says so and
 * the registry serves the API alone.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UI = path.join(ROOT, 'ui');
const STAMP = path.join(UI, 'dist', '.source-hash');
/** Generated from the schema by gql.tada; the schema itself is in the hash. */
const GENERATED = new Set(['dist', 'node_modules', 'graphql-env.d.ts']);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.filter((e) => !GENERATED.has(e.name)).map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : Promise.resolve([path.join(dir, e.name)]))));
  return nested.flat().sort();
}

export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...(await sourceFiles(UI)), path.join(ROOT, 'schema/schema.graphql'), path.join(ROOT, 'package-lock.json')]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const ifStale = process.argv.includes('--if-stale');
  const hash = await sourceHash();
  const built = (await readFile(STAMP, 'utf8').catch(() => '')).trim();
  if (ifStale && built === hash) return;
  // Always the production build: run from a test (NODE_ENV=test) Vite would bundle React's
  // development build, three times the size.
  process.env['NODE_ENV'] = 'production';
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    console.warn('web UI not built: Vite is not installed (dev dependencies omitted); the API is served without it');
    return;
  }
  console.log(ifStale && built ? 'web UI sources changed: rebuilding ui/dist' : 'building the web UI into ui/dist');
  // The operations' types come from schema/schema.graphql through this generated file.
  execFileSync(path.join(ROOT, 'node_modules/.bin/gql-tada'), ['generate', 'output', '--tsconfig', path.join(UI, 'tsconfig.json')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  await vite.build({ configFile: path.join(UI, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  await writeFile(STAMP, `${hash}\n`);
}

await main();
