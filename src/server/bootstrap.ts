import { loadConfig, type Config } from '../config.js';
import { createRegistry, optionsFromConfig, type Registry } from '../registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from './embedded-storage.js';

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
  return {
    config,
    registry,
    ...(embedded && { embedded }),
    async close() {
      registry.destroy();
      await embedded?.close();
    },
  };
}
