import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { startEmbeddedStorage, type EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { createRegistry, type EpochScope, type Registry, type RegistryOptions } from '../../src/registry.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';
import type { RunningServer, YogaOptions } from '../../src/server/yoga.js';
import { createRegistryApp } from '../../src/server/app.js';
import { serveApp } from '../../src/server/http-server.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../../src/application/login-limits.js';
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
  /** The GraphQL endpoint (`<origin>/graphql`). */
  readonly url: string;
  /** The origin the REST paths hang off (`http://127.0.0.1:<port>`). */
  readonly origin: string;
  /** A token of the default administrator, who holds every permission. */
  readonly adminToken: string;
  /** Unexpected errors the server logged (masked for the client). Tests assert it stays empty. */
  readonly serverErrors: unknown[];
  /** As the default administrator. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** With the given token, or anonymously when it is undefined. */
  gqlAs<T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Logs in and returns a token. */
  login(username: string, password: string): Promise<string>;
  /** The current epoch's stores, for tests that look beneath the API. */
  scope(): Promise<EpochScope>;
  close(): Promise<void>;
}

/**
 * Emulators for one test file: in memory, loopback, random ports. In the parity run
 * (TEST_DYNAMODB=dynamodb-local, see global-setup.ts) DynamoDB is the shared DynamoDB Local.
 */
export function startStorage(dataDir?: string): Promise<EmbeddedStorage> {
  const shared = inject('dynamodbEndpoint');
  return startEmbeddedStorage({ ...(dataDir && { dataDir }), ...(shared && { dynamodb: { endpoint: shared } }) });
}

/** Which DynamoDB engine this run tests against, for the few tests that show an engine's quirk. */
export const dynamoEngine = (): 'dynalite' | 'dynamodb-local' => (inject('dynamodbEndpoint') ? 'dynamodb-local' : 'dynalite');

/** scrypt at N=2^10 instead of 2^17: the same code path, a thousandth of the CPU per login. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 } as const;

/**
 * Tests log in often, from one address and sometimes many at once (scrypt at TEST_SCRYPT is cheap):
 * the login limits stay out of their way unless a test sets its own to exercise them.
 */
export const TEST_LOGIN_LIMITS: LoginLimits = { ...DEFAULT_LOGIN_LIMITS, hashQueue: 1_000, addressBurst: 1_000_000, addressPerMinute: 1_000_000 };

/**
 * What a process remembers of users never expires on its own in tests (a clock that stands still):
 * only this registry's own changes update it, so counted DynamoDB calls do not depend on machine
 * speed. test/security/revocation-delay.test.ts moves a clock to show the expiry.
 */
export const TEST_RECENT_USERS = { clock: { now: () => new Date(0) } } as const;

/**
 * A registry on its own fresh table and bucket, served over real HTTP on a random port. Upstream
 * calls replay the recorded fixtures (no network, retries without waiting); closing fails if the
 * registry asked for anything nobody recorded.
 */
export async function startTestRegistry(
  storage: EmbeddedStorage,
  options: RegistryOptions & { tableName?: string; replay?: FixtureReplay; yoga?: Omit<YogaOptions, 'logError'> } = {},
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
    { scrypt: TEST_SCRYPT, loginLimits: TEST_LOGIN_LIMITS, recentUsers: TEST_RECENT_USERS, ...options, upstream: { fetch: upstream, sleep: async () => {}, ...options.upstream } },
  );
  const serverErrors: unknown[] = [];
  // The whole app (GraphQL and REST), as npm start and Lambda serve it.
  const http: RunningServer = await serveApp(createRegistryApp(registry, { ...options.yoga, logError: (error) => serverErrors.push(error) }), 0);
  const login = async (username: string, password: string): Promise<string> => {
    const response = await postGraphQL<{ authenticate: { token: string } }>(http.url, AUTHENTICATE, { username, password });
    if (!response.data?.authenticate) throw new Error(`login of ${username} failed: ${JSON.stringify(response.errors)}`);
    return response.data.authenticate.token;
  };
  const adminToken = await login(DEFAULT_ADMIN_USERNAME, options.adminPassword ?? DEFAULT_ADMIN_PASSWORD);
  return {
    registry,
    upstream,
    url: http.url,
    origin: new URL(http.url).origin,
    adminToken,
    serverErrors,
    gql: (query, variables) => postGraphQL(http.url, query, variables, adminToken),
    gqlAs: (token, query, variables) => postGraphQL(http.url, query, variables, token),
    login,
    scope: () => registry.currentScope(),
    async close() {
      await http.close();
      registry.destroy();
      if (upstream.unknown.length > 0) throw new Error(`the registry requested URLs with no recording:\n${upstream.unknown.join('\n')}`);
    },
  };
}

