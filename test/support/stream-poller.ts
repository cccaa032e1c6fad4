import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What Lambda's event source mapping does for the projector on AWS, done by hand against
 * DynamoDB Local's real stream: find the table's stream, read every shard, and hand each batch of
 * records to the handler in the Lambda DynamoDBStreamEvent shape. Records the handler reports as
 * failed are handed over again on the next round, as Lambda retries them.
 */
export type StreamHandler = (event: unknown) => Promise<DynamoDBBatchResponse>;

export interface StreamPollerOptions {
  readonly client: DynamoDBClient;
  /** Same endpoint, region and credentials as `client`. */
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly handler: StreamHandler;
  /** TRIM_HORIZON reads what the stream already holds; LATEST only what comes after the start. */
  readonly from?: 'TRIM_HORIZON' | 'LATEST';
  readonly batchSize?: number;
  readonly idleMs?: number;
}

export interface StreamPoller {
  /** Records delivered to the handler so far (failed ones count again when redelivered). */
  readonly delivered: () => number;
  stop(): Promise<void>;
}

export function streamsClientFor(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'stream', secretAccessKey: 'stream' } });
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { client, streams, tableName, handler } = options;
  const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`${tableName} has no stream: create it with StreamSpecification (src/store/table-definition.ts)`);
  const iterators = new Map<string, string>();
  const openShards = async () => {
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: options.from ?? 'TRIM_HORIZON' }),
      );
      if (ShardIterator) iterators.set(shard.ShardId, ShardIterator);
    }
  };
  await openShards();

  let running = true;
  let delivered = 0;
  const pending: StreamRecord[] = [];
  const loop = (async () => {
    while (running) {
      for (const [shardId, iterator] of iterators) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.batchSize ?? 100 }));
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        pending.push(...(page.Records ?? []));
      }
      if (pending.length > 0) {
        const batch = pending.splice(0, pending.length);
        delivered += batch.length;
        const { batchItemFailures } = await handler({ Records: batch.map(toLambdaRecord) });
        const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
        pending.push(...batch.filter((record) => failed.has(record.dynamodb?.SequenceNumber ?? '')));
      }
      await sleep(options.idleMs ?? 200);
      await openShards();
    }
  })();
  return {
    delivered: () => delivered,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The SDK's record, in the JSON shape Lambda delivers (attribute values as plain `{ S: ... }`). */
function toLambdaRecord(record: StreamRecord): unknown {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: record.eventVersion,
    awsRegion: record.awsRegion,
    dynamodb: {
      SequenceNumber: record.dynamodb?.SequenceNumber,
      Keys: record.dynamodb?.Keys,
      StreamViewType: record.dynamodb?.StreamViewType,
      SizeBytes: record.dynamodb?.SizeBytes,
    },
  };
}
