import { chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
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
export async function lockDataDir(dataDir: string, warn: (message: string) => void = (message) => console.warn(`WARNING: ${message}`)): Promise<Result<DataDirLock, LockFailure>> {
  const dir = path.resolve(dataDir);
  let created: boolean;
  try {
    created = (await mkdir(dir, { recursive: true })) !== undefined;
    if (created) await chmod(dir, DATA_DIR_MODE);
  } catch (error) {
    return err(dataDirFailure(dir, error));
  }
  const file = path.join(dir, LOCK_FILE_NAME);
  // Two rounds: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    let taken = false;
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      taken = true;
    } catch (error) {
      if (systemErrorCode(error) !== 'EEXIST') return err(dataDirFailure(dir, error));
    }
    if (taken) {
      // Only the holder: a process refused the directory leaves it to the one that uses it.
      if (!created) await keepPrivate(dir, warn);
      return ok({ file, release: () => releaseLock(file) });
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

/** DATA_DIR holds the emulators' data, every password hash among it: its owner's only. */
export const DATA_DIR_MODE = 0o700;

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

/**
 * An existing DATA_DIR open to group or others (made by hand, or by a version that did not create
 * it private) loses that access, with a warning saying so: nothing of the registry's is meant for
 * other users. When it cannot be tightened (another user owns it), the warning says that instead.
 */
async function keepPrivate(dir: string, warn: (message: string) => void): Promise<void> {
  // Windows reports made-up mode bits and keeps access in ACLs instead.
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = (await stat(dir)).mode & 0o777;
  } catch {
    // The lock file was just written in it: only a removal racing this start fails here, and then
    // the start fails on its own.
    return;
  }
  if ((mode & 0o077) === 0) return;
  try {
    await chmod(dir, mode & DATA_DIR_MODE);
    warn(`DATA_DIR=${dir} was open to other users (mode ${octal(mode)}); it is now ${octal(mode & DATA_DIR_MODE)}`);
  } catch (error) {
    warn(`DATA_DIR=${dir} is open to other users (mode ${octal(mode)}) and could not be changed (${systemErrorCode(error) ?? String(error)}); make it ${octal(DATA_DIR_MODE)}`);
  }
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
