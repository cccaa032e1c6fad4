import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Counts every DynamoDB request the SDK sends, by command, so benchmarks report measured calls. */
export class CallCounter {
  total = 0;
  readonly byCommand = new Map<string, number>();

  record(command: string): void {
    this.total += 1;
    this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
  }
}

export interface DynamoClients {
  readonly raw: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly calls: CallCounter;
}

/**
 * The SDK's logger middleware builds a redacted copy of every command's input and output for its
 * logger, even the default no-op one: for a page of 50 projections that is a walk over every
 * attribute of every item, on every call (about 3% of a read's CPU in bench:read's profile). The
 * registry never gives the SDK a logger, so nothing is lost.
 */
export function withoutSdkLogging<T extends { middlewareStack: { remove(name: string): boolean } }>(client: T): T {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

export function createDynamoClients(config: DynamoDBClientConfig): DynamoClients {
  const raw = withoutSdkLogging(new DynamoDBClient(config));
  const calls = new CallCounter();
  raw.middlewareStack.add(
    (next, context) => (args) => {
      calls.record(context.commandName ?? 'unknown');
      return next(args);
    },
    // 'finalizeRequest' runs once per attempt, so retries are counted as the calls they are.
    { step: 'finalizeRequest', name: 'callCounter' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { raw, doc, calls };
}
