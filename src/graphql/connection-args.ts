import { appError, err, ok, type Result } from '../domain/result.js';

/** Connections page forward only: DynamoDB keys make `after` cheap, `before`/`last` are not offered. */
export function rejectBackwardPaging(args: { last?: number | null; before?: string | null }): Result<true> {
  if (args.last != null || args.before != null) {
    return err(appError('BAD_USER_INPUT', 'page forward with first/after; last/before are not supported', { field: 'last' }));
  }
  return ok(true);
}

export const historyCursor = (version: number): string => Buffer.from(`v${version}`).toString('base64url');

export function parseHistoryCursor(after: string | null | undefined): Result<number> {
  if (after == null) return ok(0);
  const match = /^v(\d{1,10})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  return match ? ok(Number(match[1])) : err(appError('BAD_USER_INPUT', 'after is not a history cursor', { field: 'after' }));
}
