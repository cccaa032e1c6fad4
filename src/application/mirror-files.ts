import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { MAX_FILES_PER_ARTIFACT, parseFilePath, type ArtifactFile, type FilePath, type MirrorStatus, type Sha256Hex } from '../domain/artifact-files.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { matchesAny, parseGlob, type Glob } from '../domain/glob.js';
import type { ActorId, ArtifactId } from '../domain/ids.js';
import { appError, err, ok, withServerDetail, type AppError, type Result } from '../domain/result.js';
import type { BlobStore } from '../store/blob-store.js';
import { canonicalizeUrl } from '../domain/artifact-url.js';
import type { HttpClient, UpstreamFailure } from '../upstream/http-client.js';
import { isLiveRef, type ArtifactCommands } from './artifact-commands.js';
import type { ArtifactRef } from '../domain/global-id.js';
import type { RegistryStore } from './registry-store.js';
import { stagingKeyFor, type FileCommands } from './file-commands.js';

export interface HubSettings {
  /** HF_ENDPOINT: files come from `<endpoint>/<repo>/resolve/main/<path>` (datasets under `/datasets/`). */
  readonly endpoint: string;
  readonly token?: string;
}

export interface MirrorOptions {
  /** An HttpClient on HF_ENDPOINT (with HF_TOKEN): timeouts, retries and the shared concurrency cap. */
  readonly hub: HttpClient;
  readonly maxMirrorBytes: number;
}

/** The Hub's repository info; only the file list (and sizes, with `?blobs=true`) matters here. */
const repoInfoSchema = z.object({
  siblings: z.array(z.object({ rfilename: z.string(), size: z.number().int().nonnegative().optional() })).default([]),
});

/** A Hub repository an artifact's URL names: models `<org>/<name>`, datasets `datasets/<id>`. */
interface HubRepo {
  readonly kind: 'models' | 'datasets';
  readonly id: string;
}

/** Thrown inside the byte stream when the mirror's size cap is crossed; becomes PAYLOAD_TOO_LARGE. */
class MirrorCapExceeded extends Error {}

/**
 * Copies an artifact's files from the Hugging Face Hub into the bucket, inside the mutation call (no
 * background workers on Lambda). Each file streams from the Hub's response through a SHA-256 and a
 * byte counter into a multipart upload (lib-storage holds a few 5 MB parts, never the file), lands
 * on a staging key, and is then recorded like any upload. Progress is an event per file. A failed
 * file aborts its multipart upload and records no FileAdded; the mirror's status says why.
 */
export class MirrorFiles {
  constructor(
    private readonly commands: ArtifactCommands,
    private readonly files: FileCommands,
    private readonly store: RegistryStore,
    private readonly blobs: BlobStore,
    private readonly options: MirrorOptions,
  ) {}

  async mirror(ref: ArtifactRef, include: readonly string[], actor: ActorId): Promise<Result<ArtifactState>> {
    const { id } = ref;
    const globs: Glob[] = [];
    for (const pattern of include) {
      const glob = parseGlob(pattern);
      if (!glob.ok) return glob;
      globs.push(glob.value);
    }
    const state = await this.store.loadCurrent(id);
    if (!isLiveRef(state, ref)) return err(appError('NOT_FOUND', 'no artifact with this id (absent or deleted)', { field: 'id' }));
    const repo = hubRepoOf(state);
    if (!repo.ok) return repo;

    const listed = await this.listFiles(repo.value, globs);
    if (!listed.ok) return this.fail(id, actor, status('FAILED', 0, 0, 0), listed.error);
    const files = listed.value;
    const knownTotal = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
    if (knownTotal > this.options.maxMirrorBytes) {
      return this.fail(id, actor, status('FAILED', 0, files.length, 0), capError(this.options.maxMirrorBytes, knownTotal));
    }
    // A mirror that crashed leaves RUNNING behind; starting again is allowed (there is no lock to free).
    const started = await this.commands.appendTo(id, actor, () => ok({ type: 'MirrorStatusChanged', payload: status('RUNNING', 0, files.length, 0) }));
    if (!started.ok) return started;

    let bytesDone = 0;
    let current = started.value;
    for (const [index, file] of files.entries()) {
      const copied = await this.copyOne(repo.value, file.path, this.options.maxMirrorBytes - bytesDone);
      if (!copied.ok) return this.fail(id, actor, status('FAILED', index, files.length, bytesDone), copied.error);
      const added = await this.files.addFile(id, { path: file.path, ...copied.value.file }, actor, { fromStaging: copied.value.stagingKey });
      if (!added.ok) {
        return this.fail(id, actor, status('FAILED', index, files.length, bytesDone), added.error);
      }
      bytesDone += copied.value.file.size;
      const progressed = await this.commands.appendTo(id, actor, () =>
        ok({ type: 'MirrorStatusChanged', payload: status(index + 1 === files.length ? 'COMPLETED' : 'RUNNING', index + 1, files.length, bytesDone) }),
      );
      if (!progressed.ok) return progressed;
      current = progressed.value;
    }
    if (files.length === 0) {
      const done = await this.commands.appendTo(id, actor, () => ok({ type: 'MirrorStatusChanged', payload: status('COMPLETED', 0, 0, 0) }));
      if (!done.ok) return done;
      current = done.value;
    }
    return ok(current);
  }

  /** Records the failure (the audit event of a failed mutation), then reports the error itself. */
  private async fail(id: ArtifactId, actor: ActorId, failed: MirrorStatus, error: AppError): Promise<Result<never>> {
    await this.commands.appendTo(id, actor, () => ok({ type: 'MirrorStatusChanged', payload: { ...failed, error: error.message } }));
    return err(error);
  }

