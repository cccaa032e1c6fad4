import { loadConfig, type Config } from '../config.js';
import { createRegistry, optionsFromConfig, type Registry } from '../registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from './embedded-storage.js';
import { DynamoDbLocalUnavailable } from './dynamodb-local.js';
import { PACKAGE_MAX_AGE_MS, STAGING_MAX_AGE_MS } from '../application/file-commands.js';
import { err, ok, type Result } from '../domain/result.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { checkAwsCredentials } from './aws-credentials.js';
import { startupFailure, type StartupFailure } from './startup-failure.js';
import { checkLastShutdown, markCleanShutdown, repairAfterCrash } from './crash-repair.js';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The embedded equivalent of serverless.yml's lifecycle rules: at startup and hourly, delete staged
 * uploads older than a day (never completed) and cached package archives older than a week.
 * Failures are logged, not fatal.
 */
export function sweepStagingPeriodically(registry: Registry, log: (message: string) => void = console.error): NodeJS.Timeout {
  const sweep = () => {
    const now = registry.clock.now().getTime();
    registry.blobs
      .deleteOlderThan(new Date(now - STAGING_MAX_AGE_MS), 'staging/')
      .then(() => registry.blobs.deleteOlderThan(new Date(now - PACKAGE_MAX_AGE_MS), 'packages/'))
      .catch((error: unknown) => log(`bucket cleanup failed: ${String(error)}`));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return timer;
}

export interface OpenRegistry {
  readonly config: Config;
  readonly registry: Registry;
  readonly embedded?: EmbeddedStorage;
  close(): Promise<void>;
}

/** Reads the environment or exits naming every bad variable: no silent fallback to other storage. */
export function configOrExit(env: NodeJS.ProcessEnv): Config {
  const config = loadConfig(env);
  if (config.ok) return config.value;
  for (const problem of config.error) console.error(`configuration error: ${problem.message}`);
  process.exit(1);
}

/**
 * The registry over the configured storage: embedded emulators under DATA_DIR (locked to this
 * process), or AWS endpoints (credentials checked first). Operator mistakes are a StartupFailure.
 */
export async function openRegistry(config: Config): Promise<Result<OpenRegistry, StartupFailure>> {
  let lock: DataDirLock | undefined;
  if (config.storage !== 'aws') {
    const locked = await lockDataDir(config.dataDir);
    if (!locked.ok) return locked;
    lock = locked.value;
  } else {
    const credentials = await checkAwsCredentials(config.region);
    if (!credentials.ok) return err(credentials.error);
  }
  let embedded: EmbeddedStorage | undefined;
  let registry: Registry;
  try {
    // Read before the emulators start: a missing clean-shutdown marker means the last process died.
    const lastShutdown = lock ? await checkLastShutdown(config.dataDir) : undefined;
    if (lock) {
      const dynamodb = config.storage === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
      embedded = await startEmbeddedStorage({ dataDir: config.dataDir, dynamodb });
    }
    registry = await createRegistry({
      region: config.region,
      tableName: config.tableName,
      bucketName: config.bucketName,
      ...(embedded
        ? { dynamodbEndpoint: embedded.dynamodbEndpoint, s3Endpoint: embedded.s3Endpoint, emulated: true }
        : {
            ...(config.dynamodbEndpoint && { dynamodbEndpoint: config.dynamodbEndpoint }),
            ...(config.s3Endpoint && { s3Endpoint: config.s3Endpoint }),
          }),
    }, optionsFromConfig(config));
    if (lastShutdown) await repairAfterCrash(registry, lastShutdown);
  } catch (error) {
    await embedded?.close().catch(() => {});
    await lock?.release();
    if (error instanceof DynamoDbLocalUnavailable) {
      return err(startupFailure(`STORAGE=dynamodb-local could not start DynamoDB Local (${error.message.split('\n')[0]})`, 'install Java 17+ (apt-get install default-jre-headless) or use STORAGE=embedded'));
    }
    throw error;
  }
  // On AWS the bucket's lifecycle rule expires abandoned staging/ uploads; the emulator has none.
  const stagingSweep = embedded ? sweepStagingPeriodically(registry) : undefined;
  return ok({
    config,
    registry,
    ...(embedded && { embedded }),
    async close() {
      if (stagingSweep) clearInterval(stagingSweep);
      registry.destroy();
      await embedded?.close();
      if (embedded) await markCleanShutdown(config.dataDir);
      await lock?.release();
    },
  });
}
