import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SECRET_KEY_BYTES } from '../application/webhooks/secret-box.js';

export const WEBHOOK_KEY_FILE = 'webhook-secret.key';

/**
 * The key that encrypts webhook secrets in embedded mode when WEBHOOK_SECRET_KEY is unset: made
 * once, kept in DATA_DIR (mode 0600, beside the data it protects, as the emulators' files are), so
 * webhooks keep working across restarts. Deleting the file makes every stored secret unusable
 * (deliveries fail until the webhooks are created again).
 */
export async function embeddedWebhookKey(dataDir: string): Promise<Buffer> {
  const file = path.join(path.resolve(dataDir), WEBHOOK_KEY_FILE);
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
    if (key.length === SECRET_KEY_BYTES) return key;
    throw new Error(`${file} does not hold a ${SECRET_KEY_BYTES}-byte base64 key; set WEBHOOK_SECRET_KEY or remove the file`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(SECRET_KEY_BYTES);
  // `wx`: never replaces a key another process wrote meanwhile (DATA_DIR is locked, but be sure).
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
