import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startStorage } from '../support/registry-harness.js';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { planUiUpload, uploadUi } from '../../scripts/deploy-ui.js';

/** `npm run deploy:ui` against s3rver (never AWS): order, content types and cache headers. */
describe('deploy:ui', () => {
  let storage: EmbeddedStorage;
  let dist: string;
  beforeAll(async () => {
    storage = await startStorage();
    dist = await mkdtemp(path.join(tmpdir(), 'ui-dist-'));
    await mkdir(path.join(dist, 'ui-assets'));
    await writeFile(path.join(dist, 'index.html'), '<script src="/ui-assets/index-AbC123.js"></script>');
    await writeFile(path.join(dist, 'ui-assets/index-AbC123.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'favicon.svg'), '<svg/>');
    await writeFile(path.join(dist, '.source-hash'), 'local stamp');
  });
  afterAll(async () => storage?.close());

  it('uploads hashed assets first with a year of immutable caching and index.html last with no-cache, leaving out dotfiles', async () => {
    const plan = await planUiUpload(dist);
    expect(plan.map((p) => p.key)).toEqual(['ui-assets/index-AbC123.js', 'favicon.svg', 'index.html']);

    const s3 = new S3Client({ region: 'us-east-1', endpoint: storage.s3Endpoint, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'registry-ui-test' }));
    await uploadUi(s3, 'registry-ui-test', plan);
    const asset = await s3.send(new GetObjectCommand({ Bucket: 'registry-ui-test', Key: 'ui-assets/index-AbC123.js' }));
    expect(asset.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(asset.ContentType).toBe('text/javascript; charset=utf-8');
    const index = await s3.send(new GetObjectCommand({ Bucket: 'registry-ui-test', Key: 'index.html' }));
    expect(index.CacheControl).toBe('no-cache');
    expect(await index.Body?.transformToString()).toContain('/ui-assets/index-AbC123.js');
    s3.destroy();
  });

  it('refuses a directory without a build', async () => {
    await expect(planUiUpload(path.join(dist, 'ui-assets'))).rejects.toThrow(/npm run build:ui/);
  });
});
