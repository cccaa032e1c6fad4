import type { DynamoDBBatchResponse } from 'aws-lambda';
import { z } from 'zod';
import { RegistryStore } from '../application/registry-store.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { createDynamoClients } from '../store/dynamo-client.js';
import { createEntities, epochOfService } from '../store/entities.js';
import { ARTIFACT_STREAM, parseStreamEventKey } from '../store/event-stream.js';
import { foldEvents } from '../domain/artifact-state.js';
import type { ArtifactEvent } from '../domain/artifact-events.js';
import { registeredReactors } from '../application/reactions/registered-reactors.js';
import { replayReactions } from '../application/reactions/committed-change.js';

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

export interface StreamTarget {
  readonly epoch: number;
  readonly id: ArtifactId;
  readonly version: number;
}

/** The artifact event an inserted item is, by the event entity's own key templates; undefined for every other item. */
export function artifactEventTarget(pk: string | undefined, sk: string | undefined): StreamTarget | undefined {
  if (!pk || !sk) return undefined;
  const key = parseStreamEventKey(pk, sk, ARTIFACT_STREAM);
  const epoch = key && epochOfService(key.service);
  const id = key && parseArtifactId(key.streamId);
  return key && epoch !== undefined && id ? { epoch, id, version: key.version } : undefined;
}

export type StoreForEpoch = (epoch: number) => RegistryStore;

/**
 * Handles one batch: each artifact with new events is caught up once (projection and change feed),
 * then every registered reaction to each inserted event runs again (at least once: reactors are
 * idempotent; the API ran them inline already, unless it died first). Failures are reported per
 * record (ReportBatchItemFailures), from the first failed one on, so Lambda retries only those,
 * bisects, and finally hands them to the on-failure destination.
 */
export async function projectBatch(input: unknown, storeFor: StoreForEpoch): Promise<DynamoDBBatchResponse> {
  const parsed = streamEventSchema.safeParse(input);
  if (!parsed.success) throw new Error(`not a DynamoDB stream event: ${parsed.error.message}`);
  const failures: { itemIdentifier: string }[] = [];
  const streams = new Map<string, Promise<readonly ArtifactEvent[]>>();
  for (const record of parsed.data.Records) {
    if (record.eventName !== 'INSERT') continue;
    const target = artifactEventTarget(record.dynamodb?.Keys?.pk?.S, record.dynamodb?.Keys?.sk?.S);
    if (!target) continue;
    const key = `${target.epoch}/${target.id}`;
    const store = storeFor(target.epoch);
    // Several events of one artifact in a batch: one catch-up (projection and feed) and one stream read cover them all.
    let stream = streams.get(key);
    if (!stream) {
      stream = store.loadCurrent(target.id).then(() => store.events.readStream(target.id));
      streams.set(key, stream);
    }
    try {
      const events = await stream;
      const event = events.find((candidate) => candidate.version === target.version);
      // What follows the commit, again: the API ran it inline; this runs it if the API died first.
      if (event) await replayReactions(store, store.reactions.change(event, foldEvents(undefined, events.filter((e) => e.version <= target.version))));
    } catch (error) {
      console.error(`projector: ${key} v${target.version} failed: ${String(error)}`);
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
      // Only the table here: the reactors that need nothing else (registered-reactors.ts).
      store.reactions.use(epoch, registeredReactors({ store }));
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
