import { randomBytes } from 'node:crypto';
import { startEmbeddedStorage, type EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { createRegistry, type Registry, type RegistryOptions } from '../../src/registry.js';
import { createRegistryYoga, listen, type RunningServer } from '../../src/server/yoga.js';
import { FixtureReplay, replayFetch, type ReplayFetch } from './fixture-replay.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown>; path?: readonly (string | number)[] }[];
}

export interface TestRegistry {
  readonly registry: Registry;
  /** The recorded Hub and GitHub answers the registry reads, unless the test gave its own upstream. */
  readonly upstream: ReplayFetch;
  readonly url: string;
  /** Unexpected errors the server logged (masked for the client). Tests assert it stays empty. */
  readonly serverErrors: unknown[];
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** Emulators for one test file: in memory, loopback, random ports. */
export function startStorage(dataDir?: string): Promise<EmbeddedStorage> {
  return startEmbeddedStorage(dataDir ? { dataDir } : {});
}

/**
 * A registry on its own fresh table and bucket, served over real HTTP on a random port. Upstream
 * calls replay the recorded fixtures (no network, retries without waiting); closing fails if the
 * registry asked for anything nobody recorded.
 */
export async function startTestRegistry(
  storage: EmbeddedStorage,
  options: RegistryOptions & { tableName?: string; replay?: FixtureReplay } = {},
): Promise<TestRegistry> {
  const suffix = randomBytes(4).toString('hex');
  const upstream = replayFetch(options.replay ?? new FixtureReplay());
  const registry = await createRegistry(
    {
      region: 'us-east-1',
      tableName: options.tableName ?? `test-${suffix}`,
      bucketName: `test-${suffix}`,
      dynamodbEndpoint: storage.dynamodbEndpoint,
      s3Endpoint: storage.s3Endpoint,
      emulated: true,
    },
    { ...options, upstream: { fetch: upstream, sleep: async () => {}, ...options.upstream } },
  );
  const serverErrors: unknown[] = [];
  const http: RunningServer = await listen(createRegistryYoga(registry, { logError: (error) => serverErrors.push(error) }), 0);
  return {
    registry,
    upstream,
    url: http.url,
    serverErrors,
    gql: (query, variables) => postGraphQL(http.url, query, variables),
    async close() {
      await http.close();
      registry.destroy();
      if (upstream.unknown.length > 0) throw new Error(`the registry requested URLs with no recording:\n${upstream.unknown.join('\n')}`);
    },
  };
}

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The `extensions.code` of the only error, failing loudly when the shape is anything else. */
export function errorCode(response: GraphQLResponse<unknown>): unknown {
  if (!response.errors || response.errors.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(response)}`);
  return response.errors[0]!.extensions?.['code'];
}
