import type { WriteStream } from 'node:fs';
import { chmod, mkdir, open } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files and directories only their owner may read: an export holds every password hash. The mode
 * is set explicitly after creation, since the one given to open or mkdir is masked by the umask and
 * ignored for a file or directory that already exists.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `file` (or truncates it, before writing anything) readable and writable by its owner only. */
export async function createPrivateFile(file: string, encoding?: BufferEncoding): Promise<WriteStream> {
  const handle = await open(file, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createWriteStream(encoding === undefined ? {} : { encoding });
}

/**
 * A directory tree the owner's only, created or tightened once per run. The root is made so when
 * it is created; an existing root is left as it is (it may be the operator's own, even `.`), since
 * what goes under it goes into directories below it, which are tightened either way.
 */
export class PrivateTree {
  private readonly done = new Set<string>();

  constructor(private readonly root: string) {}

  /** The root and every directory down to `dir`, one of the root or below it. */
  async ensure(dir: string): Promise<void> {
    const relative = path.relative(this.root, dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`${dir} is not under ${this.root}`);
    if (!this.done.has(this.root)) {
      if ((await mkdir(this.root, { recursive: true })) !== undefined) await chmod(this.root, PRIVATE_DIR_MODE);
      this.done.add(this.root);
    }
    let current = this.root;
    for (const part of relative.split(path.sep).filter((segment) => segment !== '')) {
      current = path.join(current, part);
      if (this.done.has(current)) continue;
      await mkdir(current, { recursive: true, mode: PRIVATE_DIR_MODE });
      await chmod(current, PRIVATE_DIR_MODE);
      this.done.add(current);
    }
  }
}
