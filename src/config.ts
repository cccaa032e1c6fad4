import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from './domain/result.js';
import { DEFAULT_HEALTH_LIMITS, type HealthLimits } from './application/health.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './application/login-limits.js';

/** The default administrator's password for local and test use (requirements §5). */
export const DEFAULT_ADMIN_PASSWORD = "correcthorsebatterystaple123(!__+@**(A'\"`;DROP TABLE artifacts;";

/**
 * Every spelling of the default password the course's clients send (requirements, "Users"): the
 * OpenAPI example above, the grader's and its deploy notes', and the project description's. While
 * ADMIN_PASSWORD is not set each one logs in as the default administrator; none is accepted once it is.
 */
export const DEFAULT_ADMIN_PASSWORD_SPELLINGS: readonly string[] = [
  DEFAULT_ADMIN_PASSWORD,
  "correcthorsebatterystaple123(!__+@**(A'\"`;DROP TABLE packages;",
  'correcthorsebatterystaple123(!__+@**(A;DROP TABLE packages',
];

export interface Config {
  readonly port: number;
  /** The interface `npm start` listens on: an address or a name that resolves to one. */
  readonly host: string;
  readonly dataDir: string;
  /** embedded: dynalite + s3rver in this process; dynamodb-local: Amazon's DynamoDB Local (Java) + s3rver; aws: real endpoints. */
  readonly storage: 'embedded' | 'dynamodb-local' | 'aws';
  readonly dynamodbEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly region: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly hfEndpoint: string;
  readonly githubApiUrl: string;
  readonly hfToken?: string;
  readonly githubToken?: string;
  /** ADMIN_PASSWORD; absent: the published default, in each of its spellings. */
  readonly adminPassword?: string;
  readonly files: FileLimits;
  /** Browser origins allowed to call the API cross-site (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  readonly requests: RequestLimits;
  readonly health: HealthLimits;
  readonly logins: LoginLimits;
  readonly webhooks: WebhookConfig;
}

/** Webhook delivery rules (README, "Webhooks"; SECURITY.md, "Webhooks"). */
export interface WebhookConfig {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: admit loopback and private addresses (never link-local or metadata). */
  readonly allowPrivateNetworks: boolean;
  /**
   * WEBHOOK_SECRET_KEY: 32 bytes (base64) that encrypt webhook secrets. Absent: embedded storage
   * generates one under DATA_DIR; on AWS no webhook can be created until it is set.
   */
  readonly secretKey?: Buffer;
}

/** Size limits and URL lifetimes for artifact files (see src/application/file-commands.ts). */
export interface FileLimits {
  /** One file through a presigned PUT; 5 GiB is S3's single-PUT maximum. */
  readonly maxUploadBytes: number;
  /** All files of one artifact together. */
  readonly maxArtifactBytes: number;
  /** One file through the GraphQL multipart upload, which does pass through the API process. */
  readonly maxInlineUploadBytes: number;
  /** All files one mirror call copies from the Hub. */
  readonly maxMirrorBytes: number;
  readonly uploadUrlTtlSeconds: number;
  readonly downloadUrlTtlSeconds: number;
}

const GIB = 1024 ** 3;
export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxUploadBytes: 5 * GIB,
  maxArtifactBytes: 50 * GIB,
  maxInlineUploadBytes: 5 * 1024 * 1024,
  maxMirrorBytes: 20 * GIB,
  uploadUrlTtlSeconds: 15 * 60,
  downloadUrlTtlSeconds: 5 * 60,
};

/**
 * What the HTTP layer accepts before any GraphQL work: body sizes by purpose and the cross-site
 * rules. One typed defaults object, as graphql-armor keeps its limits
 * (enforced in src/server/request-guards.ts).
 */
