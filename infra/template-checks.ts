/**
 * Checks on the CloudFormation template osls generates from serverless.yml. `npm run package`
 * fails when any check fails, and the deploy tests assert the same, so a drift between the table
 * the code expects and the table the stack creates, an IAM wildcard, or a public bucket is caught
 * offline, before anyone deploys.
 */
import { GSIS, PROJECTOR_STREAM, tableDefinition } from '../src/store/table-definition.js';
import { allLambdaActions, allProjectorActions, STREAM_ACTIONS, type AwsService } from './iam-actions.js';

export type Json = string | number | boolean | null | Json[] | { readonly [key: string]: Json };

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { readonly [key: string]: Json };
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: { readonly [logicalId: string]: CfnResource };
}

export interface CheckOptions {
  /** `prod` must have point-in-time recovery, deletion protection and retained data. */
  readonly stage: string;
}

/** Logical ids in serverless.yml (the function's is osls's: `<Name>LambdaFunction`). */
export const LOGICAL_IDS = {
  table: 'RegistryTable',
  bucket: 'BlobBucket',
  function: 'ApiLambdaFunction',
  logGroup: 'ApiLogGroup',
  httpApi: 'HttpApi',
  role: 'RegistryFunctionRole',
  projector: 'ProjectorLambdaFunction',
  projectorRole: 'ProjectorFunctionRole',
  projectorQueue: 'ProjectorDeadLetterQueue',
  uiBucket: 'UiBucket',
  uiBucketPolicy: 'UiBucketPolicy',
  uiOac: 'UiOriginAccessControl',
  distribution: 'UiDistribution',
} as const;

/** What each role may call, exactly (infra/iam-actions.ts). */
const ROLE_ACTIONS: Readonly<Record<string, () => string[]>> = {
  [LOGICAL_IDS.role]: allLambdaActions,
  [LOGICAL_IDS.projectorRole]: allProjectorActions,
};

export const PRODUCTION_STAGE = 'prod';
const SECRET_VARIABLES = ['ADMIN_PASSWORD', 'HF_TOKEN', 'GITHUB_TOKEN'];

