import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM: 32-byte keys, 12-byte nonces, 16-byte tags. */
export const SECRET_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

/**
 * Seals webhook secrets for storage. HMAC signing needs the secret itself, so it cannot be hashed;
 * it is encrypted with a key kept outside the table (WEBHOOK_SECRET_KEY), so a copy of the table
 * or an export alone never yields a usable secret. The webhook id is bound in as associated data:
 * a sealed secret moved onto another webhook item does not open.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new RangeError(`a webhook secret key has ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
  }

  seal(webhookId: string, secret: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(webhookId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${FORMAT}.${nonce.toString('base64url')}.${sealed.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  /** Undefined when the text was sealed under another key or for another webhook, or altered. */
  open(webhookId: string, sealed: string): string | undefined {
    const [format, nonce, data, tag] = sealed.split('.');
    if (format !== FORMAT || nonce === undefined || data === undefined || tag === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(webhookId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
