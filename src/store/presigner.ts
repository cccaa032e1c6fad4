import type { LazyS3 } from './s3-connection.js';

// Loaded on first use, not at startup: it keeps the presigner (and its signer) out of a Lambda
// cold start that serves no download.
const signer = () => import('@aws-sdk/s3-request-presigner');

export interface PresignedPut {
  readonly url: string;
  /** Headers the PUT must send exactly as given: they are part of the signature. */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Presigned URLs: the client moves the bytes straight to or from S3, never through the API
 * (a Lambda response is limited to 6 MB). Signing is local computation, no request to S3.
 */
export class Presigner {
  constructor(
    private readonly s3: LazyS3,
    private readonly bucket: string,
  ) {}

  /**
   * A PUT bound to one key, one exact length, one content type and one SHA-256: AWS rejects a body
   * whose length or checksum differs. (s3rver checks neither, nor V4 signatures; completeUpload
   * verifies size and digest itself either way.)
   */
  async put(key: string, size: number, sha256Hex: string, contentType: string, expiresInSeconds: number, signingDate?: Date): Promise<PresignedPut> {
    const checksum = Buffer.from(sha256Hex, 'hex').toString('base64');
    const [{ sdk, client }, { getSignedUrl }] = await Promise.all([this.s3.get(), signer()]);
    const command = new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: size, ContentType: contentType, ChecksumSHA256: checksum });
    const url = await getSignedUrl(client, command, {
      expiresIn: expiresInSeconds,
      // Signed as headers, not hoisted into the query: the client must send them, and S3 checks them.
      signableHeaders: new Set(['content-length', 'content-type', 'x-amz-checksum-sha256']),
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      ...(signingDate && { signingDate }),
    });
    return {
      url,
      headers: [
        { name: 'content-length', value: String(size) },
        { name: 'content-type', value: contentType },
        { name: 'x-amz-checksum-sha256', value: checksum },
      ],
    };
  }

  /** A GET of one key; `filename` makes browsers save it under the artifact's path, not the digest. */
  async get(key: string, expiresInSeconds: number, filename?: string, signingDate?: Date): Promise<string> {
    const [{ sdk, client }, { getSignedUrl }] = await Promise.all([this.s3.get(), signer()]);
    const command = new sdk.GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ...(filename && { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` }),
    });
    return getSignedUrl(client, command, { expiresIn: expiresInSeconds, ...(signingDate && { signingDate }) });
  }
}
