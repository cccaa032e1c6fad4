import { loadConfig, type Config } from '../config.js';
import { createRegistry, optionsFromConfig, type Registry } from '../registry.js';
import { DEFAULT_SEARCH_INDEX_OPTIONS } from '../application/search-index.js';
import { createRegistryApp, type RegistryApp } from '../server/app.js';
import { resolveSecretParameters, ssmParameterReader, type ParameterReader } from './secret-parameters.js';

/** What one Lambda container builds once and every invocation reuses. */
export interface LambdaApp {
  readonly config: Config;
  readonly registry: Registry;
  /** GraphQL and REST, the same app `npm start` serves. */
  readonly app: RegistryApp;
}

export class LambdaSetupError extends Error {
  override readonly name = 'LambdaSetupError';
}

type Env = Readonly<Record<string, string | undefined>>;

export interface LambdaAppOptions {
  /** How to read SSM parameters; tests pass a fake. Only called when a `*_PARAMETER` is set. */
  readonly parameters?: (region: string) => ParameterReader;
}

/**
 * The registry for Lambda: configuration from the environment (secrets from SSM), AWS endpoints
 * only. Deliberately not `openRegistry` from server/bootstrap.ts: that one can start the embedded
 * emulators, and importing it would put dynalite and s3rver (and their LevelDB binding) in the
 * bundle. Nothing is provisioned: on AWS the table and bucket belong to CloudFormation.
 */
export async function createLambdaApp(env: Env, options: LambdaAppOptions = {}): Promise<LambdaApp> {
  // The secrets are part of the configuration, so SSM is read before loadConfig: region read directly
  // (Lambda always sets AWS_REGION; the fallback matches loadConfig's default).
  const region = env['AWS_REGION'] || 'us-east-1';
  const readerFor = options.parameters ?? lazySsmReader;
  const secrets = await resolveSecretParameters(env, () => readerFor(region));
  const loaded = loadConfig({ ...env, ...secrets });
  if (!loaded.ok) throw new LambdaSetupError(`configuration error: ${loaded.error.map((problem) => problem.message).join('; ')}`);
  const config = loaded.value;
  if (config.storage !== 'aws') {
    throw new LambdaSetupError('configuration error: STORAGE must be aws in Lambda (embedded emulators are not part of the bundle)');
  }
  const registry = await createRegistry(
    {
      region: config.region,
      tableName: config.tableName,
      bucketName: config.bucketName,
      ...(config.dynamodbEndpoint && { dynamodbEndpoint: config.dynamodbEndpoint }),
      ...(config.s3Endpoint && { s3Endpoint: config.s3Endpoint }),
    },
    // A Lambda container serves one request at a time: a scan on its own thread starves no other,
    // and the bundle carries no worker script.
    { ...optionsFromConfig(config), provision: false, ensureDefaultAdmin: false, searchIndex: { ...DEFAULT_SEARCH_INDEX_OPTIONS, scanIn: 'inline' } },
  );
  // No renderGraphiQL: the offline GraphiQL bundle is ~9 MB; yoga's page loads GraphiQL from a CDN.
  return { config, registry, app: createRegistryApp(registry, { corsOrigins: config.corsOrigins, requestLimits: config.requests }) };
}

/** The SSM client is loaded only when a secret is read (a container's first request, with `*_PARAMETER` set). */
function lazySsmReader(region: string): ParameterReader {
  return async (names) => {
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    return ssmParameterReader(new SSMClient({ region }))(names);
  };
}
