import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from './config.js';
import { ArtifactCommands, DEFAULT_COMMAND_OPTIONS, type CommandOptions } from './application/artifact-commands.js';
import { RegistryStore } from './application/registry-store.js';
import { systemClock, type Clock } from './application/clock.js';
import { createDynamoClients, type DynamoClients } from './store/dynamo-client.js';
import { createEntities } from './store/entities.js';
import { ensureTable } from './store/ensure-table.js';
import { BlobStore } from './store/blob-store.js';
import { ArtifactSources } from './application/artifact-sources.js';
import { DEFAULT_EVIDENCE_OPTIONS, type EvidenceOptions } from './application/model-evidence.js';
import { createUpstream, DEFAULT_UPSTREAM, type UpstreamConfig } from './upstream/upstream.js';

/** Everything a request needs, built once per process (or Lambda container) and shared. */
export interface Registry {
  readonly config: Pick<Config, 'tableName' | 'bucketName'>;
  readonly dynamo: DynamoClients;
  readonly store: RegistryStore;
  readonly blobs: BlobStore;
  readonly commands: ArtifactCommands;
  readonly clock: Clock;
  pingTable(): Promise<void>;
  destroy(): void;
}

export interface RegistryEndpoints {
  readonly region: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly dynamodbEndpoint?: string;
  readonly s3Endpoint?: string;
  /** Emulators accept any credentials; a fixed pair keeps the SDK from searching the machine for real ones. */
  readonly emulated?: boolean;
}

export interface RegistryOptions {
  readonly clock?: Clock;
  readonly commandOptions?: CommandOptions;
  /** Create the table and bucket when missing (embedded mode, tests); never on AWS, where CloudFormation owns them. */
  readonly provision?: boolean;
  /** Hub and GitHub endpoints, tokens and transport (tests pass a replay `fetch`). */
  readonly upstream?: Partial<UpstreamConfig>;
  readonly evidence?: EvidenceOptions;
}

const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function createRegistry(endpoints: RegistryEndpoints, options: RegistryOptions = {}): Promise<Registry> {
  const credentials = endpoints.emulated ? { credentials: EMULATOR_CREDENTIALS } : {};
  const dynamo = createDynamoClients({
    region: endpoints.region,
    ...credentials,
    ...(endpoints.dynamodbEndpoint && { endpoint: endpoints.dynamodbEndpoint }),
  });
  const s3 = new S3Client({
    region: endpoints.region,
    ...credentials,
    ...(endpoints.s3Endpoint && { endpoint: endpoints.s3Endpoint, forcePathStyle: true }),
  });
  const blobs = new BlobStore(s3, endpoints.bucketName);
  if (options.provision ?? endpoints.emulated) {
    await ensureTable(dynamo.raw, endpoints.tableName);
    await blobs.ensureBucket();
  }
  const store = new RegistryStore(createEntities(dynamo.doc, endpoints.tableName));
  const clock = options.clock ?? systemClock;
  const upstream = createUpstream({ ...DEFAULT_UPSTREAM, ...options.upstream });
  const sources = new ArtifactSources(upstream, store, clock, options.evidence ?? DEFAULT_EVIDENCE_OPTIONS);
  return {
    config: { tableName: endpoints.tableName, bucketName: endpoints.bucketName },
    dynamo,
    store,
    blobs,
    clock,
    commands: new ArtifactCommands(store, clock, sources, options.commandOptions ?? DEFAULT_COMMAND_OPTIONS),
    async pingTable() {
      await dynamo.raw.send(new DescribeTableCommand({ TableName: endpoints.tableName }));
    },
    destroy() {
      dynamo.raw.destroy();
      s3.destroy();
    },
  };
}
