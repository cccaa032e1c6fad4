import { loadConfig, type Config } from '../config.js';
import { createRegistry, optionsFromConfig, type Registry } from '../registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from './embedded-storage.js';
import { PACKAGE_MAX_AGE_MS, STAGING_MAX_AGE_MS } from '../application/file-commands.js';
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

/** The registry over the configured storage: embedded emulators under DATA_DIR, or AWS endpoints. */
export async function openRegistry(config: Config): Promise<OpenRegistry> {
  const lastShutdown = config.storage === 'embedded' ? await checkLastShutdown(config.dataDir) : undefined;
  const embedded = config.storage === 'embedded' ? await startEmbeddedStorage({ dataDir: config.dataDir }) : undefined;
  const registry = await createRegistry({
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
  // On AWS the bucket's lifecycle rule expires abandoned staging/ uploads; the emulator has none.
  const stagingSweep = embedded ? sweepStagingPeriodically(registry) : undefined;
  return {
    config,
    registry,
    ...(embedded && { embedded }),
    async close() {
      if (stagingSweep) clearInterval(stagingSweep);
      registry.destroy();
      await embedded?.close();
      if (embedded) await markCleanShutdown(config.dataDir);
    },
  };
}
