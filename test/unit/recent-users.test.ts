import { describe, expect, it } from 'vitest';
import { RecentUsers, type UserAndEpoch } from '../../src/application/users/recent-users.js';
import type { Username } from '../../src/domain/users/username.js';
import type { UserState } from '../../src/domain/users/user-events.js';
import { TestClock } from '../support/clock.js';

const user = (version: number, permissions: UserState['permissions'] = ['SEARCH']): UserState => ({
  username: 'u' as Username,
  permissions,
  password: { algorithm: 'scrypt', salt: '', hash: '', N: 1, r: 1, p: 1 },
  version,
  createdAt: '2026-01-01T00:00:00.000Z',
  deleted: false,
  registeredVersion: 1,
});

function setup() {
  const clock = new TestClock(1_000_000);
  const reads: number[] = [];
  let answer: UserAndEpoch = { user: user(1), epoch: 0 };
  const recent = new RecentUsers(async (epoch) => {
    reads.push(epoch);
    return answer;
  }, clock);
  return { clock, reads, recent, answer: (next: UserAndEpoch) => (answer = next) };
}

describe('RecentUsers', () => {
  it('shares one read among concurrent requests and keeps it for less than a second', async () => {
    const { clock, reads, recent } = setup();
    await Promise.all([recent.get(0, 'u' as Username), recent.get(0, 'u' as Username), recent.get(0, 'u' as Username)]);
    expect(reads).toHaveLength(1);
    clock.advance(999);
    await recent.get(0, 'u' as Username);
    expect(reads).toHaveLength(1);
    clock.advance(1);
    await recent.get(0, 'u' as Username);
    expect(reads).toHaveLength(2);
  });

  it('does not keep a failed read, nor trust an entry from the future after the clock went back', async () => {
    const clock = new TestClock(5_000);
    let fail = true;
    let reads = 0;
    const recent = new RecentUsers(async () => {
      reads++;
      if (fail) throw new Error('throttled');
      return { user: undefined, epoch: 0 };
    }, clock);
    await expect(recent.get(0, 'u' as Username)).rejects.toThrow('throttled');
    fail = false;
    await recent.get(0, 'u' as Username);
    clock.advance(-10);
    await recent.get(0, 'u' as Username);
    expect(reads).toBe(3);
  });

  it('takes this process\'s own commits at once, never replacing a newer version with an older one', async () => {
    const { reads, recent } = setup();
    await recent.remember(0, user(3, ['ADMIN']));
    await recent.remember(0, user(2, ['UPLOAD']));
    expect((await recent.get(0, 'u' as Username)).user?.permissions).toEqual(['ADMIN']);
    expect(reads).toHaveLength(0);
    recent.clear();
    expect((await recent.get(0, 'u' as Username)).user?.version).toBe(1);
  });
});
