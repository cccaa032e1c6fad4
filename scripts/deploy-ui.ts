/**
 * Uploads the built web UI (ui/dist) to the stack's UI bucket, which CloudFront serves through
 * origin access control (serverless.yml, UiDistribution):
 *
 *   npm run build:ui && npm run deploy:ui -- --bucket <UiBucketName output> [--region us-east-1] [--dry-run]
 *
 * Hashed files go first with a year's immutable caching, index.html last with `no-cache`, so a
 * browser never receives a page naming assets not yet uploaded. Old hashed files stay: a tab opened
 * before the deploy still loads its chunks. Runs with the operator's AWS credentials; no test
 * calls AWS (test/deploy/deploy-ui.test.ts uploads to s3rver).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CONTENT_TYPES, UI_ASSET_PREFIX, UI_DIST_DIR } from '../src/server/ui-assets.js';

export interface UiUpload {
  readonly key: string;
  readonly file: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`])));
  return nested.flat();
}

/** What to upload, in upload order: hashed assets, other files, index.html last. */
export async function planUiUpload(dir: string = UI_DIST_DIR): Promise<UiUpload[]> {
  // Dotfiles (the build's .source-hash stamp) are local bookkeeping, not part of the site.
  const keys = (await listFiles(dir)).filter((key) => !path.basename(key).startsWith('.'));
  if (!keys.includes('index.html')) throw new Error(`${dir} holds no index.html: run \`npm run build:ui\` first`);
  const rank = (key: string) => (key === 'index.html' ? 2 : `/${key}`.startsWith(UI_ASSET_PREFIX) ? 0 : 1);
  return keys
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((key) => ({
      key,
      file: path.join(dir, key),
      contentType: CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream',
      cacheControl: key === 'index.html' ? 'no-cache' : `/${key}`.startsWith(UI_ASSET_PREFIX) ? IMMUTABLE : 'public, max-age=3600',
    }));
}

export async function uploadUi(client: S3Client, bucket: string, plan: readonly UiUpload[]): Promise<void> {
  for (const item of plan) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: item.key, Body: await readFile(item.file), ContentType: item.contentType, CacheControl: item.cacheControl }));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { bucket: { type: 'string' }, region: { type: 'string' }, 'dry-run': { type: 'boolean' }, dir: { type: 'string' } } });
  const bucket = values.bucket ?? process.env['UI_BUCKET'];
  if (!bucket) throw new Error('name the UI bucket: --bucket <UiBucketName from `npx osls info --verbose`> (or UI_BUCKET)');
  const plan = await planUiUpload(values.dir ?? UI_DIST_DIR);
  for (const item of plan) console.log(`${values['dry-run'] ? 'would put' : 'put'} s3://${bucket}/${item.key}  ${item.contentType}  ${item.cacheControl}`);
  if (values['dry-run']) return;
  await uploadUi(new S3Client({ region: values.region ?? process.env['AWS_REGION'] ?? 'us-east-1' }), bucket, plan);
  console.log(`uploaded ${plan.length} files to s3://${bucket}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
