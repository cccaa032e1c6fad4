import { z } from 'zod';
import { appError, err, ok, type AppError, type Result } from './domain/result.js';

/** The default administrator's password for local and test use (requirements §5). */
export const DEFAULT_ADMIN_PASSWORD = "correcthorsebatterystaple123(!__+@**(A'\"`;DROP TABLE artifacts;";

export interface Config {
  readonly port: number;
  readonly dataDir: string;
  readonly storage: 'embedded' | 'aws';
  readonly dynamodbEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly region: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly hfEndpoint: string;
  readonly githubApiUrl: string;
  readonly hfToken?: string;
  readonly githubToken?: string;
  readonly adminPassword: string;
  readonly files: FileLimits;
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

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// DynamoDB table names: 3-255 of [a-zA-Z0-9_.-]; S3 bucket names: 3-63 lower-case DNS labels.
const byteCount = (fallback: number) => z.coerce.number({ error: 'must be a number of bytes' }).int().positive().max(Number.MAX_SAFE_INTEGER).default(fallback);
// S3 presigned URLs live at most 7 days.
const ttlSeconds = (fallback: number) => z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(604_800).default(fallback);
const tableName = z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be 3-255 characters of a-z, A-Z, 0-9, _, - and .');
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lower-case letters, digits, . and -)');

/** One entry per environment variable, so every error names the variable it is about. */
const variables = {
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().min(1).default('./.data'),
  STORAGE: z.enum(['embedded', 'aws'], { error: "must be 'embedded' or 'aws'" }).optional(),
  DYNAMODB_ENDPOINT: httpUrl.optional(),
  S3_ENDPOINT: httpUrl.optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  TABLE_NAME: tableName.default('registry'),
  BUCKET_NAME: bucketName.default('registry-blobs'),
  HF_ENDPOINT: httpUrl.default('https://huggingface.co'),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  HF_TOKEN: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  ADMIN_PASSWORD: z.string().min(1).default(DEFAULT_ADMIN_PASSWORD),
  MAX_UPLOAD_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxUploadBytes).refine((n) => n <= 5 * GIB, 'must be at most 5 GiB (S3 single PUT)'),
  MAX_ARTIFACT_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxArtifactBytes),
  MAX_INLINE_UPLOAD_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxInlineUploadBytes),
  MAX_MIRROR_BYTES: byteCount(DEFAULT_FILE_LIMITS.maxMirrorBytes),
  UPLOAD_URL_TTL_SECONDS: ttlSeconds(DEFAULT_FILE_LIMITS.uploadUrlTtlSeconds),
  DOWNLOAD_URL_TTL_SECONDS: ttlSeconds(DEFAULT_FILE_LIMITS.downloadUrlTtlSeconds),
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Parses the environment. Every problem is reported, each naming its variable; nothing falls back silently. */
export function loadConfig(env: Env): Result<Config, AppError[]> {
  const problems: AppError[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(variables)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(appError('BAD_USER_INPUT', `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(redact(name, raw))})`, { variable: name }));
  }
  const storage = (values['STORAGE'] as Config['storage'] | undefined) ?? (env['AWS_LAMBDA_FUNCTION_NAME'] ? 'aws' : 'embedded');
  if (storage === 'embedded') {
    for (const name of ['DYNAMODB_ENDPOINT', 'S3_ENDPOINT']) {
      if (env[name]) problems.push(appError('BAD_USER_INPUT', `${name} is set but STORAGE is embedded; set STORAGE=aws to use it`, { variable: name }));
    }
  }
  if (problems.length > 0) return err(problems);
  const optional = <K extends string>(key: K, name: string) => (values[name] === undefined ? {} : { [key]: values[name] as string });
  return ok({
    port: values['PORT'] as number,
    dataDir: values['DATA_DIR'] as string,
    storage,
    region: values['AWS_REGION'] as string,
    tableName: values['TABLE_NAME'] as string,
    bucketName: values['BUCKET_NAME'] as string,
    hfEndpoint: values['HF_ENDPOINT'] as string,
    githubApiUrl: values['GITHUB_API_URL'] as string,
    adminPassword: values['ADMIN_PASSWORD'] as string,
    files: {
      maxUploadBytes: values['MAX_UPLOAD_BYTES'] as number,
      maxArtifactBytes: values['MAX_ARTIFACT_BYTES'] as number,
      maxInlineUploadBytes: values['MAX_INLINE_UPLOAD_BYTES'] as number,
      maxMirrorBytes: values['MAX_MIRROR_BYTES'] as number,
      uploadUrlTtlSeconds: values['UPLOAD_URL_TTL_SECONDS'] as number,
      downloadUrlTtlSeconds: values['DOWNLOAD_URL_TTL_SECONDS'] as number,
    },
    ...optional('dynamodbEndpoint', 'DYNAMODB_ENDPOINT'),
    ...optional('s3Endpoint', 'S3_ENDPOINT'),
    ...optional('hfToken', 'HF_TOKEN'),
    ...optional('githubToken', 'GITHUB_TOKEN'),
  });
}

const SECRET_VARIABLES = new Set(['HF_TOKEN', 'GITHUB_TOKEN', 'ADMIN_PASSWORD']);
const redact = (name: string, value: string | undefined) => (SECRET_VARIABLES.has(name) && value ? '<redacted>' : value);
