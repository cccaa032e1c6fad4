import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../domain/result.js';
import { startupFailure, systemErrorCode, type StartupFailure } from './startup-failure.js';

/** In DATA_DIR, holding the pid of the registry process (server or CLI) that uses the directory. */
export const LOCK_FILE_NAME = 'registry.lock';

/** Why the lock was not taken; `heldBy` when a live process holds it (whose shared storage a CLI command may use). */
export interface LockFailure extends StartupFailure {
  readonly heldBy?: number;
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * Makes DATA_DIR the exclusive property of this process. LevelDB (under dynalite) allows one
 * process per directory, and a second one otherwise dies later with an unhelpful "Database is
 * closed". The lock file is created with O_EXCL, so of two processes starting together one wins;
 * a lock whose pid is no longer alive (a crash, a killed process) is stale and taken over.
 */
export async function lockDataDir(dataDir: string): Promise<Result<DataDirLock, LockFailure>> {
  const dir = path.resolve(dataDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    return err(dataDirFailure(dir, error));
  }
  const file = path.join(dir, LOCK_FILE_NAME);
  // Two rounds: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return ok({ file, release: () => releaseLock(file) });
    } catch (error) {
      if (systemErrorCode(error) !== 'EEXIST') return err(dataDirFailure(dir, error));
    }
    const owner = await lockOwner(file);
    if (owner !== undefined && isAlive(owner)) {
      return err({
        ...startupFailure(`another registry process (pid ${owner}) is using DATA_DIR=${dir}`, `stop it first (or, if pid ${owner} is not a registry, delete ${file})`),
        heldBy: owner,
      });
    }
    await unlink(file).catch(() => {});
  }
  return err(startupFailure(`DATA_DIR=${dir} is being locked by another process that is starting`, 'stop it first'));
}

/** The pid in the lock file; an empty file may be one being written right now, so it is read again briefly. */
async function lockOwner(file: string): Promise<number | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const pid = Number.parseInt(text.trim(), 10);
    if (Number.isSafeInteger(pid) && pid > 0) return pid;
    await sleep(50);
  }
  return undefined;
}

/**
 * Signal 0 checks that the process exists without touching it; EPERM means it exists under another
 * user. Our own pid in the file is stale too: containers reuse pids (often 1) across restarts.
 */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return systemErrorCode(error) === 'EPERM';
  }
}

/** Removes the lock only while it is still ours. */
async function releaseLock(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  if (text.trim() === String(process.pid)) await unlink(file).catch(() => {});
}

/** Why DATA_DIR cannot be created or written, and what to do about it. */
export function dataDirFailure(dir: string, error: unknown): StartupFailure {
  const subject = `DATA_DIR=${dir}`;
  const elsewhere = 'set DATA_DIR to a writable directory (it is created if missing)';
  switch (systemErrorCode(error)) {
    case 'EEXIST':
    case 'ENOTDIR':
      return startupFailure(`${subject} is not a directory (a file is in the way)`, `remove that file or ${elsewhere}`);
    case 'EACCES':
    case 'EPERM':
      return startupFailure(`${subject} is not writable by this user`, `fix its permissions or ${elsewhere}`);
    case 'EROFS':
      return startupFailure(`${subject} is on a read-only file system`, elsewhere);
    case 'ENOSPC':
      return startupFailure(`no space left on the device of ${subject}`, `free some space or ${elsewhere}`);
    default:
      return startupFailure(`${subject} cannot be used (${error instanceof Error ? error.message : String(error)})`, elsewhere);
  }
}