  private async listFiles(repo: HubRepo, globs: readonly Glob[]): Promise<Result<{ path: FilePath; size?: number }[]>> {
    const listed = await this.options.hub.getJson(`/api/${repo.kind}/${repo.id}?blobs=true`, repoInfoSchema);
    if (!listed.ok) return err(upstreamFailure(`the Hub could not list ${repo.kind}/${repo.id}`, listed.error));
    const chosen: { path: FilePath; size?: number }[] = [];
    for (const sibling of listed.value.data.siblings) {
      const path = parseFilePath(sibling.rfilename);
      // A Hub file name this registry would not accept as a path is skipped, not fatal.
      if (!path.ok || !matchesAny(globs, path.value)) continue;
      chosen.push({ path: path.value, ...(sibling.size !== undefined && { size: sibling.size }) });
    }
    if (chosen.length > MAX_FILES_PER_ARTIFACT) {
      return err(appError('PAYLOAD_TOO_LARGE', `${chosen.length} files match; an artifact holds at most ${MAX_FILES_PER_ARTIFACT}`, { limit: MAX_FILES_PER_ARTIFACT }));
    }
    return ok(chosen);
  }

  /** Streams one file from the Hub to a staging key, hashing and counting on the way. */
  private async copyOne(repo: HubRepo, path: FilePath, budget: number): Promise<Result<{ stagingKey: string; file: Omit<ArtifactFile, 'path'> }>> {
    const prefix = repo.kind === 'datasets' ? '/datasets' : '';
    const fetched = await this.options.hub.getStream(`${prefix}/${repo.id}/resolve/main/${path.split('/').map(encodeURIComponent).join('/')}`);
    if (!fetched.ok) return err(upstreamFailure(`fetching ${path} from the Hub failed`, fetched.error));
    const response = fetched.value;
    const url = response.url;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > budget) {
      await response.body.cancel().catch(() => undefined);
      return err(capError(this.options.maxMirrorBytes, declared));
    }

    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        size += chunk.length;
        if (size > budget) return callback(new MirrorCapExceeded());
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const body = new PassThrough();
    const stagingKey = stagingKeyFor(`mirror-${randomUUID()}`);
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
    // leavePartsOnError false (the default): a failed upload aborts its multipart upload.
    // Loaded on first use: mirroring is rare, and cold starts should not pay for it.
    const [{ Upload }, { client }] = await Promise.all([import('@aws-sdk/lib-storage'), this.blobs.connection()]);
    const upload = new Upload({ client, params: { Bucket: this.blobs.bucket, Key: stagingKey, Body: body, ContentType: contentType }, queueSize: 4 });
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    const feeding = pipeline(source, meter, body);
    const [fed, uploaded] = await Promise.allSettled([feeding, upload.done()]);
    if (fed.status === 'rejected' || uploaded.status === 'rejected') {
      if (uploaded.status === 'fulfilled') await this.blobs.delete(stagingKey);
      else if (fed.status === 'fulfilled') await upload.abort().catch(() => undefined);
      const reason: unknown = fed.status === 'rejected' ? fed.reason : uploaded.status === 'rejected' ? uploaded.reason : undefined;
      if (reason instanceof MirrorCapExceeded) return err(capError(this.options.maxMirrorBytes, size));
      if (fed.status === 'fulfilled') throw reason; // S3 failed, not the Hub: unexpected
      return err(upstream(`streaming ${path} from the Hub failed after ${size} bytes`, url, reason));
    }
    return ok({ stagingKey, file: { size, sha256: hash.digest('hex') as Sha256Hex, contentType } });
  }
}

/** The repository is read from the URL by the domain's URL rules, never parsed here. */
function hubRepoOf(state: ArtifactState): Result<HubRepo> {
  const notHub = err(appError('BAD_USER_INPUT', `only Hugging Face models and datasets can be mirrored; ${state.url} is not one`, { id: state.id }));
  const parsed = canonicalizeUrl(state.url);
  if (!parsed.ok) return notHub;
  const { source } = parsed.value;
  if (state.type === 'MODEL' && source.kind === 'huggingface-model') return ok({ kind: 'models', id: source.repoId });
  if (state.type === 'DATASET' && source.kind === 'huggingface-dataset') return ok({ kind: 'datasets', id: source.repoId });
  return notHub;
}

const status = (state: MirrorStatus['state'], filesDone: number, filesTotal: number, bytesDone: number): MirrorStatus => ({ state, filesDone, filesTotal, bytesDone, error: null });
/**
 * The Hub failing. HF_ENDPOINT may be an internal mirror, and socket errors name addresses: the URL
 * and the error go to the server's log only. The message is also stored in `mirrorStatus.error`.
 */
const upstream = (message: string, url: string, cause?: unknown): AppError =>
  withServerDetail(appError('UPSTREAM_UNAVAILABLE', message), `${url}${cause === undefined ? '' : `: ${describe(cause)}`}`);

/**
 * The client hears what the Hub answered (a status) or that it did not answer; a transport error's
 * text may name the endpoint or an address, so it goes to the server log with the URL.
 */
function upstreamFailure(message: string, failure: UpstreamFailure): AppError {
  const status = 'status' in failure ? failure.status : undefined;
  const said = failure.kind === 'pending' ? 'the Hub is still preparing it' : status !== undefined ? `the Hub answered ${status}` : 'the Hub is unreachable or did not answer';
  const reason = failure.kind === 'unavailable' || failure.kind === 'pending' ? `: ${failure.reason}` : '';
  return withServerDetail(appError('UPSTREAM_UNAVAILABLE', `${message}: ${said}`), `${failure.url}${reason}`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
const capError = (limit: number, size: number): AppError =>
  appError('PAYLOAD_TOO_LARGE', `the mirror would copy more than ${limit} bytes (MAX_MIRROR_BYTES)`, { limit, size });
