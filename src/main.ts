import { servedGraphiQL } from './server/graphiql-assets.js';
import { configOrExit, openRegistry } from './server/bootstrap.js';
import { createRegistryYoga, listen } from './server/yoga.js';
import { DEFAULT_PASSWORD_WARNING } from './application/health.js';

/** `npm start`: the registry on PORT, with embedded storage under DATA_DIR unless STORAGE=aws. */
const opened = await openRegistry(configOrExit(process.env));
if (opened.embedded) {
  console.log(`embedded DynamoDB (dynalite) at ${opened.embedded.dynamodbEndpoint}, S3 (s3rver) at ${opened.embedded.s3Endpoint}, data in ${opened.config.dataDir}`);
}
if (await opened.registry.defaultPasswordInUse()) console.warn(`WARNING: ${DEFAULT_PASSWORD_WARNING}`);
// The bundled GraphiQL serves its scripts and styles from this process: no CDN, works offline.
const graphiql = servedGraphiQL();
graphiql.warm();
const yoga = createRegistryYoga(opened.registry, { graphiql, corsOrigins: opened.config.corsOrigins, requestLimits: opened.config.requests });
const http = await listen(yoga, opened.config.port, process.env['HOST'] ?? '127.0.0.1');
console.log(`registry ready: GraphiQL at ${http.url.replace('127.0.0.1', 'localhost')}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  await http.close();
  await opened.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
