import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Connection, LazyS3, S3Sdk } from './s3-connection.js';

export interface ObjectInfo {
  readonly size: number;
  /**
   * Base64 SHA-256 that S3 computed or verified itself (an upload that sent one, a copy that asked
   * for one). Nobody can make S3 report a wrong one; s3rver never reports any.
   */
  readonly checksumSha256?: string;
  /** Identifies this version of the object: a copy given it as CopySourceIfMatch copies exactly these bytes. */
  readonly etag?: string;
}

/** What copyHashing or putHashing read and wrote, or `unreadable` when the source vanished or broke off mid-read. */
export type HashedCopy = { readonly sha256: string; readonly size: number } | 'unreadable';

const base64Of = (sha256Hex: string): string => Buffer.from(sha256Hex, 'hex').toString('base64');

export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
}

/** The S3 bucket that holds artifact files: staging uploads, content-addressed blobs, package archives. */
export class BlobStore {
  constructor(
    private readonly s3: LazyS3,
    readonly bucket: string,
  ) {}

  /** The S3 SDK and client, loaded on first use (see LazyS3). */
  connection(): Promise<S3Connection> {
    return this.s3.get();
  }

  async ensureBucket(): Promise<'created' | 'existed'> {
    const { sdk, client } = await this.s3.get();
    try {
      await client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }));
      return 'existed';
    } catch (error) {
      if (!(error instanceof sdk.S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
    }
    await client.send(new sdk.CreateBucketCommand({ Bucket: this.bucket }));
    return 'created';
  }

  /**
   * Lets the web UI, served from another origin than the bucket, PUT to presigned upload URLs and
   * read presigned downloads. Safe for any origin: the signed URL is the credential, and CORS
   * never sends cookies here. Set where the registry provisions its bucket (the emulators);
   * serverless.yml declares the same rule on AWS.
   */
  async allowBrowserTransfers(): Promise<void> {
    const { sdk, client } = await this.s3.get();
    await client.send(
      new sdk.PutBucketCorsCommand({
        Bucket: this.bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 }],
        },
      }),
    );
  }

  async ping(): Promise<void> {
    const { sdk, client } = await this.s3.get();
    await client.send(new sdk.HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Size (and S3's own SHA-256 when it has one) of an object, or undefined when it does not exist. */
  async head(key: string): Promise<ObjectInfo | undefined> {
    const { sdk, client } = await this.s3.get();
    try {
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      return { size: out.ContentLength ?? 0, ...(out.ChecksumSHA256 && { checksumSha256: out.ChecksumSHA256 }), ...(out.ETag && { etag: out.ETag }) };
    } catch (error) {
      if (isNotFound(sdk, error)) return undefined;
      throw error;
    }
  }

  /** An object's bytes as a stream (an export copies blobs to disk without holding them). */
  async open(key: string): Promise<Readable> {
    const { sdk, client } = await this.s3.get();
    const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return out.Body as Readable;
  }

  /** An object's bytes as a stream, or undefined when it does not exist (a cache that may be missing). */
  async openIfExists(key: string): Promise<Readable | undefined> {
    const { sdk, client } = await this.s3.get();
    try {
      return (await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }))).Body as Readable;
    } catch (error) {
      if (isNotFound(sdk, error)) return undefined;
      throw error;
    }
  }

  /**
   * Stores what `body` yields without holding it whole: a multipart upload (PutObject) when it is
   * larger than one part, a single PUT otherwise. The object appears only when the upload
   * completes, so a reader never sees part of it; a failed upload aborts its parts.
   */
  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const { client } = await this.s3.get();
    // Loaded on first use, as for mirroring.
    const { Upload } = await import('@aws-sdk/lib-storage');
    await new Upload({ client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 4 }).done();
  }

  /** Hex SHA-256 of an object, streamed through the hash (never held in memory). */
  async sha256Of(key: string): Promise<string> {
    const { sdk, client } = await this.s3.get();
    const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /**
   * Whether `key` holds exactly the bytes of `sha256Hex`: S3's own checksum when it has one (the
   * copies and puts below always ask for it), else the object streamed through a hash (s3rver).
   * An object anyone could have written at a content address is only trusted once this says so.
   */
  async holds(key: string, sha256Hex: string, size: number): Promise<boolean> {
    const info = await this.head(key);
    if (!info || info.size !== size) return false;
    if (info.checksumSha256 === base64Of(sha256Hex)) return true;
    try {
      return (await this.sha256Of(key)) === sha256Hex;
    } catch (error) {
      if (isNotFound((await this.s3.get()).sdk, error)) return false;
      throw error;
    }
  }

  /**
   * A server-side copy: the bytes stay in S3 (single CopyObject, up to 5 GiB), and S3 records their
   * SHA-256 on the copy. With `ifMatch` (an ETag from head) only that version of the source is
   * copied: `changed` when the source was replaced since. (s3rver ignores the condition; callers
   * that cannot rely on S3 use copyHashing.)
   */
  async copy(from: string, to: string, ifMatch?: string): Promise<'copied' | 'changed'> {
    const { sdk, client } = await this.s3.get();
    try {
      await client.send(
        new sdk.CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: `${this.bucket}/${encodeURI(from)}`,
          ChecksumAlgorithm: 'SHA256',
          ...(ifMatch !== undefined && { CopySourceIfMatch: ifMatch }),
        }),
      );
      return 'copied';
    } catch (error) {
      if (error instanceof sdk.S3ServiceException && (error.$metadata.httpStatusCode === 412 || error.name === 'PreconditionFailed')) return 'changed';
      throw error;
    }
  }

  /**
   * Streams `from` through a SHA-256 into `to` (never whole in memory): the digest is of exactly the
   * bytes `to` now holds, however often `from` is rewritten meanwhile. For stores that report no
   * verified checksum (s3rver), where hashing `from` and then copying it could keep other bytes.
   */
  async copyHashing(from: string, to: string, contentType: string): Promise<HashedCopy> {
    const { sdk, client } = await this.s3.get();
    let source: Readable;
    try {
      source = (await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: from }))).Body as Readable;
    } catch (error) {
      if (isNotFound(sdk, error)) return 'unreadable';
      throw error;
    }
    return this.putHashing(to, source, contentType);
  }

  /**
   * Streams `source` through a SHA-256 into `key` (a multipart upload: a few parts in memory, never
   * the whole): the digest and size are of exactly the bytes `key` now holds. A source that breaks
   * off mid-read leaves nothing at `key`.
   */
  async putHashing(key: string, source: Readable, contentType: string): Promise<HashedCopy> {
    const { client } = await this.s3.get();
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        size += chunk.length;
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    const body = new PassThrough();
    // Loaded on first use, as for mirroring: most requests never stream a copy.
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({ client, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }, queueSize: 4 });
    const [fed, uploaded] = await Promise.allSettled([pipeline(source, meter, body), upload.done()]);
    if (fed.status === 'rejected') {
      // The source broke off mid-read (a file that fails to read; an s3rver object rewritten in place
      // while it is PUT again). A failed Upload aborts its own multipart upload; a finished one holds a torn copy.
      if (uploaded.status === 'fulfilled') await this.delete(key);
      return 'unreadable';
    }
    if (uploaded.status === 'rejected') throw uploaded.reason;
    return { sha256: hash.digest('hex'), size };
  }

  /** Stores `body` with its SHA-256, which S3 verifies and keeps (see holds). */
  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    const checksum = createHash('sha256').update(body).digest('base64');
    const { sdk, client } = await this.s3.get();
    await client.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length, ChecksumSHA256: checksum }));
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.s3.get();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix?: string): AsyncGenerator<ListedObject[]> {
    const { sdk, client } = await this.s3.get();
    let token: string | undefined;
    do {
      const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token, ...(prefix !== undefined && { Prefix: prefix }) }));
      yield (page.Contents ?? []).flatMap((o) => (o.Key ? [{ key: o.Key, lastModified: o.LastModified ?? new Date(0) }] : []));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Deletes every object under `prefix` (all objects when undefined) last modified before `before`. */
  async deleteOlderThan(before: Date, prefix?: string): Promise<number> {
    let deleted = 0;
    for await (const page of this.list(prefix)) {
      const stale = page.filter((o) => o.lastModified < before);
      // A few at a time: enough to be quick, few enough not to flood the endpoint.
      for (let i = 0; i < stale.length; i += 16) {
        await Promise.all(stale.slice(i, i + 16).map((o) => this.delete(o.key)));
      }
      deleted += stale.length;
    }
    return deleted;
  }
}

function isNotFound(sdk: S3Sdk, error: unknown): boolean {
  return error instanceof sdk.S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey');
}
