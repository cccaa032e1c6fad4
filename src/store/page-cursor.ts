import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Opaque page cursors. A cursor carries the DynamoDB key of the last item a client saw, bound to the
 * query that produced it, so a cursor from one query cannot steer another one's reads.
 */
const cursorSchema = z.object({ q: z.string(), k: z.record(z.string(), z.string()) });

/** A short digest stands for the query: enough to tell queries apart, short enough for a URL. */
export const queryDigest = (query: string): string => createHash('sha256').update(query).digest('base64url').slice(0, 12);

export function encodeCursor(digest: string, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ q: digest, k: key })).toString('base64url');
}

export function decodeCursor(digest: string, cursor: string, allowedKeys: readonly string[]): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.q !== digest) return undefined;
  const keys = Object.keys(result.data.k);
  if (keys.length !== allowedKeys.length || !keys.every((key) => allowedKeys.includes(key))) return undefined;
  return result.data.k;
}