/** DynamoDB calls `run` made, by command (e.g. `{ QueryCommand: 1 }`), counted by the SDK middleware. */
export async function dynamoCallsDuring(registry: Registry, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = new Map(registry.dynamo.calls.byCommand);
  await run();
  const delta: Record<string, number> = {};
  for (const [command, count] of registry.dynamo.calls.byCommand) {
    const spent = count - (before.get(command) ?? 0);
    if (spent > 0) delta[command] = spent;
  }
  return delta;
}

/** DynamoDB calls every authenticated request makes before its data: spend the token (user and epoch are remembered). */
export const AUTH_CALLS_PER_REQUEST = 1;

export const AUTHENTICATE = 'mutation($username: String!, $password: String!) { authenticate(username: $username, password: $password) { token expiresAt remainingCalls } }';

export async function postGraphQL<T>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** A token of the default administrator from a registry at `url` (a child process's, say). */
export async function defaultAdminToken(url: string): Promise<string> {
  const response = await postGraphQL<{ authenticate: { token: string } }>(url, AUTHENTICATE, { username: DEFAULT_ADMIN_USERNAME, password: DEFAULT_ADMIN_PASSWORD });
  if (!response.data?.authenticate) throw new Error(`login of the default administrator failed: ${JSON.stringify(response.errors)}`);
  return response.data.authenticate.token;
}

/**
 * A GraphQL multipart request (the spec yoga implements): `files` maps a variable path such as
 * `input.file` to the bytes sent as that file.
 */
export async function postMultipart<T>(url: string, query: string, variables: Record<string, unknown>, files: Record<string, Uint8Array>, token?: string): Promise<GraphQLResponse<T>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables }));
  const paths = Object.keys(files);
  form.set('map', JSON.stringify(Object.fromEntries(paths.map((path, i) => [String(i), [`variables.${path}`]]))));
  paths.forEach((path, i) => form.set(String(i), new Blob([new Uint8Array(files[path]!)]), path.split('.').at(-1)));
  const response = await fetch(url, { method: 'POST', headers: { 'x-graphql-yoga-csrf': 'upload', ...(token !== undefined && { authorization: `Bearer ${token}` }) }, body: form });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The `extensions.code` of the only error, failing loudly when the shape is anything else. */
export function errorCode(response: GraphQLResponse<unknown>): unknown {
  if (!response.errors || response.errors.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(response)}`);
  return response.errors[0]!.extensions?.['code'];
}

/**
 * The usual test-file setup: emulators and a registry started before the file's tests, and after
 * them a check that the server logged no unexpected error, then shutdown. The returned object is
 * filled in by the time any test runs.
 */
export function useTestRegistry(options: Parameters<typeof startTestRegistry>[1] = {}): TestRegistry & { readonly storage: EmbeddedStorage } {
  const handle = {} as TestRegistry & { storage: EmbeddedStorage };
  beforeAll(async () => {
    const storage = await startStorage();
    Object.assign(handle, await startTestRegistry(storage, options), { storage });
  });
  afterAll(async () => {
    expect(handle.serverErrors).toEqual([]);
    await handle.close();
    await handle.storage.close();
  });
  return handle;
}
