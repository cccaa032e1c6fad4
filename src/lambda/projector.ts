import type { DynamoDBBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { RegistryStore } from '../application/registry-store.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { createDynamoClients } from '../store/dynamo-client.js';
import { createEntities } from '../store/entities.js';

/**
 * The table's DynamoDB stream, folded into projections: a writer killed between its event and its
 * projection (a Lambda timeout, a crash) is healed within seconds, not at the artifact's next write.
 * Idempotent: `loadCurrent` projects only what the stored projection has not absorbed, and a
 * projection write never goes backwards, so replays, retries and a concurrent API writer are harmless.
 */

/** Only the keys are read, and parsed: the stream is data from outside this code. */
const streamEventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string().optional(),
      dynamodb: z
        .object({
          SequenceNumber: z.string().optional(),
          Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }).partial().optional(),
        })
        .optional(),
    }),
  ),
});

/** `$registry#artifactid_<id>` (epoch 0) or `$registry-e<N>#artifactid_<id>`, with an event sort key. */
const EVENT_PK = /^\$registry(?:-e(\d+))?#artifactid_(.+)$/;
const EVENT_SK_PREFIX = '$artifactevent_1#';

export interface StreamTarget {
  readonly epoch: number;
  readonly id: ArtifactId;
}

/** The artifact stream an inserted item belongs to, or undefined for every other item. */
export function artifactEventTarget(pk: string | undefined, sk: string | undefined): StreamTarget | undefined {
  if (!pk || !sk?.startsWith(EVENT_SK_PREFIX)) return undefined;
  const match = EVENT_PK.exec(pk);
  // ElectroDB lower-cases key values; ULIDs are upper-case Crockford base32.
  const id = match ? parseArtifactId(match[2]!.toUpperCase()) : undefined;
  return match && id ? { epoch: match[1] ? Number(match[1]) : 0, id } : undefined;
}

export type StoreForEpoch = (epoch: number) => RegistryStore;

/**
 * Handles one batch: each artifact with new events is caught up once. Failures are reported per
 * record (ReportBatchItemFailures), from the first failed one on, so Lambda retries only those,
 * bisects, and finally hands them to the on-failure destination.
 */
export async function projectBatch(input: unknown, storeFor: StoreForEpoch): Promise<DynamoDBBatchResponse> {
  const parsed = streamEventSchema.safeParse(input);
  if (!parsed.success) throw new Error(`not a DynamoDB stream event: ${parsed.error.message}`);
  const failures: { itemIdentifier: string }[] = [];
  const done = new Map<string, Promise<void>>();
  for (const record of parsed.data.Records) {
    if (record.eventName !== 'INSERT') continue;
    const target = artifactEventTarget(record.dynamodb?.Keys?.pk?.S, record.dynamodb?.Keys?.sk?.S);
    if (!target) continue;
    const key = `${target.epoch}/${target.id}`;
    // Several events of one artifact in a batch: one catch-up covers them all.
    let caughtUp = done.get(key);
    if (!caughtUp) {
      caughtUp = storeFor(target.epoch).loadCurrent(target.id).then(() => undefined);
      done.set(key, caughtUp);
    }
    try {
      await caughtUp;
    } catch (error) {
      console.error(`projector: ${key} failed: ${String(error)}`);
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
}

/** One store per epoch over one table, kept for the container's life. */
export function storesOver(client: ReturnType<typeof createDynamoClients>, table: string): StoreForEpoch {
  const stores = new Map<number, RegistryStore>();
  return (epoch) => {
    let store = stores.get(epoch);
    if (!store) {
      store = new RegistryStore(createEntities(client.doc, table, epoch));
      stores.set(epoch, store);
    }
    return store;
  };
}

const envSchema = z.object({ TABLE_NAME: z.string().min(1), AWS_REGION: z.string().min(1).default('us-east-1') });
let lambdaStores: StoreForEpoch | undefined;

/** The Lambda entry point (serverless.yml: functions.projector). */
export async function handler(event: unknown): Promise<DynamoDBBatchResponse> {
  if (!lambdaStores) {
    const env = envSchema.parse(process.env);
    lambdaStores = storesOver(createDynamoClients({ region: env.AWS_REGION }), env.TABLE_NAME);
  }
  return projectBatch(event, lambdaStores);
}
