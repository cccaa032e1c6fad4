import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * In DATA_DIR while `npm start` serves it: where its embedded stores listen. The embedded DynamoDB
 * keeps its data in a LevelDB only one process may open, so a CLI command started beside the
 * server uses the server's stores through this file instead of opening DATA_DIR itself.
 */
export const SHARED_STORAGE_FILE = 'registry.endpoints.json';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The emulators bind to loopback only; a file naming another host was not written by a registry. */
const loopbackUrl = z.url().refine((value) => LOOPBACK_HOSTS.has(new URL(value).hostname), 'not a loopback endpoint');

const sharedStorageSchema = z.object({
  format: z.literal(1),
  pid: z.number().int().positive(),
  engine: z.enum(['dynalite', 'dynamodb-local']),
  dynamodbEndpoint: loopbackUrl,
  s3Endpoint: loopbackUrl,
});

export type SharedStorage = z.infer<typeof sharedStorageSchema>;

const fileIn = (dataDir: string): string => path.join(path.resolve(dataDir), SHARED_STORAGE_FILE);

export interface PublishedStorage {
  /** Removes the file while it is still this process's. */
  withdraw(): Promise<void>;
}

/**
 * Writes the file whole (a temporary file renamed over it, so a reader never sees half of it),
 * readable by this user only: the emulators accept any credentials.
 */
export async function publishSharedStorage(dataDir: string, storage: Omit<SharedStorage, 'format' | 'pid'>): Promise<PublishedStorage> {
  const file = fileIn(dataDir);
  const temporary = `${file}.${process.pid}.tmp`;
  const content: SharedStorage = { format: 1, pid: process.pid, ...storage };
  await writeFile(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return {
    async withdraw() {
      if ((await readSharedStorage(dataDir, process.pid)) !== undefined) await rm(file, { force: true });
    },
  };
}

/** The stores of the process `ownerPid` (the DATA_DIR lock's holder), if it shares them. */
export async function readSharedStorage(dataDir: string, ownerPid: number): Promise<SharedStorage | undefined> {
  let text: string;
  try {
    text = await readFile(fileIn(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sharedStorageSchema.safeParse(value);
  // A file of an earlier holder (killed before it could remove it) names a pid that is not the lock's.
  return parsed.success && parsed.data.pid === ownerPid ? parsed.data : undefined;
}

/** A new holder of the lock removes what a killed one left. */
export async function removeStaleSharedStorage(dataDir: string): Promise<void> {
  await rm(fileIn(dataDir), { force: true });
}
