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

export function createDynamoClients(config: DynamoDBClientConfig): DynamoClients {
  const raw = new DynamoDBClient(config);
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
