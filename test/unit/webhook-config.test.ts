import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { embeddedWebhookKey, WEBHOOK_KEY_FILE } from '../../src/server/webhook-key.js';

describe('webhook configuration', () => {
  it('WEBHOOK_ALLOW_PRIVATE_NETWORKS is off unless true; WEBHOOK_SECRET_KEY is 32 bytes of base64, never echoed', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, value: { webhooks: { allowPrivateNetworks: false } } });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toMatchObject({ ok: true, value: { webhooks: { allowPrivateNetworks: true } } });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }).ok).toBe(false);
    const key = randomBytes(32);
    const parsed = loadConfig({ WEBHOOK_SECRET_KEY: key.toString('base64') });
    expect(parsed.ok && parsed.value.webhooks.secretKey?.equals(key)).toBe(true);
    const refused = loadConfig({ WEBHOOK_SECRET_KEY: 'too-short-secret' });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain('too-short-secret');
  });

  it('embedded mode makes a key once and keeps it in DATA_DIR, readable by its owner only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webhook-key-'));
    try {
      const first = await embeddedWebhookKey(dir);
      expect(first).toHaveLength(32);
      expect((await stat(join(dir, WEBHOOK_KEY_FILE))).mode & 0o777).toBe(0o600);
      expect((await embeddedWebhookKey(dir)).equals(first)).toBe(true);
      expect((await readFile(join(dir, WEBHOOK_KEY_FILE), 'utf8')).trim()).toBe(first.toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