/** Every problem found, each a sentence naming the resource; empty when the template is fine. */
export function checkTemplate(template: CfnTemplate, options: CheckOptions): string[] {
  return [
    ...checkTable(template, options),
    ...checkBucket(template, options),
    ...checkFunction(template),
    ...checkProjector(template),
    ...checkIam(template, options),
    ...checkWebUi(template),
  ];
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

export function checkTable(template: CfnTemplate, { stage }: CheckOptions): string[] {
  const table = resource(template, LOGICAL_IDS.table, 'AWS::DynamoDB::Table');
  if (typeof table === 'string') return [table];
  const problems: string[] = [];
  const props = table.Properties ?? {};
  const expected = tableDefinition(String(props['TableName'] ?? ''));
  const same = (label: string, actual: unknown, wanted: unknown) => {
    if (canonical(actual) !== canonical(wanted)) problems.push(`${LOGICAL_IDS.table} ${label} is ${canonical(actual)}, src/store/table-definition.ts says ${canonical(wanted)}`);
  };
  same('KeySchema', props['KeySchema'], expected.KeySchema);
  same('AttributeDefinitions', sortBy(props['AttributeDefinitions'], 'AttributeName'), sortBy(expected.AttributeDefinitions, 'AttributeName'));
  same('GlobalSecondaryIndexes', sortBy(props['GlobalSecondaryIndexes'], 'IndexName'), sortBy(expected.GlobalSecondaryIndexes, 'IndexName'));
  same('BillingMode', props['BillingMode'], 'PAY_PER_REQUEST');
  // CloudFormation enables the stream by the view type alone.
  same('StreamSpecification.StreamViewType', at(props, 'StreamSpecification', 'StreamViewType'), PROJECTOR_STREAM.StreamViewType);
  if (!String(props['TableName'] ?? '').endsWith(`-${stage}`)) problems.push(`${LOGICAL_IDS.table} TableName does not end with the stage -${stage}`);
  if (stage === PRODUCTION_STAGE) {
    if (at(props, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled') !== true) problems.push(`${LOGICAL_IDS.table} has no point-in-time recovery in ${stage}`);
    if (props['DeletionProtectionEnabled'] !== true) problems.push(`${LOGICAL_IDS.table} has no deletion protection in ${stage}`);
    if (table.DeletionPolicy !== 'Retain' || table.UpdateReplacePolicy !== 'Retain') problems.push(`${LOGICAL_IDS.table} is not retained on stack deletion or replacement in ${stage}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// S3

export function checkBucket(template: CfnTemplate, { stage }: CheckOptions): string[] {
  const bucket = resource(template, LOGICAL_IDS.bucket, 'AWS::S3::Bucket');
  if (typeof bucket === 'string') return [bucket];
  const problems: string[] = [];
  const props = bucket.Properties ?? {};
  for (const flag of ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']) {
    if (at(props, 'PublicAccessBlockConfiguration', flag) !== true) problems.push(`${LOGICAL_IDS.bucket} does not set PublicAccessBlockConfiguration.${flag}`);
  }
  if (at(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'ServerSideEncryptionByDefault', 'SSEAlgorithm') === undefined) problems.push(`${LOGICAL_IDS.bucket} has no default encryption`);
  if (at(props, 'VersioningConfiguration', 'Status') !== 'Enabled') problems.push(`${LOGICAL_IDS.bucket} is not versioned`);
  // Browser uploads (the web UI) PUT straight to presigned URLs from another origin.
  const cors = at(props, 'CorsConfiguration', 'CorsRules');
  const browserPut = Array.isArray(cors) && cors.some((rule) => asArray(at(rule, 'AllowedMethods') ?? null).includes('PUT') && asArray(at(rule, 'AllowedHeaders') ?? null).includes('*'));
  if (!browserPut) problems.push(`${LOGICAL_IDS.bucket} has no CORS rule letting browsers PUT to presigned upload URLs`);
  const rules = at(props, 'LifecycleConfiguration', 'Rules');
  const staging = Array.isArray(rules)
    ? rules.find((rule) => at(rule, 'Status') === 'Enabled' && (at(rule, 'Prefix') ?? at(rule, 'Filter', 'Prefix')) === 'staging/')
    : undefined;
  if (!staging) problems.push(`${LOGICAL_IDS.bucket} has no enabled lifecycle rule for staging/`);
  else {
    if (at(staging, 'ExpirationInDays') !== 1) problems.push(`${LOGICAL_IDS.bucket} staging/ uploads do not expire after 1 day`);
    if (typeof at(staging, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation') !== 'number') problems.push(`${LOGICAL_IDS.bucket} staging/ rule does not abort incomplete multipart uploads`);
  }
  if (!render(props['BucketName'] ?? null).includes(`-${stage}-`)) problems.push(`${LOGICAL_IDS.bucket} BucketName does not name the stage ${stage}`);
  if (stage === PRODUCTION_STAGE && (bucket.DeletionPolicy !== 'Retain' || bucket.UpdateReplacePolicy !== 'Retain')) problems.push(`${LOGICAL_IDS.bucket} is not retained on stack deletion or replacement in ${stage}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Lambda

export function checkFunction(template: CfnTemplate): string[] {
  const fn = resource(template, LOGICAL_IDS.function, 'AWS::Lambda::Function');
  if (typeof fn === 'string') return [fn];
  const problems: string[] = [];
  const props = fn.Properties ?? {};
  const runtime = /^nodejs(\d+)\.x$/.exec(String(props['Runtime']));
  if (!runtime || Number(runtime[1]) < 20) problems.push(`${LOGICAL_IDS.function} Runtime ${String(props['Runtime'])} is not nodejs20.x or newer`);
  if (canonical(props['Architectures']) !== canonical(['arm64'])) problems.push(`${LOGICAL_IDS.function} is not arm64`);
  if (props['Handler'] !== 'dist/lambda/handler.handler') problems.push(`${LOGICAL_IDS.function} Handler is ${String(props['Handler'])}, not the esbuild bundle's dist/lambda/handler.handler`);
  const env = at(props, 'Environment', 'Variables');
  const variables = isObject(env) ? env : {};
  if (variables['STORAGE'] !== 'aws') problems.push(`${LOGICAL_IDS.function} does not set STORAGE=aws`);
  if (canonical(variables['TABLE_NAME']) !== canonical({ Ref: LOGICAL_IDS.table })) problems.push(`${LOGICAL_IDS.function} TABLE_NAME is not the stack's table`);
  if (canonical(variables['BUCKET_NAME']) !== canonical({ Ref: LOGICAL_IDS.bucket })) problems.push(`${LOGICAL_IDS.function} BUCKET_NAME is not the stack's bucket`);
  for (const secret of SECRET_VARIABLES) {
    if (secret in variables) problems.push(`${LOGICAL_IDS.function} has the secret ${secret} in its environment; name an SSM parameter in ${secret}_PARAMETER instead`);
  }
  const logGroup = resource(template, LOGICAL_IDS.logGroup, 'AWS::Logs::LogGroup');
  if (typeof logGroup === 'string') problems.push(logGroup);
  else if (typeof logGroup.Properties?.['RetentionInDays'] !== 'number') problems.push(`${LOGICAL_IDS.logGroup} keeps logs forever (no RetentionInDays)`);
  const api = resource(template, LOGICAL_IDS.httpApi, 'AWS::ApiGatewayV2::Api');
  if (typeof api === 'string') problems.push(api);
  // CORS is the function's (CORS_ORIGINS): a gateway-level configuration would answer preflights
  // for origins the application does not allow.
  else if (api.Properties?.['CorsConfiguration'] !== undefined) problems.push(`${LOGICAL_IDS.httpApi} has its own CORS configuration; set CORS_ORIGINS (param corsOrigins) instead`);
  if (typeof variables['CORS_ORIGINS'] !== 'string') problems.push(`${LOGICAL_IDS.function} does not set CORS_ORIGINS`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The stream projector

export function checkProjector(template: CfnTemplate): string[] {
  const fn = resource(template, LOGICAL_IDS.projector, 'AWS::Lambda::Function');
  if (typeof fn === 'string') return [fn];
  const problems: string[] = [];
  const props = fn.Properties ?? {};
  if (props['Handler'] !== 'dist/lambda/projector.handler') problems.push(`${LOGICAL_IDS.projector} Handler is ${String(props['Handler'])}, not dist/lambda/projector.handler`);
  if (render(props['Role'] ?? null) !== `\${${LOGICAL_IDS.projectorRole}.Arn}`) problems.push(`${LOGICAL_IDS.projector} does not run as ${LOGICAL_IDS.projectorRole}`);
  if (render(at(props, 'Environment', 'Variables', 'TABLE_NAME') ?? null) !== `\${${LOGICAL_IDS.table}}`) problems.push(`${LOGICAL_IDS.projector} TABLE_NAME is not the stack's table`);
  const mappings = Object.entries(template.Resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping' && render(r.Properties?.['FunctionName'] ?? null) === `\${${LOGICAL_IDS.projector}.Arn}`,
  );
  const stream = mappings.find(([, r]) => render(r.Properties?.['EventSourceArn'] ?? null) === `\${${LOGICAL_IDS.table}.StreamArn}`);
  if (!stream) return [...problems, `${LOGICAL_IDS.projector} has no event source mapping on ${LOGICAL_IDS.table}'s stream`];
  const [id, mapping] = stream;
  const m = mapping.Properties ?? {};
  // Without these a poison record blocks its shard until it expires, and failures vanish.
  if (m['BisectBatchOnFunctionError'] !== true) problems.push(`${id} does not bisect failing batches`);
  const retries = m['MaximumRetryAttempts'];
  if (typeof retries !== 'number' || retries < 1 || retries > 10) problems.push(`${id} MaximumRetryAttempts is ${String(retries)}, not a bounded 1-10`);
  if (!asArray(m['FunctionResponseTypes']).includes('ReportBatchItemFailures')) problems.push(`${id} does not use ReportBatchItemFailures`);
  const destination = at(m, 'DestinationConfig', 'OnFailure', 'Destination');
  if (render(destination ?? null) !== `\${${LOGICAL_IDS.projectorQueue}.Arn}`) problems.push(`${id} has no on-failure destination ${LOGICAL_IDS.projectorQueue}`);
  const queue = resource(template, LOGICAL_IDS.projectorQueue, 'AWS::SQS::Queue');
  if (typeof queue === 'string') problems.push(queue);
  else if (typeof queue.Properties?.['MessageRetentionPeriod'] !== 'number') problems.push(`${LOGICAL_IDS.projectorQueue} has no MessageRetentionPeriod`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The web UI behind CloudFront

/** The client-side router's pages (ui/src/router.tsx) and files: what must reach the UI bucket. */
export const UI_PROBE_PATHS = ['/index.html', '/ui-assets/index-abc123.js', '/favicon.svg', '/sign-in', '/browse', '/browse/some-id', '/register', '/admin', '/status'];
/** GraphQL and the course REST paths (course-openapi-3.4.7.yaml): what must reach the API. */
export const API_PROBE_PATHS = ['/graphql', '/health', '/health/components', '/artifacts', '/artifacts/model/1', '/reset', '/artifact/model', '/artifact/model/1/rate', '/artifact/byName/x', '/artifact/byRegEx', '/authenticate', '/tracks', '/browser', '/statistics'];

/** A CloudFront path pattern (`*` any run of characters, `?` one) as a test on a path. */
export function matchesPathPattern(pattern: string, urlPath: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(urlPath);
}

/** The origin id CloudFront sends a path to: the first cache behavior whose pattern matches, else the default. */
export function originFor(config: Json | undefined, urlPath: string): string | undefined {
  const behavior = asArray(at(config, 'CacheBehaviors')).find((b) => matchesPathPattern(String(at(b, 'PathPattern') ?? ''), urlPath));
  const target = at(behavior ?? at(config, 'DefaultCacheBehavior'), 'TargetOriginId');
  return typeof target === 'string' ? target : undefined;
}

export function checkWebUi(template: CfnTemplate): string[] {
  const distribution = resource(template, LOGICAL_IDS.distribution, 'AWS::CloudFront::Distribution');
  if (typeof distribution === 'string') return [distribution];
  const problems: string[] = [];
  const config = at(distribution.Properties ?? {}, 'DistributionConfig');
  const origins = asArray(at(config, 'Origins'));
  const uiOrigin = origins.find((o) => render(at(o, 'DomainName') ?? null).startsWith(`\${${LOGICAL_IDS.uiBucket}.`));
  // The API's host is cut out of its endpoint URL (Fn::Select of Fn::Split), which render() keeps as JSON.
  const apiOrigin = origins.find((o) => new RegExp(`${LOGICAL_IDS.httpApi}[".,]+ApiEndpoint`).test(JSON.stringify(at(o, 'DomainName') ?? null)));
  if (!uiOrigin) problems.push(`${LOGICAL_IDS.distribution} has no origin on ${LOGICAL_IDS.uiBucket}`);
  if (!apiOrigin) problems.push(`${LOGICAL_IDS.distribution} has no origin on ${LOGICAL_IDS.httpApi}`);
  if (uiOrigin) {
    // Origin access control, not a public bucket or a legacy origin access identity.
    if (render(at(uiOrigin, 'OriginAccessControlId') ?? null) !== `\${${LOGICAL_IDS.uiOac}.Id}`) problems.push(`${LOGICAL_IDS.distribution} reads ${LOGICAL_IDS.uiBucket} without origin access control ${LOGICAL_IDS.uiOac}`);
    if (at(uiOrigin, 'S3OriginConfig', 'OriginAccessIdentity')) problems.push(`${LOGICAL_IDS.distribution} uses a legacy origin access identity for ${LOGICAL_IDS.uiBucket}`);
  }
  if (apiOrigin && at(apiOrigin, 'CustomOriginConfig', 'OriginProtocolPolicy') !== 'https-only') problems.push(`${LOGICAL_IDS.distribution} reaches the API without https-only`);
  const oac = resource(template, LOGICAL_IDS.uiOac, 'AWS::CloudFront::OriginAccessControl');
  if (typeof oac === 'string') problems.push(oac);
  else {
    const oacConfig = at(oac.Properties ?? {}, 'OriginAccessControlConfig');
    if (at(oacConfig, 'OriginAccessControlOriginType') !== 's3' || at(oacConfig, 'SigningBehavior') !== 'always' || at(oacConfig, 'SigningProtocol') !== 'sigv4') problems.push(`${LOGICAL_IDS.uiOac} does not sign every S3 request with sigv4`);
  }
  const uiId = uiOrigin ? at(uiOrigin, 'Id') : undefined;
  const apiId = apiOrigin ? at(apiOrigin, 'Id') : undefined;
  for (const urlPath of UI_PROBE_PATHS) {
    if (uiId === undefined || originFor(config, urlPath) !== uiId) problems.push(`${LOGICAL_IDS.distribution} does not route the UI path ${urlPath} to ${LOGICAL_IDS.uiBucket}`);
  }
  for (const urlPath of API_PROBE_PATHS) {
    if (apiId === undefined || originFor(config, urlPath) !== apiId) problems.push(`${LOGICAL_IDS.distribution} does not route the API path ${urlPath} to ${LOGICAL_IDS.httpApi}`);
  }
  // The API is never cached at the edge and takes every method; the UI's files are compressed.
  const defaults = at(config, 'DefaultCacheBehavior');
  if (at(defaults, 'CachePolicyId') !== CACHING_DISABLED) problems.push(`${LOGICAL_IDS.distribution} caches API answers (the default behavior's cache policy is not CachingDisabled)`);
  if (!['POST', 'PUT', 'DELETE'].every((m) => asArray(at(defaults, 'AllowedMethods')).includes(m))) problems.push(`${LOGICAL_IDS.distribution} does not pass POST, PUT and DELETE to the API`);
  for (const behavior of asArray(at(config, 'CacheBehaviors'))) {
    if (at(behavior, 'TargetOriginId') === uiId && at(behavior, 'Compress') !== true) problems.push(`${LOGICAL_IDS.distribution} does not compress ${String(at(behavior, 'PathPattern'))}`);
  }
  const bucket = resource(template, LOGICAL_IDS.uiBucket, 'AWS::S3::Bucket');
  if (typeof bucket === 'string') problems.push(bucket);
  else {
    for (const flag of ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']) {
      if (at(bucket.Properties ?? {}, 'PublicAccessBlockConfiguration', flag) !== true) problems.push(`${LOGICAL_IDS.uiBucket} does not set PublicAccessBlockConfiguration.${flag}`);
    }
  }
  const policy = resource(template, LOGICAL_IDS.uiBucketPolicy, 'AWS::S3::BucketPolicy');
  if (typeof policy === 'string') problems.push(policy);
  else {
    const allows = asArray(at(policy.Properties ?? {}, 'PolicyDocument', 'Statement')).filter((st) => at(st, 'Effect') === 'Allow');
    const scoped = allows.every(
      (st) => at(st, 'Principal', 'Service') === 'cloudfront.amazonaws.com' && render(at(st, 'Condition', 'StringEquals', 'AWS:SourceArn') ?? null).endsWith(`:distribution/\${${LOGICAL_IDS.distribution}}`),
    );
    if (allows.length === 0 || !scoped) problems.push(`${LOGICAL_IDS.uiBucketPolicy} lets someone other than ${LOGICAL_IDS.distribution} read the UI bucket`);
  }
  return problems;
}

/** AWS's managed CachingDisabled cache policy (a fixed id in every account). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

// ---------------------------------------------------------------------------------------------
// IAM

export interface PolicyStatement {
  /** The logical id of the role or policy resource holding the statement. */
  readonly owner: string;
  readonly where: string;
  readonly effect: string;
  readonly actions: readonly string[];
  /** Resources with intrinsics rendered: `${RegistryTable.Arn}/index/gsi1`, `${AWS::Region}`. */
  readonly resources: readonly string[];
  readonly raw: { readonly [key: string]: Json };
}

/** Every statement of every identity policy in the template (roles' inline policies, policies, managed policies). */
export function identityStatements(template: CfnTemplate): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const [id, res] of Object.entries(template.Resources)) {
    const documents: [string, Json | undefined][] =
      res.Type === 'AWS::IAM::Role'
        ? (asArray(res.Properties?.['Policies'])).map((policy, i) => [`${id}.Policies[${i}]`, at(policy, 'PolicyDocument')])
        : res.Type === 'AWS::IAM::Policy' || res.Type === 'AWS::IAM::ManagedPolicy'
          ? [[id, res.Properties?.['PolicyDocument']]]
          : [];
    for (const [where, document] of documents) {
      asArray(at(document ?? null, 'Statement')).forEach((statement, i) => {
        if (!isObject(statement)) return;
        statements.push({
          owner: id,
          where: `${where}.Statement[${i}]${typeof statement['Sid'] === 'string' ? ` (${statement['Sid']})` : ''}`,
          effect: String(statement['Effect']),
          actions: asArray(statement['Action'] ?? null).map(String),
          resources: asArray(statement['Resource'] ?? null).map(render),
          raw: statement,
        });
      });
    }
  }
  return statements;
}

export function checkIam(template: CfnTemplate, { stage }: CheckOptions): string[] {
  const problems: string[] = [];
  for (const [id, res] of Object.entries(template.Resources)) {
    if (res.Type === 'AWS::IAM::Role' && asArray(res.Properties?.['ManagedPolicyArns'] ?? null).length > 0) {
      problems.push(`${id} attaches managed policies; AWS's managed policies grant "*" resources`);
    }
  }
  const granted = new Map<string, Set<string>>();
  const parameterArns = new Set<string>();
  for (const statement of identityStatements(template)) {
    if (statement.effect !== 'Allow') continue;
    for (const key of ['NotAction', 'NotResource', 'NotPrincipal']) {
      if (key in statement.raw) problems.push(`${statement.where} uses ${key}, which allows everything not listed`);
    }
    if (statement.actions.length === 0 || statement.resources.length === 0) problems.push(`${statement.where} has no Action or no Resource`);
    for (const action of statement.actions) {
      if (action.includes('*')) problems.push(`${statement.where} allows the wildcard action ${action}`);
      const actions = granted.get(statement.owner) ?? new Set<string>();
      granted.set(statement.owner, actions.add(action));
    }
    for (const resourceArn of statement.resources) {
      if (resourceArn === '*') problems.push(`${statement.where} allows resource "*"`);
      for (const action of statement.actions) {
        const allowed = allowedResource(action, resourceArn, stage);
        if (!allowed) problems.push(`${statement.where} grants ${action} on ${resourceArn}, outside this stack's table, indexes, stream, bucket, failure queue, log groups and secrets`);
      }
      if (resourceArn.includes(':parameter/')) parameterArns.add(resourceArn.slice(resourceArn.indexOf(':parameter/') + ':parameter'.length));
    }
  }
  for (const owner of new Set([...granted.keys(), ...Object.keys(ROLE_ACTIONS)])) {
    const expected = ROLE_ACTIONS[owner]?.();
    const actual = [...(granted.get(owner) ?? [])].sort();
    if (!expected) problems.push(`${owner} grants ${actual.join(', ')}, but infra/iam-actions.ts knows no function using it`);
    else if (canonical(actual) !== canonical(expected)) {
      problems.push(`${owner} allows ${actual.join(', ') || '(nothing)'}; infra/iam-actions.ts says its function needs exactly ${expected.join(', ')}`);
    }
  }
  // The parameters the role may read are the ones the function is told to read.
  const fn = template.Resources[LOGICAL_IDS.function];
  const variables = at(fn?.Properties?.['Environment'] ?? null, 'Variables');
  const named = Object.entries(isObject(variables) ? variables : {})
    .filter(([name]) => name.endsWith('_PARAMETER'))
    .map(([, value]) => String(value))
    .sort();
  if (canonical(named) !== canonical([...parameterArns].sort())) {
    problems.push(`the function reads SSM parameters ${named.join(', ') || '(none)'} but the role allows ${[...parameterArns].join(', ') || '(none)'}`);
  }
  return problems;
}

/** Whether `action` on `arn` stays inside this stack (stream reads on its stream only); the only wildcards are Lambda's log stream names and the bucket's objects. */
function allowedResource(action: string, arn: string, stage: string): boolean {
  const service = action.split(':')[0] as AwsService;
  const account = String.raw`arn:(?:aws|\$\{AWS::Partition\}):SERVICE:\$\{AWS::Region\}:\$\{AWS::AccountId\}:`;
  switch (service) {
    case 'logs':
      return new RegExp(`^${account.replace('SERVICE', 'logs')}log-group:/aws/lambda/[^*:]+:log-stream:\\*$`).test(arn);
    case 'dynamodb':
      if (STREAM_ACTIONS.includes(action)) return arn === `\${${LOGICAL_IDS.table}.StreamArn}`;
      return arn === `\${${LOGICAL_IDS.table}.Arn}` || Object.values(GSIS).some((gsi) => arn === `\${${LOGICAL_IDS.table}.Arn}/index/${gsi.name}`);
    case 's3':
      // Bucket-level actions on the bucket, object-level actions on its objects only.
      return action === 's3:ListBucket' ? arn === `\${${LOGICAL_IDS.bucket}.Arn}` : arn === `\${${LOGICAL_IDS.bucket}.Arn}/*`;
    case 'sqs':
      return action === 'sqs:SendMessage' && arn === `\${${LOGICAL_IDS.projectorQueue}.Arn}`;
    case 'ssm':
      return new RegExp(`^${account.replace('SERVICE', 'ssm')}parameter/registry/${escape(stage)}/[a-z0-9-]+$`).test(arn);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

function resource(template: CfnTemplate, id: string, type: string): CfnResource | string {
  const found = template.Resources[id];
  if (!found) return `the template has no ${id} (${type})`;
  if (found.Type !== type) return `${id} is a ${found.Type}, not a ${type}`;
  return found;
}

function isObject(value: Json | undefined): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `value[path0][path1]...`, or undefined when any step is missing. */
export function at(value: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let current: Json | undefined = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isObject(current) ? current[step] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Intrinsic functions as text, so ARNs can be compared: Ref X -> ${X}, GetAtt X.Y -> ${X.Y}, Join joined. */
export function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    if (typeof value['Ref'] === 'string') return `\${${value['Ref']}}`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `\${${getAtt.map(String).join('.')}}`;
    if (typeof getAtt === 'string') return `\${${getAtt}}`;
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map(render).join(join[0]);
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return sub;
  }
  return JSON.stringify(value);
}

/** Stable text of a JSON value (object keys sorted), for equality. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function sortBy(value: unknown, key: string): unknown {
  if (!Array.isArray(value)) return value;
  return [...(value as unknown[])].sort((a, b) => String(field(a, key)).localeCompare(String(field(b, key))));
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
