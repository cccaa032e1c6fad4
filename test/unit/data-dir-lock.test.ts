import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, lockDataDir } from '../../src/server/data-dir-lock.js';

/** DATA_DIR holds every password hash (in the emulators' files): its owner's only (issue 25). */
let root: string;
const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'registry-data-dir-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Takes the lock, records what it warned, and gives the lock back. */
async function lockOnce(dir: string): Promise<{ ok: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  const locked = await lockDataDir(dir, (message) => warnings.push(message));
  if (locked.ok) await locked.value.release();
  return { ok: locked.ok, warnings };
}

describe('DATA_DIR permissions', () => {
  it('creates a missing DATA_DIR (and its missing parents) readable by its owner only, whatever the umask', async () => {
    const dir = path.join(root, 'new', 'data');
    expect(await lockOnce(dir)).toEqual({ ok: true, warnings: [] });
    expect(await modeOf(dir)).toBe(0o700);
  });

  it('tightens an existing DATA_DIR open to group or others, saying so; a private one is left alone', async () => {
    const dir = path.join(root, 'open');
    await mkdir(dir);
    await chmod(dir, 0o755);
    const { ok, warnings } = await lockOnce(dir);
    expect(ok).toBe(true);
    expect(warnings).toEqual([`DATA_DIR=${dir} was open to other users (mode 0755); it is now 0700`]);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await lockOnce(dir)).toEqual({ ok: true, warnings: [] });
  });

  it('leaves a DATA_DIR another live process holds as it is', async () => {
    const dir = path.join(root, 'held');
    await mkdir(dir);
    await chmod(dir, 0o755);
    // The test runner's parent: alive, and not this process (whose own pid counts as stale).
    await writeFile(path.join(dir, LOCK_FILE_NAME), `${process.ppid}\n`);
    expect(await lockOnce(dir)).toEqual({ ok: false, warnings: [] });
    expect(await modeOf(dir)).toBe(0o755);
  });
});
