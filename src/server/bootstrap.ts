import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createRegistry, optionsFromConfig, type Registry } from '../registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from './embedded-storage.js';
import { DynamoDbLocalUnavailable } from './dynamodb-local.js';
import { PACKAGE_MAX_AGE_MS, STAGING_MAX_AGE_MS } from '../application/file-commands.js';
import { err, ok, type Result } from '../domain/result.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { checkAwsCredentials } from './aws-credentials.js';
import { startupFailure, systemErrorCode, type StartupFailure } from './startup-failure.js';
import { checkLastShutdown, markCleanShutdown, repairAfterCrash } from './crash-repair.js';
import { pollReactions } from './reaction-poller.js';
import { hasCause } from '../store/cause-chain.js';
import { embeddedWebhookKey } from './webhook-key.js';
import { dispatchWebhooksPeriodically } from './webhook-worker.js';
import { publishSharedStorage, readSharedStorage, removeStaleSharedStorage, type PublishedStorage, type SharedStorage } from './shared-storage.js';

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

/**
 * `server` (`npm start`) holds DATA_DIR, repairs after a crash and shares its embedded stores; a
 * `command` (the CLI) holds DATA_DIR when it is free, and otherwise uses the stores of the server
 * that holds it: LevelDB, under the embedded DynamoDB, allows one process per directory.
 */
export type RegistryRole = 'server' | 'command';

export interface OpenRegistry {
  readonly config: Config;
  readonly registry: Registry;
  readonly embedded?: EmbeddedStorage;
  /** The running server whose embedded stores this command uses (it holds DATA_DIR). */
  readonly attached?: SharedStorage;
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
export async function openRegistry(config: Config, role: RegistryRole): Promise<Result<OpenRegistry, StartupFailure>> {
  let lock: DataDirLock | undefined;
  if (config.storage !== 'aws') {
    const locked = await lockDataDir(config.dataDir);
    if (!locked.ok) {
      const holder = locked.error.heldBy;
      return role === 'command' && holder !== undefined ? attachToServer(config, holder) : locked;
    }
    lock = locked.value;
    await removeStaleSharedStorage(config.dataDir);
  } else {
    const credentials = await checkAwsCredentials(config.region);
    if (!credentials.ok) return err(credentials.error);
  }
  let embedded: EmbeddedStorage | undefined;
  let registry: Registry;
  let published: PublishedStorage | undefined;
  try {
    // Read before the emulators start: a missing clean-shutdown marker means the last process died.
    const lastShutdown = lock ? await checkLastShutdown(config.dataDir) : undefined;
    if (lock) {
      embedded = await startEmbeddedStorage({ dataDir: config.dataDir, dynamodb: engineOf(config) });
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
    }, await webhookReadyOptions(config, embedded !== undefined));
    if (lastShutdown) await repairAfterCrash(registry, lastShutdown);
    // Only once repaired: a command that uses the stores finds them consistent.
    if (embedded && role === 'server') published = await publishSharedStorage(config.dataDir, { engine: engineOf(config), dynamodbEndpoint: embedded.dynamodbEndpoint, s3Endpoint: embedded.s3Endpoint });
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
  // The server replays what follows each commit from the change feed (on AWS: the stream function).
  const reactionPoller = role === 'server' ? pollReactions(registry) : undefined;
  const webhookWorker = role === 'server' ? dispatchWebhooksPeriodically(registry) : undefined;
  return ok({
    config,
    registry,
    ...(embedded && { embedded }),
    async close() {
      if (stagingSweep) clearInterval(stagingSweep);
      await reactionPoller?.stop();
      if (webhookWorker) clearInterval(webhookWorker);
      await published?.withdraw();
      registry.destroy();
      await embedded?.close();
      if (embedded) await markCleanShutdown(config.dataDir);
      await lock?.release();
    },
  });
}

/** The configuration's options; embedded storage without WEBHOOK_SECRET_KEY keeps a generated key in DATA_DIR. */
async function webhookReadyOptions(config: Config, embedded: boolean) {
  const options = optionsFromConfig(config);
  if (!embedded || config.webhooks.secretKey) return options;
  return { ...options, webhooks: { ...config.webhooks, secretKey: await embeddedWebhookKey(config.dataDir) } };
}

const engineOf = (config: Config): SharedStorage['engine'] => (config.storage === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite');

/**
 * A command beside a running server: the server's stores, nothing of DATA_DIR's own (no lock, no
 * crash repair, no sweep, no clean-shutdown marker; the server provisioned the table and bucket).
 */
async function attachToServer(config: Config, pid: number): Promise<Result<OpenRegistry, StartupFailure>> {
  const shared = await readSharedStorage(config.dataDir, pid);
  if (!shared) {
    return err(startupFailure(
      `another registry process (pid ${pid}) is using DATA_DIR=${path.resolve(config.dataDir)} and does not share its storage (another CLI command, or a server still starting)`,
      'wait for it to finish, then run the command again',
    ));
  }
  let registry: Registry;
  try {
    registry = await createRegistry(
      { region: config.region, tableName: config.tableName, bucketName: config.bucketName, dynamodbEndpoint: shared.dynamodbEndpoint, s3Endpoint: shared.s3Endpoint, emulated: true },
      { ...optionsFromConfig(config), provision: false, ensureDefaultAdmin: false },
    );
    // A first call proves the stores answer: a server killed a moment ago is a one-line failure here.
    await registry.currentScope();
  } catch (error) {
    if (storageUnreachable(error)) return err(serverStopped(pid));
    if (hasCause(error, (cause) => cause.name === 'ResourceNotFoundException')) {
      return err(startupFailure(`the registry process (pid ${pid}) on DATA_DIR has no table ${config.tableName}`, 'set TABLE_NAME as the server has it'));
    }
    throw error;
  }
  return ok({ config, registry, attached: shared, close: async () => registry.destroy() });
}

/** The server a command was using stopped (or was killed): its stores no longer answer. */
export function serverStopped(pid: number): StartupFailure {
  return startupFailure(`the registry process (pid ${pid}) whose storage this command uses stopped answering`, 'run the command again (export and import resume), with or without the server');
}

/** A refused or cut connection to an embedded store, as the AWS SDK reports it (the socket error itself, or its cause). */
export function storageUnreachable(error: unknown): boolean {
  const codes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
  return hasCause(error, (cause) => codes.has(systemErrorCode(cause) ?? ''));
}
