import type { Brand } from './ids.js';
import { appError, err, ok, type Result } from './result.js';

/** A file of an artifact as the projection keeps it; the bytes live in S3 under `blobKeyFor(sha256)`. */
export interface ArtifactFile {
  readonly path: FilePath;
  readonly size: number;
  readonly sha256: Sha256Hex;
  readonly contentType: string;
}

export type FilePath = Brand<string, 'FilePath'>;
export type Sha256Hex = Brand<string, 'Sha256Hex'>;

export type MirrorState = 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface MirrorStatus {
  readonly state: MirrorState;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  /** Why a mirror failed; null otherwise. */
  readonly error: string | null;
}

/**
 * At most this many files per artifact: the file list lives in the projection item (400 KB item
 * limit, and listing pages read whole items), so it must stay bounded.
 */
export const MAX_FILES_PER_ARTIFACT = 1000;
const MAX_PATH_LENGTH = 256;

/** Content-addressed key of a blob: equal bytes are stored once, whatever artifact or path holds them. */
export const blobKeyFor = (sha256: Sha256Hex): string => `blobs/sha256/${sha256}`;

/**
 * A relative, normalized path: segments of printable characters separated by single `/`, none of
 * them `.` or `..`, no leading `/` and no backslash (so no path means something else on Windows).
 */
export function parseFilePath(raw: string, field = 'path'): Result<FilePath> {
  const bad = (why: string) => err(appError('BAD_USER_INPUT', `${field} ${why}`, { field }));
  if (raw.length === 0 || raw.length > MAX_PATH_LENGTH) return bad(`must be 1-${MAX_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return bad('must not contain control characters or backslashes');
  if (raw.startsWith('/') || /^[a-zA-Z]:/.test(raw)) return bad('must be relative, not absolute');
  for (const segment of raw.split('/')) {
    if (segment === '') return bad('must not contain empty segments (// or a trailing /)');
    if (segment === '.' || segment === '..') return bad('must not contain . or .. segments');
  }
  return ok(raw as FilePath);
}

export function parseSha256(raw: string, field = 'sha256'): Result<Sha256Hex> {
  const lower = raw.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(lower)) return err(appError('BAD_USER_INPUT', `${field} must be 64 hex digits (SHA-256)`, { field }));
  return ok(lower as Sha256Hex);
}

const CONTENT_TYPE = /^[a-zA-Z0-9!#$&^_.+-]+\/[a-zA-Z0-9!#$&^_.+-]+(\s*;\s*[a-zA-Z0-9!#$&^_.+-]+=("[^"]*"|[a-zA-Z0-9!#$&^_.+-]+))*$/;

export function parseContentType(raw: string | null | undefined): Result<string> {
  const value = raw?.trim() || 'application/octet-stream';
  if (value.length > 200 || !CONTENT_TYPE.test(value)) return err(appError('BAD_USER_INPUT', 'contentType must be a MIME type such as text/plain', { field: 'contentType' }));
  return ok(value);
}

/** The bytes an artifact stores: each distinct blob once (two paths with equal content are one blob). */
export function storedBytes(files: readonly ArtifactFile[]): number {
  const sizes = new Map<string, number>();
  for (const file of files) sizes.set(file.sha256, file.size);
  let total = 0;
  for (const size of sizes.values()) total += size;
  return total;
}

/** Files after adding `file`: a path added again replaces its old entry. */
export function withFile(files: readonly ArtifactFile[], file: ArtifactFile): ArtifactFile[] {
  return [...files.filter((f) => f.path !== file.path), file];
}

/**
 * Checks that adding `file` keeps the artifact within its limits. PAYLOAD_TOO_LARGE is the
 * contract's code for size limits.
 */
export function checkFileFits(files: readonly ArtifactFile[], file: Pick<ArtifactFile, 'path' | 'size' | 'sha256'>, limits: { maxFileBytes: number; maxArtifactBytes: number }): Result<true> {
  if (file.size > limits.maxFileBytes) {
    return err(appError('PAYLOAD_TOO_LARGE', `${file.path} is ${file.size} bytes; the limit per file is ${limits.maxFileBytes}`, { limit: limits.maxFileBytes, size: file.size }));
  }
  const after = withFile(files, { ...file, contentType: '' });
  if (after.length > MAX_FILES_PER_ARTIFACT) {
    return err(appError('PAYLOAD_TOO_LARGE', `an artifact holds at most ${MAX_FILES_PER_ARTIFACT} files`, { limit: MAX_FILES_PER_ARTIFACT }));
  }
  const total = storedBytes(after);
  if (total > limits.maxArtifactBytes) {
    return err(appError('PAYLOAD_TOO_LARGE', `the artifact would store ${total} bytes; the limit is ${limits.maxArtifactBytes}`, { limit: limits.maxArtifactBytes, size: total }));
  }
  return ok(true);
}
