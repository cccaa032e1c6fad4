import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { blobKeyFor, type ArtifactFile } from '../domain/artifact-files.js';
import type { BlobStore } from './blob-store.js';

/** Archive entries get this fixed time, so equal file lists give byte-identical archives. */
const ENTRY_TIME = new Date('2000-01-01T00:00:00Z');

/**
 * Where the archive of a file list lives: named by the SHA-256 of its sorted (path, digest) pairs,
 * so every artifact with the same files shares one archive, and a changed list gets a new one.
 */
export function packageKeyFor(files: readonly ArtifactFile[]): string {
  const lines = files.map((f) => `${f.sha256} ${f.path}`).sort();
  return `packages/${createHash('sha256').update(lines.join('\n')).digest('hex')}.zip`;
}

/**
 * The whole-package zip of a file list, built into S3 on first request and reused after. The
 * archive streams: each blob is fetched only when the zip writer reaches it, piped through yazl
 * (stored, not deflated: model weights barely compress) into a multipart upload. Nothing holds a
 * whole file or the whole archive in memory.
 */
export async function ensurePackage(blobs: BlobStore, files: readonly ArtifactFile[]): Promise<string> {
  const key = packageKeyFor(files);
  if (await blobs.head(key)) return key;
  // Loaded on first use: most cold starts never build an archive.
  const [{ Upload }, { ZipFile }, { sdk, client }] = await Promise.all([import('@aws-sdk/lib-storage'), import('yazl'), blobs.connection()]);
  const zip = new ZipFile();
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    zip.addReadStreamLazy(file.path, { size: file.size, compress: false, mtime: ENTRY_TIME }, (callback) => {
      client
        .send(new sdk.GetObjectCommand({ Bucket: blobs.bucket, Key: blobKeyFor(file.sha256) }))
        .then((out) => callback(null, out.Body as Readable), (error: Error) => callback(error));
    });
  }
  zip.end();
  const upload = new Upload({ client, params: { Bucket: blobs.bucket, Key: key, Body: zip.outputStream, ContentType: 'application/zip' }, queueSize: 4 });
  // A failing entry makes yazl emit 'error' instead of ending its stream: fail the upload with it.
  const failed = new Promise<never>((_resolve, reject) => zip.on('error', reject));
  try {
    await Promise.race([upload.done(), failed]);
  } catch (error) {
    await upload.abort().catch(() => undefined);
    throw error;
  }
  return key;
}
