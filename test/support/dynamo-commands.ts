import type { Registry } from '../../src/registry.js';

/** One DynamoDB request as it went over the wire, with what a consistency audit needs. */
export interface SentCommand {
  readonly command: string;
  readonly consistent: boolean;
  readonly indexName: string | undefined;
  /** A write's ReturnValuesOnConditionCheckFailure. */
  readonly onConditionFailure: string | undefined;
  /** Partition keys the request names (GetItem/BatchGetItem keys, a Query's :pk value). */
  readonly keyPks: readonly string[];
  /** Partition keys of the items a read returned. */
  readonly returnedPks: readonly string[];
  /** Order in which requests were sent and answers arrived, across concurrent requests. */
  readonly sentAt: number;
  answeredAt: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A key attribute, marshalled (`{ S: 'x' }`) on the wire, plain once the document client unmarshalled it. */
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : isObject(value) && typeof value['S'] === 'string' ? value['S'] : undefined);
const pksOf = (items: unknown): string[] => (Array.isArray(items) ? items.flatMap((item) => (isObject(item) && text(item['pk']) !== undefined ? [text(item['pk'])!] : [])) : []);

function describeRequest(command: string, body: Json): Pick<SentCommand, 'consistent' | 'indexName' | 'keyPks' | 'onConditionFailure'> {
  const onConditionFailure = typeof body['ReturnValuesOnConditionCheckFailure'] === 'string' ? body['ReturnValuesOnConditionCheckFailure'] : undefined;
  if (command === 'BatchGetItemCommand' && isObject(body['RequestItems'])) {
    const tables = Object.values(body['RequestItems']).filter(isObject);
    return { consistent: tables.every((t) => t['ConsistentRead'] === true), indexName: undefined, keyPks: tables.flatMap((t) => pksOf(t['Keys'])), onConditionFailure };
  }
  const indexName = typeof body['IndexName'] === 'string' ? body['IndexName'] : undefined;
  const keyPks = isObject(body['Key']) ? pksOf([body['Key']]) : isObject(body['ExpressionAttributeValues']) ? [text(body['ExpressionAttributeValues'][':pk'])].flatMap((v) => (v ? [v] : [])) : [];
  return { consistent: body['ConsistentRead'] === true, indexName, keyPks, onConditionFailure };
}

function returnedPks(output: unknown): string[] {
  if (!isObject(output)) return [];
  if (isObject(output['Item'])) return pksOf([output['Item']]);
  if (Array.isArray(output['Items'])) return pksOf(output['Items']);
  if (isObject(output['Responses'])) return Object.values(output['Responses']).flatMap(pksOf);
  return [];
}

/**
 * Records every DynamoDB request the registry sends, read from the serialized request body (what
 * DynamoDB receives, whatever ElectroDB or the document client built). Like the IAM test's recorder.
 */
export interface CommandRecorder {
  readonly sent: SentCommand[];
  /** The requests sent while `run` ran (those answered, successfully or not, by its end). */
  during(run: () => Promise<unknown>): Promise<SentCommand[]>;
}

const recorders = new WeakMap<Registry, CommandRecorder>();

export function recordDynamoCommands(registry: Registry): CommandRecorder {
  const existing = recorders.get(registry);
  if (existing) return existing;
  const sent: SentCommand[] = [];
  let clock = 0;
  registry.dynamo.raw.middlewareStack.add(
    (next, context) => async (args) => {
      const request = (args as { request?: { body?: unknown } }).request;
      const raw = request?.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : typeof request?.body === 'string' ? request.body : '{}';
      const body: unknown = JSON.parse(raw);
      const command = context.commandName ?? 'unknown';
      const entry: SentCommand = { command, ...describeRequest(command, isObject(body) ? body : {}), returnedPks: [], sentAt: clock++, answeredAt: Number.POSITIVE_INFINITY };
      try {
        const result = await next(args);
        Object.assign(entry, { returnedPks: returnedPks(result.output) });
        return result;
      } finally {
        // A refused write (a failed condition) is recorded too.
        entry.answeredAt = clock++;
        sent.push(entry);
      }
    },
    { step: 'build', name: 'recordDynamoCommands' },
  );
  const recorder: CommandRecorder = {
    sent,
    async during(run) {
      const from = sent.length;
      await run();
      return sent.slice(from);
    },
  };
  recorders.set(registry, recorder);
  return recorder;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand']);

/**
 * The reads among `commands` that could decide a write on stale data: an eventually consistent
 * base-table read, or an index read (never consistent) whose items are not read again
 * consistently from the base table afterwards.
 */
export function inconsistentReads(commands: readonly SentCommand[]): SentCommand[] {
  return commands.filter((read) => {
    if (!READS.has(read.command)) return false;
    if (read.indexName === undefined) return !read.consistent;
    return !read.returnedPks.every((pk) =>
      commands.some((later) => READS.has(later.command) && later.indexName === undefined && later.consistent && later.sentAt > read.answeredAt && later.keyPks.includes(pk)),
    );
  });
}