export interface RequestLimits {
  /** A GraphQL JSON (or GET) request with a token: documents are small, variables modest. */
  readonly maxJsonBodyBytes: number;
  /** The same without a token (`health`, `authenticate`): an anonymous request must be cheap. */
  readonly maxAnonymousBodyBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxJsonBodyBytes: 1024 * 1024,
  maxAnonymousBodyBytes: 64 * 1024,
};

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// DynamoDB table names: 3-255 of [a-zA-Z0-9_.-]; S3 bucket names: 3-63 lower-case DNS labels.
const byteCount = (fallback: number) => z.coerce.number({ error: 'must be a number of bytes' }).int().positive().max(Number.MAX_SAFE_INTEGER).default(fallback);
// S3 presigned URLs live at most 7 days.
const ttlSeconds = (fallback: number) => z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(604_800).default(fallback);
const count = (fallback: number, max: number) => z.coerce.number({ error: 'must be a whole number' }).int().min(1).max(max).default(fallback);
const tableName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be 3-255 characters of a-z, A-Z, 0-9, _, - and .');
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lower-case letters, digits, . and -)');

/** `https://app.example.com,http://localhost:5173`: exact origins, scheme and host (and port), no path. */
const origins = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter((part) => part !== ''))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s*]+$/, "each origin must be scheme://host[:port] with no path or wildcard, e.g. https://app.example.com")))
  .default([]);

const PORT_RANGE = 'must be a whole number from 0 to 65535 (0 picks a free port)';

