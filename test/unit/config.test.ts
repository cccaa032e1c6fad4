import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_PASSWORD, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('defaults to embedded storage with the documented values', () => {
    expect(loadConfig({})).toMatchObject({
      ok: true,
      value: {
        port: 4000,
        dataDir: './.data',
        storage: 'embedded',
        tableName: 'registry',
        bucketName: 'registry-blobs',
        hfEndpoint: 'https://huggingface.co',
        githubApiUrl: 'https://api.github.com',
      },
    });
  });

  it('leaves ADMIN_PASSWORD absent when unset (the default in every spelling), and takes it when set', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, value: expect.not.objectContaining({ adminPassword: expect.anything() }) });
    expect(loadConfig({ ADMIN_PASSWORD: 'a long chosen secret' })).toMatchObject({ ok: true, value: { adminPassword: 'a long chosen secret' } });
  });

  it('defaults to aws storage on Lambda and takes external endpoints', () => {
    const config = loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'registry-api', DYNAMODB_ENDPOINT: 'http://localhost:8000' });
    expect(config).toMatchObject({ ok: true, value: { storage: 'aws', dynamodbEndpoint: 'http://localhost:8000' } });
  });

  it('names every bad variable, and never echoes a secret', () => {
    const config = loadConfig({ PORT: '99999', STORAGE: 'disk', BUCKET_NAME: 'Bad_Bucket', HF_ENDPOINT: 'ftp://x', ADMIN_PASSWORD: '' });
    expect(config.ok).toBe(false);
    if (config.ok) return;
    expect(config.error.map((e) => e.details?.['variable'])).toEqual(['PORT', 'STORAGE', 'BUCKET_NAME', 'HF_ENDPOINT']);
    for (const problem of config.error) expect(problem.message.startsWith(String(problem.details?.['variable']))).toBe(true);
  });

  it('takes HOST, and names the range for any bad PORT', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, value: { host: '127.0.0.1' } });
    expect(loadConfig({ HOST: '0.0.0.0' })).toMatchObject({ ok: true, value: { host: '0.0.0.0' } });
    expect(loadConfig({ HOST: 'http://example.com' })).toMatchObject({ ok: false, error: [{ details: { variable: 'HOST' } }] });
    for (const port of ['99999', '-1', '40.5', 'forty']) {
      const config = loadConfig({ PORT: port });
      expect(config).toMatchObject({ ok: false, error: [{ message: expect.stringContaining('PORT: must be a whole number from 0 to 65535') }] });
    }
  });

  it('refuses endpoints that embedded mode would silently ignore', () => {
    const config = loadConfig({ STORAGE: 'embedded', S3_ENDPOINT: 'http://localhost:9000' });
    expect(config).toMatchObject({ ok: false, error: [{ details: { variable: 'S3_ENDPOINT' } }] });
  });

  it('reads login limits, defaulting to the documented values, and names a bad one', () => {
    expect(loadConfig({})).toMatchObject({
      ok: true,
      value: { logins: { hashConcurrency: 2, hashQueue: 8, addressBurst: 20, addressPerMinute: 60, maxTrackedAddresses: 10_000 } },
    });
    expect(loadConfig({ LOGIN_HASH_CONCURRENCY: '3', LOGIN_HASH_QUEUE: '0', LOGIN_RATE_BURST: '5', LOGIN_RATE_PER_MINUTE: '10' })).toMatchObject({
      ok: true,
      value: { logins: { hashConcurrency: 3, hashQueue: 0, addressBurst: 5, addressPerMinute: 10 } },
    });
    expect(loadConfig({ LOGIN_HASH_CONCURRENCY: '0' })).toMatchObject({ ok: false, error: [{ details: { variable: 'LOGIN_HASH_CONCURRENCY' } }] });
    expect(loadConfig({ LOGIN_RATE_PER_MINUTE: 'fast' })).toMatchObject({ ok: false, error: [{ details: { variable: 'LOGIN_RATE_PER_MINUTE' } }] });
  });

  it('reads file limits, defaulting to the documented values, and names a bad one', () => {
    expect(loadConfig({})).toMatchObject({
      ok: true,
      value: { files: { maxUploadBytes: 5 * 1024 ** 3, maxArtifactBytes: 50 * 1024 ** 3, maxInlineUploadBytes: 5 * 1024 ** 2, maxMirrorBytes: 20 * 1024 ** 3, uploadUrlTtlSeconds: 900, downloadUrlTtlSeconds: 300 } },
    });
    expect(loadConfig({ MAX_INLINE_UPLOAD_BYTES: '1024', DOWNLOAD_URL_TTL_SECONDS: '60' })).toMatchObject({ ok: true, value: { files: { maxInlineUploadBytes: 1024, downloadUrlTtlSeconds: 60 } } });
    const bad = loadConfig({ MAX_UPLOAD_BYTES: '6000000000', MAX_MIRROR_BYTES: 'lots', UPLOAD_URL_TTL_SECONDS: '0' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.map((e) => e.details?.['variable'])).toEqual(['MAX_UPLOAD_BYTES', 'MAX_MIRROR_BYTES', 'UPLOAD_URL_TTL_SECONDS']);
  });

  it('reads how long a health check answers, 1 s by default', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, value: { health: { componentCacheMs: 1000 } } });
    expect(loadConfig({ HEALTH_CACHE_MS: '0' })).toMatchObject({ ok: true, value: { health: { componentCacheMs: 0 } } });
    expect(loadConfig({ HEALTH_CACHE_MS: '-1' })).toMatchObject({ ok: false, error: [{ details: { variable: 'HEALTH_CACHE_MS' } }] });
  });

  it('keeps the default password byte for byte', () => {
    expect(DEFAULT_ADMIN_PASSWORD).toBe('correcthorsebatterystaple123(!__+@**(A\'"`;DROP TABLE artifacts;');
  });
});
