import { servedGraphiQL } from './server/graphiql-assets.js';
import { loadUiAssets, uiHandler } from './server/ui-assets.js';
import { configOrExit, openRegistry } from './server/bootstrap.js';
import type { RunningServer } from './server/yoga.js';
import { createRegistryApp } from './server/app.js';
import { serveApp } from './server/http-server.js';
import { DEFAULT_PASSWORD_WARNING } from './application/health.js';
import { listenFailure } from './server/listen-failure.js';
import { exitWithFailure } from './server/startup-failure.js';

/** `npm start`: the registry on HOST:PORT, with embedded storage under DATA_DIR (dynalite, or DynamoDB Local with STORAGE=dynamodb-local) unless STORAGE=aws. */
const config = configOrExit(process.env);
const openedResult = await openRegistry(config, 'server');
if (!openedResult.ok) exitWithFailure(openedResult.error);
const opened = openedResult.value;
if (opened.embedded) {
  const engine = config.storage === 'dynamodb-local' ? 'DynamoDB Local' : 'dynalite';
  console.log(`embedded DynamoDB (${engine}) at ${opened.embedded.dynamodbEndpoint}, S3 (s3rver) at ${opened.embedded.s3Endpoint}, data in ${config.dataDir}`);
}
if (await opened.registry.defaultPasswordInUse()) console.warn(`WARNING: ${DEFAULT_PASSWORD_WARNING}`);
// The bundled GraphiQL serves its scripts and styles from this process: no CDN, works offline.
const graphiql = servedGraphiQL();
graphiql.warm();
// The web UI, built by `npm ci` or `npm start` into ui/dist; without a build, the API alone.
const ui = await loadUiAssets();
if (!ui) console.warn('web UI not built (run `npm run build:ui`): / redirects to GraphiQL');
// GraphQL at /graphql, the course REST API at the root paths and the web UI, one Hono app.
const app = createRegistryApp(opened.registry, { graphiql, corsOrigins: config.corsOrigins, requestLimits: config.requests, ...(ui && { ui: uiHandler(ui) }) });
let http: RunningServer;
try {
  http = await serveApp(app, config.port, config.host);
} catch (error) {
  const failure = listenFailure(error, config.host, config.port);
  if (!failure) throw error;
  // Releases the DATA_DIR lock, so the next attempt need not wait for this pid to vanish.
  await opened.close();
  exitWithFailure(failure);
}
const shown = http.url.replace('127.0.0.1', 'localhost');
// Tests read the GraphiQL URL from this line up to the first space.
console.log(
  `registry ready (pid ${process.pid}): GraphiQL at ${shown} (the REST API at ${new URL(shown).origin}/, its document at /openapi.json)` +
    (ui ? `; the web UI at ${new URL(shown).origin}/` : ''),
);

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
