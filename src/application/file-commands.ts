import { createHash, randomUUID } from 'node:crypto';
import {
  blobKeyFor,
  checkFileFits,
  parseContentType,
  parseFilePath,
  parseSha256,
  type ArtifactFile,
  type FilePath,
  type Sha256Hex,
} from '../domain/artifact-files.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { newUlid, type ActorId, type ArtifactId } from '../domain/ids.js';
import type { RecordId } from '../domain/history.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { FileLimits } from '../config.js';
import type { BlobStore } from '../store/blob-store.js';
import type { Presigner, PresignedPut } from '../store/presigner.js';
import { ensurePackage, packageKeyFor } from '../store/package-archive.js';
import { isLiveRef, type ArtifactCommands, type DeleteInput } from './artifact-commands.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactRef } from '../domain/global-id.js';
import type { Clock } from './clock.js';
import type { RegistryStore } from './registry-store.js';
import { releaseUnheld } from './blob-release.js';

export interface CreateUploadInput {
  readonly artifactId: ArtifactId;
  /** The type the caller names the artifact by: another type's id names nothing. */
  readonly artifactType: ArtifactType;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType?: string | null;
}

export interface UploadTicket extends PresignedPut {
  readonly uploadId: string;
  readonly expiresAt: string;
}

export interface InlineUploadInput {
  readonly artifactId: ArtifactId;
  readonly artifactType: ArtifactType;
  readonly path: string;
  readonly contentType?: string | null;
  readonly bytes: Uint8Array;
}

/**
 * Verified bytes in a staging key, to be moved to their content address. `ifMatch` pins the copy
 * to the version that was verified, when the key is one a client can still write (the upload URL's).
 */
export interface StagedBytes {
  readonly fromStaging: string;
  readonly ifMatch?: string;
}

const UPLOAD_CHANGED = 'the uploaded object changed while it was being completed; upload again';

/** A file and the artifact that holds it. */
export type HeldFile = ArtifactFile & { readonly artifactId: ArtifactId };

export const stagingKeyFor = (uploadId: string): string => `staging/${uploadId}`;

/** Staging objects older than this were abandoned (the bucket's lifecycle rule says the same on AWS). */
export const STAGING_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Package archives are a cache: older ones are dropped and rebuilt on the next request. */
export const PACKAGE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Files of artifacts: uploads (presigned PUT to staging, then verified and moved to the blob's
 * content address), small inline uploads, download URLs, and letting go of blobs. Every change is
 * one event appended through ArtifactCommands.
 */
export class FileCommands {
  constructor(
    private readonly commands: ArtifactCommands,
    private readonly store: RegistryStore,
    private readonly blobs: BlobStore,
    private readonly presigner: Presigner,
    private readonly limits: FileLimits,
    private readonly clock: Clock,
  ) {}

  async createUploadUrl(input: CreateUploadInput, actor: ActorId): Promise<Result<UploadTicket>> {
    const described = this.describe(input.path, input.sha256, input.contentType);
    if (!described.ok) return described;
    const { path, sha256, contentType } = described.value;
    if (!Number.isSafeInteger(input.size) || input.size < 0) return err(appError('BAD_USER_INPUT', 'size must be a non-negative integer', { field: 'size' }));
    const state = await this.store.loadCurrent(input.artifactId);
    if (!isLiveRef(state, { id: input.artifactId, type: input.artifactType })) return err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)', { field: 'artifactId' }));
    const fits = checkFileFits(state.files, { path, size: input.size, sha256 }, this.uploadLimits());
    if (!fits.ok) return fits;

