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
        adminPassword: DEFAULT_ADMIN_PASSWORD,
      },
    });
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

  it('refuses endpoints that embedded mode would silently ignore', () => {
    const config = loadConfig({ STORAGE: 'embedded', S3_ENDPOINT: 'http://localhost:9000' });
    expect(config).toMatchObject({ ok: false, error: [{ details: { variable: 'S3_ENDPOINT' } }] });
  });

  it('keeps the default password byte for byte', () => {
    expect(DEFAULT_ADMIN_PASSWORD).toBe('correcthorsebatterystaple123(!__+@**(A\'"`;DROP TABLE artifacts;');
  });
});
