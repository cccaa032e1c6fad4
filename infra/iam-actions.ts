/**
 * Which IAM actions the Lambda function needs, and why. The function's role in serverless.yml
 * must grant exactly these (infra/template-checks.ts), and test/deploy/cloudformation.test.ts runs
 * every API operation through the handler, records the SDK commands it sends, maps them with
 * `iamActionFor` and checks that the result is this list again: nothing missing, nothing spare.
 */
export const LAMBDA_ACTIONS = {
  /** Writing its own log streams; CloudFormation creates the log group. */
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  /**
   * BatchGetItem: projections by id (DataLoader), a request's user + epoch. BatchWriteItem: reset
   * deleting old epochs. DeleteItem: URL claim release, tokens, throttles. DescribeTable: health.
   * GetItem: URL claims, users, epoch, throttles. PutItem: events, projections, claims, tokens.
   * Query: event streams and the three GSIs. Scan: reset only (old tokens and epochs).
   * UpdateItem: spending a token's call, the admin count, login throttles.
   */
  dynamodb: [
    'dynamodb:BatchGetItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:DeleteItem',
    'dynamodb:DescribeTable',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:UpdateItem',
  ],
  /**
   * On the bucket: ListBucket for HeadBucket (health) and ListObjectsV2 (reset). On its objects:
   * GetObject (HeadObject and hashing a staged upload; presigned GETs are signed with it),
   * PutObject (inline uploads, CopyObject staging -> blob; presigned PUTs are signed with it),
   * DeleteObject (staging after completion, unreferenced blobs, reset). The search index reads
   * (GetObject) and writes (PutObject, multipart when large) its snapshot. Mirroring streams with
   * multipart uploads (PutObject) and aborts the one of a file whose download failed.
   */
  s3: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
  /** The secrets, read once per container (src/lambda/secret-parameters.ts). */
  ssm: ['ssm:GetParameters'],
} as const;

/**
 * The stream projector's role (serverless.yml: ProjectorFunctionRole). Its table actions are what
 * `RegistryStore.loadCurrent` sends (test/deploy/cloudformation.test.ts runs it and compares):
 * BatchGetItem (the projection, consistent), Query (the events after it), PutItem (the
 * conditional projection write). The stream actions are the event source mapping's reads of this
 * table's stream; SendMessage hands records that keep failing to the failure queue.
 */
export const PROJECTOR_ACTIONS = {
  logs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  dynamodb: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
  dynamodbStream: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
  sqs: ['sqs:SendMessage'],
} as const;

export type AwsService = keyof typeof LAMBDA_ACTIONS | 'sqs';

export function allLambdaActions(): string[] {
  return Object.values(LAMBDA_ACTIONS).flat().sort();
}

export function allProjectorActions(): string[] {
  return Object.values(PROJECTOR_ACTIONS).flat().sort();
}

/** Stream reads: the only DynamoDB actions granted on the stream's ARN rather than the table's. */
export const STREAM_ACTIONS: readonly string[] = PROJECTOR_ACTIONS.dynamodbStream;

/**
 * S3 commands whose action is not simply `s3:<Command>` (AWS documents these under
 * "Actions, resources, and condition keys for Amazon S3"). Unknown commands throw, so new code
 * that sends a new command fails the test until this table and the role are updated.
 */
const S3_ACTIONS: Readonly<Record<string, string>> = {
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadObject: 's3:GetObject',
  GetObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  DeleteObject: 's3:DeleteObject',
  // CopyObject also needs s3:GetObject on the source, which the role grants for the downloads anyway.
  CopyObject: 's3:PutObject',
};

/** DynamoDB document-client commands name the low-level operation they send. */
const DYNAMODB_DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  Delete: 'DeleteItem',
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** The IAM action that authorizes an SDK command, given the command's class name (e.g. `QueryCommand`). */
export function iamActionFor(service: 'dynamodb' | 's3' | 'ssm', commandName: string): string {
  const operation = commandName.replace(/Command$/, '');
  switch (service) {
    case 'dynamodb':
      return `dynamodb:${DYNAMODB_DOCUMENT_COMMANDS[operation] ?? operation}`;
    case 's3': {
      const action = S3_ACTIONS[operation];
      if (!action) throw new Error(`no IAM action known for S3 ${commandName}: add it to infra/iam-actions.ts`);
      return action;
    }
    case 'ssm':
      return `ssm:${operation}`;
  }
}
