import { createHash, randomBytes } from 'node:crypto';
import type { Username } from '../../domain/users/username.js';

/**
 * Tokens read `tmr1.<epoch>.<base64url username>.<secret>`. The epoch and username are hints that
 * let a request find its user while it spends the token; the stored token item (found by the hash
 * of the whole string) is the authority and must agree with them.
 */
export function newToken(epoch: number, username: Username): string {
  return `tmr1.${epoch}.${Buffer.from(username).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

export function tokenHints(token: string): { epoch: number; username: Username } | undefined {
  const match = /^tmr1\.(\d{1,9})\.([A-Za-z0-9_-]{1,100})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? { epoch: Number(match[1]), username: Buffer.from(match[2]!, 'base64url').toString('utf8') as Username } : undefined;
}

/** Only this is stored: a leaked table does not leak usable tokens. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