/** One entry per environment variable, so every error names the variable it is about. */
const variables = {
  PORT: z.coerce.number({ error: PORT_RANGE }).int({ error: PORT_RANGE }).min(0, { error: PORT_RANGE }).max(65535, { error: PORT_RANGE }).default(4000),
  // Resolved when the server binds: a name that does not resolve then stops startup naming HOST.
  HOST: z.string().trim().min(1).regex(/^[^\s/]+$/, 'must be an IP address or a host name (no scheme, path or spaces)').default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./.data'),
  STORAGE: z.enum(['embedded', 'dynamodb-local', 'aws'], { error: "must be 'embedded', 'dynamodb-local' (needs Java) or 'aws'" }).optional(),
  DYNAMODB_ENDPOINT: httpUrl.optional(),
  S3_ENDPOINT: httpUrl.optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  TABLE_NAME: tableName.default('registry'),
  BUCKET_NAME: bucketName.default('registry-blobs'),
  HF_ENDPOINT: httpUrl.default('https://huggingface.co'),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  HF_TOKEN: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  MAX_UPLOAD_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxUploadBytes).refine((n) => n <= 5 * GIB, 'must be at most 5 GiB (S3 single PUT)'),
  MAX_ARTIFACT_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxArtifactBytes),
  MAX_INLINE_UPLOAD_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxInlineUploadBytes),
  MAX_MIRROR_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxMirrorBytes),
  UPLOAD_URL_TTL_SECONDS: ttlSeconds(DEFAULT_FILE_LIMITS.uploadUrlTtlSeconds),
  DOWNLOAD_URL_TTL_SECONDS: ttlSeconds(DEFAULT_FILE_LIMITS.downloadUrlTtlSeconds),
  CORS_ORIGINS: origins,
  MAX_JSON_BODY_BYTES: byteCount(DEFAULT_REQUEST_LIMITS.maxJsonBodyBytes),
  MAX_ANONYMOUS_BODY_BYTES: byteCount(DEFAULT_REQUEST_LIMITS.maxAnonymousBodyBytes),
  // 0 checks storage on every health call; an hour is far beyond any useful probe period.
  HEALTH_CACHE_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(3_600_000).default(DEFAULT_HEALTH_LIMITS.componentCacheMs),
  LOGIN_HASH_CONCURRENCY: count(DEFAULT_LOGIN_LIMITS.hashConcurrency, 64),
  LOGIN_HASH_QUEUE: z.coerce.number({ error: 'must be a whole number' }).int().min(0).max(10_000).default(DEFAULT_LOGIN_LIMITS.hashQueue),
  LOGIN_RATE_BURST: count(DEFAULT_LOGIN_LIMITS.addressBurst, 1_000_000),
  LOGIN_RATE_PER_MINUTE: count(DEFAULT_LOGIN_LIMITS.addressPerMinute, 1_000_000),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).default('false'),
  WEBHOOK_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)')
    .transform((text) => Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64'))
    .optional(),
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const envSchema = z.object(variables);

/** Parses the environment. Every problem is reported, each naming its variable; nothing falls back silently. */
export function loadConfig(env: Env): Result<Config, AppError[]> {
  // An empty variable means "not set", as shells and .env files commonly produce it.
  const raw = Object.fromEntries(Object.keys(variables).map((name) => [name, env[name] === '' ? undefined : env[name]]));
  const parsed = envSchema.safeParse(raw);
  const problems: AppError[] = [];
  if (!parsed.success) {
    const reported = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (reported.has(name)) continue;
      reported.add(name);
      problems.push(appError('BAD_USER_INPUT', `${name}: ${issue.message} (got ${JSON.stringify(redact(name, raw[name]))})`, { variable: name }));
    }
  }
  const storage = parsed.success ? (parsed.data.STORAGE ?? (env['AWS_LAMBDA_FUNCTION_NAME'] ? 'aws' : 'embedded')) : undefined;
  if (storage !== undefined && storage !== 'aws') {
    for (const name of ['DYNAMODB_ENDPOINT', 'S3_ENDPOINT']) {
      if (env[name]) problems.push(appError('BAD_USER_INPUT', `${name} is set but STORAGE is ${storage}; set STORAGE=aws to use it`, { variable: name }));
    }
  }
  if (!parsed.success || storage === undefined || problems.length > 0) return err(problems);
  const v = parsed.data;
  return ok({
    port: v.PORT,
    host: v.HOST,
    dataDir: v.DATA_DIR,
    storage,
    region: v.AWS_REGION,
    tableName: v.TABLE_NAME,
    bucketName: v.BUCKET_NAME,
    hfEndpoint: v.HF_ENDPOINT,
    githubApiUrl: v.GITHUB_API_URL,
    files: {
      maxUploadBytes: v.MAX_UPLOAD_BYTES,
      maxArtifactBytes: v.MAX_ARTIFACT_BYTES,
      maxInlineUploadBytes: v.MAX_INLINE_UPLOAD_BYTES,
      maxMirrorBytes: v.MAX_MIRROR_BYTES,
      uploadUrlTtlSeconds: v.UPLOAD_URL_TTL_SECONDS,
      downloadUrlTtlSeconds: v.DOWNLOAD_URL_TTL_SECONDS,
    },
    corsOrigins: v.CORS_ORIGINS,
    requests: { maxJsonBodyBytes: v.MAX_JSON_BODY_BYTES, maxAnonymousBodyBytes: v.MAX_ANONYMOUS_BODY_BYTES },
    health: { componentCacheMs: v.HEALTH_CACHE_MS },
    logins: {
      ...DEFAULT_LOGIN_LIMITS,
      hashConcurrency: v.LOGIN_HASH_CONCURRENCY,
      hashQueue: v.LOGIN_HASH_QUEUE,
      addressBurst: v.LOGIN_RATE_BURST,
      addressPerMinute: v.LOGIN_RATE_PER_MINUTE,
    },
    webhooks: {
      allowPrivateNetworks: v.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
      ...(v.WEBHOOK_SECRET_KEY !== undefined && { secretKey: v.WEBHOOK_SECRET_KEY }),
    },
    ...(v.DYNAMODB_ENDPOINT !== undefined && { dynamodbEndpoint: v.DYNAMODB_ENDPOINT }),
    ...(v.S3_ENDPOINT !== undefined && { s3Endpoint: v.S3_ENDPOINT }),
    ...(v.ADMIN_PASSWORD !== undefined && { adminPassword: v.ADMIN_PASSWORD }),
    ...(v.HF_TOKEN !== undefined && { hfToken: v.HF_TOKEN }),
    ...(v.GITHUB_TOKEN !== undefined && { githubToken: v.GITHUB_TOKEN }),
  });
}

const SECRET_VARIABLES = new Set(['HF_TOKEN', 'GITHUB_TOKEN', 'ADMIN_PASSWORD', 'WEBHOOK_SECRET_KEY']);
const redact = (name: string, value: string | undefined) => (SECRET_VARIABLES.has(name) && value ? '<redacted>' : value);