    const uploadId = randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + this.limits.uploadUrlTtlSeconds * 1000).toISOString();
    const presigned = await this.presigner.put(stagingKeyFor(uploadId), input.size, sha256, contentType, this.limits.uploadUrlTtlSeconds);
    await this.store.uploads.save({ uploadId, artifactId: state.id, path, size: input.size, sha256, contentType, actor, expiresAt });
    return ok({ uploadId, expiresAt, ...presigned });
  }

  /**
   * Checks the staged object against what createUploadUrl promised (size, then SHA-256), moves it to
   * its content address and records the file. The bytes kept are exactly the bytes checked, even if
   * the client PUTs other bytes to the upload URL meanwhile: when S3 reports its own verified
   * checksum (AWS), the copy is pinned to that version's ETag; otherwise (s3rver) the object is
   * hashed while it is copied to a key the upload URL does not name. A failed check deletes the
   * staged object.
   */
  async completeUpload(uploadId: string, actor: ActorId): Promise<Result<HeldFile>> {
    const record = /^[0-9a-f-]{36}$/.test(uploadId) ? await this.store.uploads.get(uploadId) : undefined;
    // Someone else's upload id is as unknown to this caller as a made-up one.
    if (!record || record.actor !== actor) return err(appError('NOT_FOUND', `no upload ${uploadId} of yours in progress`, { uploadId }));
    const staging = stagingKeyFor(uploadId);
    const staged = await this.blobs.head(staging);
    if (!staged) return err(appError('BAD_USER_INPUT', `nothing was uploaded for ${uploadId}: PUT the file to the upload URL first`, { uploadId }));

    const reject = async (code: 'BAD_USER_INPUT' | 'PAYLOAD_TOO_LARGE' | 'CONFLICT', message: string, details: Record<string, unknown>) => {
      await this.blobs.delete(staging);
      await this.store.uploads.delete(uploadId);
      return err(appError(code, message, { uploadId, ...details }));
    };
    const wrongSize = (size: number) =>
      reject(size > this.limits.maxUploadBytes ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', `uploaded ${size} bytes, but ${record.size} were declared`, { size, declaredSize: record.size });
    const wrongDigest = (actual: string) => reject('BAD_USER_INPUT', `the uploaded bytes have SHA-256 ${actual}, not the declared ${record.sha256}`, { sha256: actual, field: 'sha256' });
    if (staged.size !== record.size) return wrongSize(staged.size);

    let source: StagedBytes;
    if (staged.checksumSha256 === Buffer.from(record.sha256, 'hex').toString('base64')) {
      source = { fromStaging: staging, ...(staged.etag !== undefined && { ifMatch: staged.etag }) };
    } else {
      const verified = stagingKeyFor(`verified-${uploadId}`);
      const copied = await this.blobs.copyHashing(staging, verified, record.contentType);
      if (copied === 'unreadable') return reject('CONFLICT', UPLOAD_CHANGED, {});
      if (copied.size !== record.size || copied.sha256 !== record.sha256) {
        await this.blobs.delete(verified);
        return copied.size !== record.size ? wrongSize(copied.size) : wrongDigest(copied.sha256);
      }
      await this.blobs.delete(staging);
      source = { fromStaging: verified };
    }

    const file: ArtifactFile = { path: record.path, size: record.size, sha256: record.sha256, contentType: record.contentType };
    const added = await this.addFile(record.artifactId, file, actor, source);
    await this.store.uploads.delete(uploadId);
    return added;
  }

  /** The GraphQL multipart upload: small files only, since their bytes do pass through the API. */
  async uploadInline(input: InlineUploadInput, actor: ActorId): Promise<Result<HeldFile>> {
    if (input.bytes.length > this.limits.maxInlineUploadBytes) {
      return err(appError('PAYLOAD_TOO_LARGE', `inline uploads are limited to ${this.limits.maxInlineUploadBytes} bytes; use createUploadUrl for larger files`, { limit: this.limits.maxInlineUploadBytes, size: input.bytes.length }));
    }
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    const described = this.describe(input.path, sha256, input.contentType);
    if (!described.ok) return described;
    const file: ArtifactFile = { ...described.value, size: input.bytes.length };
    return this.addFile({ id: input.artifactId, type: input.artifactType }, file, actor, { bytes: input.bytes });
  }

  /**
   * Records a file whose bytes are staged or in memory. A staged object is consumed either way
   * (moved to its blob, or deleted when the file cannot be added). The
   * blob reference is written before the event, so a concurrent delete of another holder never
   * removes a blob a committed file needs (see ARCHITECTURE.md for the remaining window).
   */
  async addFile(
    artifact: ArtifactId | ArtifactRef,
    file: ArtifactFile,
    actor: ActorId,
    source: StagedBytes | { bytes: Uint8Array },
  ): Promise<Result<HeldFile>> {
    // A bare id was checked already (an upload record, a mirror): any type will do.
    const artifactId = typeof artifact === 'string' ? artifact : artifact.id;
    const state = await this.store.loadCurrent(artifactId);
    const refusal = !state || state.deleted || (typeof artifact !== 'string' && state.type !== artifact.type)
      ? err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)', { field: 'artifactId' }))
      : checkFileFits(state.files, file, this.uploadLimits());
    if (!refusal.ok) {
      if ('fromStaging' in source) await this.blobs.delete(source.fromStaging);
      return refusal;
    }

    await this.store.blobRefs.add(file.sha256, artifactId, this.clock.now().toISOString());
    const blobKey = blobKeyFor(file.sha256);
    if ((await this.storeBlob(blobKey, file, source)) === 'changed') {
      await this.giveBackReference(artifactId, file.sha256);
      return err(appError('CONFLICT', UPLOAD_CHANGED, { path: file.path }));
    }

    let replaced: ArtifactFile | undefined;
    const committed = await this.commands.appendTo(artifactId, actor, (current) => {
      const stillFits = checkFileFits(current.files, file, this.uploadLimits());
      if (!stillFits.ok) return stillFits;
      replaced = current.files.find((f) => f.path === file.path);
      return ok({ type: 'FileAdded', payload: { ...file, blobKey } });
    });
    if (!committed.ok) {
      await this.giveBackReference(artifactId, file.sha256);
      return committed;
    }
    if (replaced && replaced.sha256 !== file.sha256) await this.releaseUnheld(artifactId, [replaced.sha256], committed.value.files);
    return ok({ ...file, artifactId });
  }

  /**
   * A presigned GET for one file, recorded as a download with the caller as actor. A download is an
   * audit record beside the stream, not an event in it: the artifact's version does not change, so
   * any number of concurrent downloads never race each other or a client's expectedVersion.
   * `sha256`, when given, is the content the caller saw at that path: a path since replaced is
   * NOT_FOUND rather than a URL for other bytes (a past state's file, a file replaced meanwhile).
   */
  async downloadUrl(artifactId: ArtifactId, path: FilePath, actor: ActorId, sha256?: Sha256Hex): Promise<Result<string>> {
    const held = (state: ArtifactState) => state.files.find((f) => f.path === path && (sha256 === undefined || f.sha256 === sha256));
    const state = await this.downloadable(artifactId, (current) => held(current) !== undefined);
    const file = state && held(state);
    if (!state || !file) return err(appError('NOT_FOUND', sha256 === undefined ? `artifact ${artifactId} has no file ${path}` : `the artifact no longer holds this content at ${path}`, { id: artifactId, path }));
    await this.recordDownload(state, path, actor);
    return ok(await this.presigner.get(blobKeyFor(file.sha256), this.limits.downloadUrlTtlSeconds, path));
  }

  /**
   * A presigned GET for a zip of all the artifact's files (built on first request, then reused by
   * content), recorded as a download with path null. `files`, when given, is the file list the
   * caller saw (a past state's): served only while the artifact holds exactly those.
   */
  async packageUrl(artifactId: ArtifactId, actor: ActorId, files?: readonly ArtifactFile[]): Promise<Result<string>> {
    const sameFiles = (current: ArtifactState) => files === undefined || packageKeyFor(current.files) === packageKeyFor(files);
    const state = await this.downloadable(artifactId, (current) => current.files.length > 0 && sameFiles(current));
    if (!state) return err(appError('NOT_FOUND', files === undefined ? `artifact ${artifactId} has no files to download` : 'the artifact no longer holds these files', { id: artifactId }));
    await this.recordDownload(state, null, actor);
    const key = await ensurePackage(this.blobs, state.files);
    return ok(await this.presigner.get(key, this.limits.downloadUrlTtlSeconds, `${state.name}.zip`));
  }

  /**
   * The live state a download is decided on: the projection, read consistently (one call). The
   * projection is never ahead of the events, so what it shows was committed; only when it does not
   * show what is asked (a projection lagging behind a just-added file, after a crash) is the
   * stream's tail read too, which also repairs it.
   */
  private async downloadable(artifactId: ArtifactId, serves: (state: ArtifactState) => boolean): Promise<ArtifactState | undefined> {
    const [projected] = await this.store.projections.getMany([artifactId], { consistent: true });
    if (projected && !projected.deleted && serves(projected)) return projected;
    const current = await this.store.loadCurrent(artifactId);
    return current && !current.deleted && serves(current) ? current : undefined;
  }

  private async recordDownload(state: ArtifactState, path: FilePath | null, actor: ActorId): Promise<void> {
    const now = this.clock.now();
    await this.store.audit.add({
      type: 'FileDownloaded',
      payload: { path },
      artifactId: state.id,
      recordId: newUlid(now.getTime()) as RecordId,
      version: state.version,
      at: now.toISOString(),
      actor,
    });
  }

  /**
   * Deletes the artifact. Its package archive and every blob no other artifact references any more
   * are released by a reactor after the commit (BlobReleaseReactor), replayed after a crash.
   */
  deleteArtifact(input: DeleteInput, actor: ActorId): Promise<Result<ArtifactState>> {
    return this.commands.delete(input, actor);
  }

  /**
   * Puts the bytes at their content address. Equal bytes are stored once, but a blob already there
   * is trusted only once verified (BlobStore.holds): one holding other bytes (written by anyone but
   * this path) is replaced by the verified ones. A staged object is consumed either way; `changed`
   * when a pinned staged version was replaced before it could be copied.
   */
  private async storeBlob(blobKey: string, file: ArtifactFile, source: StagedBytes | { bytes: Uint8Array }): Promise<'stored' | 'changed'> {
    const intact = await this.blobs.holds(blobKey, file.sha256, file.size);
    if (!('fromStaging' in source)) {
      if (!intact) await this.blobs.put(blobKey, source.bytes, file.contentType);
      return 'stored';
    }
    const outcome = intact ? 'copied' : await this.blobs.copy(source.fromStaging, blobKey, source.ifMatch);
    await this.blobs.delete(source.fromStaging);
    return outcome === 'copied' ? 'stored' : 'changed';
  }

  /** Nothing was recorded: give the reference back unless the artifact holds these bytes elsewhere. */
  private async giveBackReference(artifactId: ArtifactId, sha256: Sha256Hex): Promise<void> {
    const now = await this.store.loadCurrent(artifactId);
    await this.releaseUnheld(artifactId, [sha256], now && !now.deleted ? now.files : []);
  }

  /** For each blob the artifact no longer holds in `filesNow`: drop its reference, and the blob if it was the last. */
  private releaseUnheld(artifactId: ArtifactId, shas: readonly Sha256Hex[], filesNow: readonly ArtifactFile[]): Promise<void> {
    return releaseUnheld(this.store.blobRefs, this.blobs, artifactId, shas, filesNow);
  }

  private uploadLimits() {
    return { maxFileBytes: this.limits.maxUploadBytes, maxArtifactBytes: this.limits.maxArtifactBytes };
  }

  private describe(rawPath: string, rawSha: string, rawType: string | null | undefined): Result<{ path: FilePath; sha256: Sha256Hex; contentType: string }> {
    const path = parseFilePath(rawPath);
    if (!path.ok) return path;
    const sha256 = parseSha256(rawSha);
    if (!sha256.ok) return sha256;
    const contentType = parseContentType(rawType);
    if (!contentType.ok) return contentType;
    return ok({ path: path.value, sha256: sha256.value, contentType: contentType.value });
  }
}
