import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { appError, err, ok, type Result } from '../domain/result.js';

/**
 * Opaque, tamper-evident page cursors. A cursor holds only the position a page ended at (an id, a
 * name, a version: values the client saw anyway), never table keys; the store rebuilds the keys from
 * the validated position. It is bound to its query (`scope`) and carries a checksum, so a cursor
 * edited, truncated or taken from another query is refused.
 *
 * Why a checksum and not an HMAC: a cursor grants nothing. Its position only says where a query
 * the caller may run anyway starts, so a forged but valid one reaches exactly what paging would.
 * What matters is that every decoded value is validated (strict zod schemas) before it becomes a
 * key. A signing key would have to be shared by every Lambda container (a per-process random key
 * breaks paging across containers) and rotated: a secret to manage that protects no data.
 */
export const CURSOR_LIMITS = {
  /**
   * Longest cursor accepted, checked before decoding. The longest the API prints holds a 256-character
   * name (at most 3 UTF-8 bytes each) and an id: about 1,150 characters.
   */
  maxLength: 2048,
} as const;

const CHECKSUM_BYTES = 8;

const checksum = (scope: string, body: string): Buffer =>
  createHash('sha256').update(scope).update('\u0000').update(body).digest().subarray(0, CHECKSUM_BYTES);

export function encodeCursor<T>(scope: string, position: T): string {
  const body = JSON.stringify(position);
  return Buffer.concat([checksum(scope, body), Buffer.from(body, 'utf8')]).toString('base64url');
}

/** The position in `cursor`, or BAD_USER_INPUT naming `field` for anything not printed by encodeCursor for this scope. */
export function decodeCursor<S extends z.ZodType>(scope: string, schema: S, cursor: string, field = 'after'): Result<z.output<S>> {
  const bad = err(appError('BAD_USER_INPUT', `${field} is not a cursor of this connection`, { field }));
  if (cursor.length > CURSOR_LIMITS.maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return bad;
  const bytes = Buffer.from(cursor, 'base64url');
  // One spelling per cursor: trailing bits or characters that decode to nothing are refused.
  if (bytes.length <= CHECKSUM_BYTES || bytes.toString('base64url') !== cursor) return bad;
  const body = bytes.subarray(CHECKSUM_BYTES).toString('utf8');
  if (!checksum(scope, body).equals(bytes.subarray(0, CHECKSUM_BYTES))) return bad;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return bad;
  }
  const position = schema.safeParse(parsed);
  return position.success ? ok(position.data) : bad;
}

