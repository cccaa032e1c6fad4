import { rm, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import type { Registry } from '../registry.js';
import { describeRepair, repairStorage, type RepairReport } from '../application/repair.js';

/** In DATA_DIR: present only between a clean shutdown and the next start. */
export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';

const markerPath = (dataDir: string): string => path.join(path.resolve(dataDir), CLEAN_SHUTDOWN_FILE);

/**
 * Embedded start-up: without the marker the last process died (or this DATA_DIR is new), and
 * storage is repaired before anything is served. The marker is removed first, so a crash during
 * this run (the repair included) is noticed by the next start.
 */
export async function repairAfterCrash(registry: Registry, dataDir: string, log: (line: string) => void = console.log): Promise<RepairReport | undefined> {
  const marker = markerPath(dataDir);
  const clean = await access(marker).then(() => true, () => false);
  if (clean) {
    await rm(marker, { force: true });
    return undefined;
  }
  log(`no clean-shutdown marker in ${path.dirname(marker)} (first start, or the last process was killed): checking storage before serving`);
  const report = await repairStorage(registry, log);
  log(describeRepair(report));
  return report;
}

/** The last step of a clean shutdown, after the emulators have flushed and closed. */
export async function markCleanShutdown(dataDir: string): Promise<void> {
  await writeFile(markerPath(dataDir), `${new Date().toISOString()}\n`);
}
