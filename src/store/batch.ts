import { backoff, type RetryPolicy } from './backoff.js';

/**
 * BatchGetItem and BatchWriteItem answer with the keys or items DynamoDB did not get to
 * (throttling, the 16 MB answer cap). They are sent again, a bounded number of times with backoff;
 * a batch still unfinished after that fails loudly rather than report an item as absent.
 */
export const DEFAULT_BATCH_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 25, maxDelayMs: 1_000 };

/**
 * Runs `send` on `requests`, then on whatever it returns as unprocessed, until nothing is left.
 * `send` keeps what it got (found items) itself; only the leftovers come back.
 */
export async function untilProcessed<T>(
  requests: readonly T[],
  send: (batch: readonly T[]) => Promise<readonly T[]>,
  what: string,
  policy: RetryPolicy = DEFAULT_BATCH_RETRY,
): Promise<void> {
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > policy.attempts) throw new Error(`${what}: ${pending.length} requests still unprocessed after ${policy.attempts} tries`);
    if (attempt > 1) await backoff(policy, attempt - 1);
    pending = await send(pending);
  }
}
