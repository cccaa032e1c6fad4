import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** s3rver keeps each object as `<name>._S3rver_object` beside `<name>._S3rver_metadata.json` (and `.md5`). */
const METADATA_SUFFIX = '._S3rver_metadata.json';
const OBJECT_SUFFIX = '._S3rver_object';

/**
 * Removes the objects whose metadata file a killed PutObject left unreadable (empty or cut short).
 * s3rver parses the metadata of up to 1,000 keys on every HeadBucket and ListObjects, so one such
 * file makes the bucket answer 500 to everything, and start-up fails at its first HeadBucket. The
 * put was never acknowledged, so its object is dropped, not guessed at. Returns the removed files'
 * object paths, relative to `s3Dir`.
 */
export async function removeTornS3rverObjects(s3Dir: string): Promise<string[]> {
  const entries = await readdir(s3Dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(METADATA_SUFFIX)) continue;
    const metadataFile = path.join(entry.parentPath, entry.name);
    if (parsesAsJson(await readFile(metadataFile, 'utf8').catch(() => ''))) continue;
    const base = metadataFile.slice(0, -METADATA_SUFFIX.length);
    await Promise.all([metadataFile, `${base}${OBJECT_SUFFIX}`, `${base}${OBJECT_SUFFIX}.md5`].map((file) => rm(file, { force: true })));
    removed.push(path.relative(s3Dir, base));
  }
  return removed;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
