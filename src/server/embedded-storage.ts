import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { startDynamoDbLocal } from './dynamodb-local.js';

export interface EmbeddedStorage {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  close(): Promise<void>;
}

export interface EmbeddedStorageOptions {
  /** Where both emulators keep their data; in memory (DynamoDB) and a temp dir (S3) when absent. */
  readonly dataDir?: string;
  readonly host?: string;
  readonly dynamodbPort?: number;
  readonly s3Port?: number;
  /**
   * The DynamoDB engine: dynalite in this process (default), or Amazon's DynamoDB Local as a Java
   * child process (see dynamodb-local.ts), or an engine already running at this endpoint (the
   * parity test run shares one DynamoDB Local between test files).
   */
  readonly dynamodb?: 'dynalite' | 'dynamodb-local' | { readonly endpoint: string };
}

/**
 * A real DynamoDB API (dynalite) and a real S3 API (s3rver) in this process, on loopback: the
 * registry talks to them through the same AWS SDK clients it uses against AWS.
 */
export async function startEmbeddedStorage(options: EmbeddedStorageOptions): Promise<EmbeddedStorage> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir;
  if (dataDir) await mkdir(path.join(dataDir, 's3'), { recursive: true });

  const dynamo = await startDynamo(options, host, dataDir);
  const s3 = new S3rver({
    address: host,
    port: options.s3Port ?? 0,
    silent: true,
    directory: dataDir ? path.join(dataDir, 's3') : await tempDir(),
    resetOnClose: !dataDir,
  });
  let s3Address: AddressInfo;
  try {
    s3Address = await s3.run();
  } catch (error) {
    await dynamo.close();
    throw error;
  }

  return {
    dynamodbEndpoint: dynamo.endpoint,
    s3Endpoint: `http://${host}:${s3Address.port}`,
    async close() {
      await Promise.all([dynamo.close(), s3.close()]);
    },
  };
}

async function startDynamo(options: EmbeddedStorageOptions, host: string, dataDir: string | undefined): Promise<{ endpoint: string; close(): Promise<void> }> {
  const engine = options.dynamodb ?? 'dynalite';
  if (typeof engine === 'object') return { endpoint: engine.endpoint, close: async () => {} };
  if (engine === 'dynamodb-local') {
    return startDynamoDbLocal({ host, ...(dataDir && { dataDir: path.join(dataDir, 'dynamodb-local') }), ...(options.dynamodbPort && { port: options.dynamodbPort }) });
  }
  const dynamo: Server = dynalite({
    ...(dataDir && { path: path.join(dataDir, 'dynamodb') }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    dynamo.once('error', reject);
    dynamo.listen(options.dynamodbPort ?? 0, host, () => resolve());
  });
  const port = (dynamo.address() as AddressInfo).port;
  return { endpoint: `http://${host}:${port}`, close: () => closeServer(dynamo) };
}

async function tempDir(): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  return mkdtemp(path.join(tmpdir(), 'registry-s3-'));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
