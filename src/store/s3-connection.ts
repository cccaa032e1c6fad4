import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { withoutSdkLogging } from './dynamo-client.js';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

/** The S3 SDK module and the one client built from it. */
export interface S3Connection {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
}

/**
 * The S3 client, loaded and built on first use. Loading @aws-sdk/client-s3 costs about as much as
 * the DynamoDB client at a Lambda cold start, and most requests (reads, logins) never touch S3.
 */
export class LazyS3 {
  private connection: Promise<S3Connection> | undefined;
  private client: S3Client | undefined;

  constructor(private readonly config: S3ClientConfig) {}

  get(): Promise<S3Connection> {
    this.connection ??= import('@aws-sdk/client-s3').then(
      (sdk) => {
        this.client = withoutSdkLogging(new sdk.S3Client(this.config));
        return { sdk, client: this.client };
      },
      (error: unknown) => {
        this.connection = undefined;
        throw error;
      },
    );
    return this.connection;
  }

  /** Closes the client's sockets if it was ever built. */
  destroy(): void {
    this.client?.destroy();
  }
}
