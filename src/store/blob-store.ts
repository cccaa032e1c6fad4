import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

export interface ObjectInfo {
  readonly size: number;
  /** Base64 SHA-256 that S3 verified on upload, when the upload sent one (AWS; s3rver never reports it). */
  readonly checksumSha256?: string;
}

export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
}

/** The S3 bucket that holds artifact files: staging uploads, content-addressed blobs, package archives. */
export class BlobStore {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async ensureBucket(): Promise<'created' | 'existed'> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return 'existed';
    } catch (error) {
      if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
    }
    await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    return 'created';
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  /** Size (and S3's own SHA-256 when it has one) of an object, or undefined when it does not exist. */
  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      return { size: out.ContentLength ?? 0, ...(out.ChecksumSHA256 && { checksumSha256: out.ChecksumSHA256 }) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Hex SHA-256 of an object, streamed through the hash (never held in memory). */
  async sha256Of(key: string): Promise<string> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /** A server-side copy: the bytes stay in S3 (single CopyObject, up to 5 GiB). */
  async copy(from: string, to: string): Promise<void> {
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: `${this.bucket}/${encodeURI(from)}` }));
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix?: string): AsyncGenerator<ListedObject[]> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token, ...(prefix !== undefined && { Prefix: prefix }) }));
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

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey');
}
