import { loadConfig } from './config.js';
import { createRegistry } from './registry.js';
import { startEmbeddedStorage, type EmbeddedStorage } from './server/embedded-storage.js';
import { createRegistryYoga, listen } from './server/yoga.js';

/** `npm start`: the registry on PORT, with embedded storage under DATA_DIR unless STORAGE=aws. */
const config = loadConfig(process.env);
if (!config.ok) {
  for (const problem of config.error) console.error(`configuration error: ${problem.message}`);
  process.exit(1);
}
const { value } = config;

let embedded: EmbeddedStorage | undefined;
if (value.storage === 'embedded') {
  embedded = await startEmbeddedStorage({ dataDir: value.dataDir });
  console.log(`embedded DynamoDB (dynalite) at ${embedded.dynamodbEndpoint}, S3 (s3rver) at ${embedded.s3Endpoint}, data in ${value.dataDir}`);
}
const registry = await createRegistry({
  region: value.region,
  tableName: value.tableName,
  bucketName: value.bucketName,
  ...(embedded
    ? { dynamodbEndpoint: embedded.dynamodbEndpoint, s3Endpoint: embedded.s3Endpoint, emulated: true }
    : { ...(value.dynamodbEndpoint && { dynamodbEndpoint: value.dynamodbEndpoint }), ...(value.s3Endpoint && { s3Endpoint: value.s3Endpoint }) }),
});
const http = await listen(createRegistryYoga(registry), value.port, process.env['HOST'] ?? '127.0.0.1');
console.log(`registry ready: GraphiQL at ${http.url.replace('127.0.0.1', 'localhost')}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  await http.close();
  registry.destroy();
  await embedded?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
