import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/store/backoff.js';
import { untilProcessed } from '../../src/store/batch.js';

const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

describe('untilProcessed', () => {
  it('sends the leftovers again until none is left', async () => {
    const sent: string[][] = [];
    // The batch API leaves the last request unprocessed twice, as under throttling.
    await untilProcessed(['a', 'b', 'c'], async (batch) => {
      sent.push([...batch]);
      return sent.length < 3 ? batch.slice(-1) : [];
    }, 'test', FAST);
    expect(sent).toEqual([['a', 'b', 'c'], ['c'], ['c']]);
  });

  it('gives up after the policy\'s attempts instead of looping forever', async () => {
    let calls = 0;
    const forever = untilProcessed(['a'], async (batch) => {
      calls += 1;
      return batch;
    }, 'stuck batch', FAST);
    await expect(forever).rejects.toThrow(/stuck batch: 1 requests still unprocessed after 4 tries/);
    expect(calls).toBe(4);
  });

  it('sends nothing for an empty batch', async () => {
    await untilProcessed([], async () => {
      throw new Error('no call expected');
    }, 'empty');
  });
});

describe('backoffDelayMs', () => {
  it('doubles its cap per retry up to the maximum, with full jitter below it', () => {
    const policy = { attempts: 10, baseDelayMs: 10, maxDelayMs: 300 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(policy, retry, () => 1))).toEqual([10, 20, 40, 80, 160, 300]);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });
});
