import { access, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Registry } from '../registry.js';
import { describeRepair, repairStorage, type RepairReport } from '../application/repair.js';
import { removeTornS3rverObjects } from './s3rver-files.js';

/** In DATA_DIR: present only between a clean shutdown and the next start. */
export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';

const markerPath = (dataDir: string): string => path.join(path.resolve(dataDir), CLEAN_SHUTDOWN_FILE);

export interface CrashCheck {
  /** The last process left no marker: it died (or this DATA_DIR is new). */
  readonly crashed: boolean;
}

/**
 * Embedded start-up, before the emulators start: consumes the marker (so a crash during this run,
 * the repair included, is noticed next time) and, after a crash, drops the S3 objects whose
 * metadata a killed write left torn, which s3rver could not even start serving the bucket with.
 */
export async function checkLastShutdown(dataDir: string, log: (line: string) => void = console.log): Promise<CrashCheck> {
  const marker = markerPath(dataDir);
  if (await access(marker).then(() => true, () => false)) {
    await rm(marker, { force: true });
    return { crashed: false };
  }
  log(`no clean-shutdown marker in ${path.dirname(marker)} (first start, or the last process was killed): checking storage before serving`);
  const torn = await removeTornS3rverObjects(path.join(path.dirname(marker), 's3'));
  for (const object of torn) log(`repair: removed S3 object ${object}, whose write was cut short`);
  return { crashed: true };
}

/** After a crash, brings the table back in line with its events before anything is served. */
export async function repairAfterCrash(registry: Registry, check: CrashCheck, log: (line: string) => void = console.log): Promise<RepairReport | undefined> {
  if (!check.crashed) return undefined;
  const report = await repairStorage(registry, log);
  log(describeRepair(report));
  return report;
}

/** The last step of a clean shutdown, after the emulators have flushed and closed. */
export async function markCleanShutdown(dataDir: string): Promise<void> {
  await writeFile(markerPath(dataDir), `${new Date().toISOString()}\n`);
}
