import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one table. Attribute names here are the ElectroDB `field`s in entities.ts; serverless.yml
 * declares the same keys for AWS, and a test keeps the two in step.
 */
export const TABLE_KEYS = { pk: 'pk', sk: 'sk' } as const;

export const GSIS = {
  /** normalized URL -> live artifact (artifactByUrl). */
  byUrl: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  /** normalized name -> live artifacts, sorted by exact name then id (name lookups). */
  byName: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
  /** every live artifact in id (= creation) order (unfiltered listing). */
  catalog: { name: 'gsi3', pk: 'gsi3pk', sk: 'gsi3sk' },
} as const;

export const PROJECTOR_STREAM = { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } as const;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const gsis = Object.values(GSIS);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    // The stream projector (src/lambda/projector.ts) reloads what it projects, so keys are enough.
    // dynalite accepts and ignores this; DynamoDB Local and AWS keep the stream.
    StreamSpecification: PROJECTOR_STREAM,
    KeySchema: [
      { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [TABLE_KEYS.pk, TABLE_KEYS.sk, ...gsis.flatMap((g) => [g.pk, g.sk])].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    GlobalSecondaryIndexes: gsis.map((g) => ({
      IndexName: g.name,
      KeySchema: [
        { AttributeName: g.pk, KeyType: 'HASH' },
        { AttributeName: g.sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
