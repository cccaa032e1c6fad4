import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { Config } from './config.js';
import { DEFAULT_ADMIN_PASSWORD, DEFAULT_ADMIN_PASSWORD_SPELLINGS, DEFAULT_FILE_LIMITS, type FileLimits } from './config.js';
import { FileCommands } from './application/file-commands.js';
import { Presigner } from './store/presigner.js';
import { MirrorFiles, type HubSettings } from './application/mirror-files.js';
import { ArtifactCommands, DEFAULT_COMMAND_OPTIONS, type CommandOptions } from './application/artifact-commands.js';
import { RegistryStore } from './application/registry-store.js';
import { systemClock, type Clock } from './application/clock.js';
import { Authentication, DEFAULT_TOKEN_POLICY, type TokenPolicy } from './application/users/authentication.js';
import { UserCommands } from './application/users/user-commands.js';
import { RecentUsers, type RecentUsersOptions } from './application/users/recent-users.js';
import { PasswordHasher, PRODUCTION_SCRYPT, type ScryptCost } from './application/password-hashing.js';
import { AddressRateLimiter } from './application/address-rate-limit.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './application/login-limits.js';
import { resetRegistry } from './application/reset-registry.js';
import { createDynamoClients, type DynamoClients } from './store/dynamo-client.js';
import { createEntities, createGlobalEntities, type Entities } from './store/entities.js';
import { ensureTable } from './store/ensure-table.js';
import { BlobStore } from './store/blob-store.js';
import { SearchSnapshots } from './store/search-snapshots.js';
import { LazyS3 } from './store/s3-connection.js';
import { ArtifactSources } from './application/artifact-sources.js';
import { DEFAULT_LICENSE_CACHE, RepositoryLicenses, type LicenseCacheOptions } from './application/repository-licenses.js';
import { AliasCommands } from './application/alias-commands.js';
import { DEFAULT_EVIDENCE_OPTIONS, type EvidenceOptions } from './application/model-evidence.js';
import { createUpstream, DEFAULT_UPSTREAM, type Upstream, type UpstreamConfig } from './upstream/upstream.js';
import { UserStore } from './store/user-store.js';
import { TokenStore } from './store/token-store.js';
import { RegistryEpochStore } from './store/registry-epoch.js';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottlePolicy } from './store/login-throttle.js';
import { deleteStaleEpochs } from './store/epoch-cleanup.js';
import { readUserAndEpoch } from './store/viewer-reads.js';
import { HealthMonitor, type HealthLimits } from './application/health.js';
import { DEFAULT_SEARCH_INDEX_OPTIONS, SearchIndex, type SearchIndexOptions } from './application/search-index.js';
import { DEFAULT_SEARCH_LIMITS, SearchGate, type SearchLimits } from './application/search-budget.js';
import { registeredReactors } from './application/reactions/registered-reactors.js';
import { DEFAULT_FEED_REPLAY, FeedReplay, type FeedReplayOptions } from './application/reactions/feed-replay.js';
import { WebhookStore } from './store/webhook-store.js';
import { WebhookCommands } from './application/webhooks/webhook-commands.js';
import { WebhookDispatcher } from './application/webhooks/webhook-dispatcher.js';
import { SecretBox } from './application/webhooks/secret-box.js';
import { systemResolve, type ResolveAll } from './application/webhooks/address-vetting.js';
import type { WebhookSettings } from './application/webhooks/webhook-settings.js';

/** The registry's data as of one epoch (see resetRegistry): artifacts and users. */
export interface EpochScope {
  readonly epoch: number;
  readonly store: RegistryStore;
  readonly commands: ArtifactCommands;
  readonly files: FileCommands;
  readonly mirror: MirrorFiles;
  readonly aliases: AliasCommands;
  readonly users: UserStore;
  readonly entities: Entities;
  /** Hub and GitHub clients, for reads that ask upstream now. */
  readonly upstream: Upstream;
  /** GitHub license answers for licenseCheck, shared by this process's requests for a few minutes. */
  readonly licenses: RepositoryLicenses;
  /** This process's copy of names and READMEs for regex search, loaded on the first search. */
  readonly search: SearchIndex;
  /** Replays what follows a commit from the change feed (embedded: polled by `npm start`). */
  readonly replay: FeedReplay;
  /** Webhook administration (ADMIN). */
  readonly webhooks: WebhookCommands;
  /** Sends this epoch's due webhook deliveries (runDue). */
  readonly webhookDispatcher: WebhookDispatcher;
}

/** Everything a request needs, built once per process (or Lambda container) and shared. */
export interface Registry {
  readonly config: Pick<Config, 'tableName' | 'bucketName'>;
  readonly dynamo: DynamoClients;
  readonly blobs: BlobStore;
  readonly presigner: Presigner;
  readonly fileLimits: FileLimits;
  readonly clock: Clock;
  /** Logins and the token check of every request. */
  readonly authentication: Authentication;
  /** Registration, permissions, deletion of users. */
  readonly userCommands: UserCommands;
  /** The scrypt cost of the password hashes this registry makes, and the most a stored one may ask for. */
  readonly scryptCost: ScryptCost;
  /**
   * True while the default administrator's stored password is the published default, checked
   * at startup and after each reset (not from configuration: an admin created before
   * ADMIN_PASSWORD was set keeps the default until it is changed).
   */
  defaultPasswordInUse(): Promise<boolean>;
  scope(epoch: number): EpochScope;
  currentScope(): Promise<EpochScope>;
  /** `keepToken`: the caller's token, kept working when it is the default administrator's. */
  reset(options?: { keepToken?: string }): Promise<{ epoch: number }>;
  /** The table's and bucket's health, checked at most once per HEALTH_CACHE_MS. */
  readonly health: HealthMonitor;
  /** Searches in flight in this process, per user and in all, and each request's search budget. */
  readonly searches: SearchGate;
  destroy(): void;
}

export interface RegistryEndpoints {
  readonly region: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly dynamodbEndpoint?: string;
  readonly s3Endpoint?: string;
  /** Emulators accept any credentials; a fixed pair keeps the SDK from searching the machine for real ones. */
  readonly emulated?: boolean;
}

export interface RegistryOptions {
  readonly clock?: Clock;
  readonly commandOptions?: CommandOptions;
  /** Create the table and bucket when missing (embedded mode, tests); never on AWS, where CloudFormation owns them. */
  readonly provision?: boolean;
  /**
   * Create the default administrator now (default). Lambda skips it to keep cold starts free of
   * table calls; the first login of that username creates it there.
   */
  readonly ensureDefaultAdmin?: boolean;
  /** Absent: the published default, accepted in each of its spellings (DEFAULT_ADMIN_PASSWORD_SPELLINGS). */
  readonly adminPassword?: string;
  /** scrypt cost; tests lower it, production keeps the default. */
  readonly scrypt?: ScryptCost;
  readonly tokenPolicy?: TokenPolicy;
  /** How long a process trusts the user and epoch it read for a token (RecentUsers). */
  readonly recentUsers?: RecentUsersOptions;
  readonly throttle?: ThrottlePolicy;
  /** scrypt concurrency and queue, logins per client address (LOGIN_* variables). */
  readonly loginLimits?: LoginLimits;
  /** Replaces the hasher built from `scrypt` and `loginLimits`; tests count its verifications. */
  readonly passwordHasher?: PasswordHasher;
  /** Hub and GitHub endpoints, tokens and transport (tests pass a replay `fetch`). */
  readonly upstream?: Partial<UpstreamConfig>;
  readonly evidence?: EvidenceOptions;
  readonly fileLimits?: FileLimits;
  /** Where mirrorArtifactFiles reads from (HF_ENDPOINT, HF_TOKEN). */
  readonly hub?: HubSettings;
  /** The fetch mirroring uses; tests may count or fail requests. */
  readonly fetch?: typeof fetch;
  readonly health?: HealthLimits;
  readonly searchIndex?: SearchIndexOptions;
  readonly licenseCache?: LicenseCacheOptions;
  readonly searchLimits?: SearchLimits;
  readonly feedReplay?: FeedReplayOptions;
  /** WEBHOOK_* settings; `resolve` lets tests map host names. */
  readonly webhooks?: { readonly allowPrivateNetworks?: boolean; readonly secretKey?: Buffer; readonly resolve?: ResolveAll };
}

/** The options every entry point (npm start, CLI, Lambda) derives from the configuration. */
export function optionsFromConfig(config: Config): RegistryOptions {
  return {
    adminPassword: config.adminPassword,
    upstream: {
      hfEndpoint: config.hfEndpoint,
      githubApiUrl: config.githubApiUrl,
      ...(config.hfToken && { hfToken: config.hfToken }),
      ...(config.githubToken && { githubToken: config.githubToken }),
    },
    fileLimits: config.files,
    loginLimits: config.logins,
    hub: { endpoint: config.hfEndpoint, ...(config.hfToken && { token: config.hfToken }) },
    health: config.health,
    webhooks: config.webhooks,
  };
}

const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function createRegistry(endpoints: RegistryEndpoints, options: RegistryOptions = {}): Promise<Registry> {
  const credentials = endpoints.emulated ? { credentials: EMULATOR_CREDENTIALS } : {};
  const dynamo = createDynamoClients({
    region: endpoints.region,
    ...credentials,
    ...(endpoints.dynamodbEndpoint && { endpoint: endpoints.dynamodbEndpoint }),
  });
  const s3 = new LazyS3({
    region: endpoints.region,
    ...credentials,
    ...(endpoints.s3Endpoint && { endpoint: endpoints.s3Endpoint, forcePathStyle: true }),
  });
  const blobs = new BlobStore(s3, endpoints.bucketName);
  const presigner = new Presigner(s3, endpoints.bucketName);
  const fileLimits = options.fileLimits ?? DEFAULT_FILE_LIMITS;
  if (options.provision ?? endpoints.emulated) {
    await ensureTable(dynamo.raw, endpoints.tableName);
    await blobs.ensureBucket();
    await blobs.allowBrowserTransfers();
  }
  const clock = options.clock ?? systemClock;
  const hub = options.hub ?? { endpoint: 'https://huggingface.co' };
  const upstream = createUpstream({ ...DEFAULT_UPSTREAM, ...options.upstream, hubFiles: { ...hub, ...(options.fetch && { fetch: options.fetch }) } });
  const licenses = new RepositoryLicenses(upstream.github, clock, options.licenseCache ?? DEFAULT_LICENSE_CACHE);
  const webhookSettings: WebhookSettings = {
    allowPrivateNetworks: options.webhooks?.allowPrivateNetworks ?? false,
    secrets: options.webhooks?.secretKey ? new SecretBox(options.webhooks.secretKey) : undefined,
    resolve: options.webhooks?.resolve ?? systemResolve,
  };
  const scopes = new Map<number, EpochScope>();
  const scope = (epoch: number): EpochScope => {
    let found = scopes.get(epoch);
    if (!found) {
      const entities = createEntities(dynamo.doc, endpoints.tableName, epoch);
      const store = new RegistryStore(entities);
      // Sources look up lineage parents in this epoch's store; the upstream clients are shared.
      const sources = new ArtifactSources(upstream, store, clock, options.evidence ?? DEFAULT_EVIDENCE_OPTIONS);
      const commands = new ArtifactCommands(store, clock, sources, options.commandOptions ?? DEFAULT_COMMAND_OPTIONS);
      const files = new FileCommands(commands, store, blobs, presigner, fileLimits, clock);
      const mirror = new MirrorFiles(commands, files, store, blobs, { hub: upstream.hubFiles, maxMirrorBytes: fileLimits.maxMirrorBytes });
      const search = new SearchIndex(store, options.searchIndex ?? DEFAULT_SEARCH_INDEX_OPTIONS, new SearchSnapshots(blobs, epoch));
      const webhookStore = new WebhookStore(entities);
      // What follows a commit: declared once, run inline after each commit and replayed from the feed.
      store.reactions.use(epoch, registeredReactors({ store, commands, blobs, webhooks: webhookStore, clock }));
      const replay = new FeedReplay(store, clock, options.feedReplay ?? DEFAULT_FEED_REPLAY);
      found = {
        epoch,
        entities,
        store,
        commands,
        files,
        mirror,
        aliases: new AliasCommands(store, clock),
        users: new UserStore(entities),
        upstream,
        licenses,
        search,
        replay,
        webhooks: new WebhookCommands(webhookStore, clock, webhookSettings),
        webhookDispatcher: new WebhookDispatcher(webhookStore, clock, webhookSettings),
      };
      scopes.set(epoch, found);
    }
    return found;
  };
  const global = createGlobalEntities(dynamo.doc, endpoints.tableName);
  const epochs = new RegistryEpochStore(global);
  const tokens = new TokenStore(global);
  const adminPassword = options.adminPassword ?? DEFAULT_ADMIN_PASSWORD;
  const loginLimits = options.loginLimits ?? DEFAULT_LOGIN_LIMITS;
  const hasher = options.passwordHasher ?? new PasswordHasher(options.scrypt ?? PRODUCTION_SCRYPT, loginLimits);
  const usersOf = (epoch: number) => scope(epoch).users;
  const recentUsers = new RecentUsers(
    (epoch, username) => readUserAndEpoch(dynamo.doc, endpoints.tableName, scope(epoch).entities, global, username),
    clock,
    options.recentUsers,
  );
  const userCommands = new UserCommands({ usersOf, hasher, clock, adminPassword, recentUsers });
  const authentication = new Authentication({
    tokens,
    epochs,
    throttle: new LoginThrottle(global, options.throttle ?? DEFAULT_THROTTLE),
    hasher,
    addressLimiter: new AddressRateLimiter(loginLimits),
    clock,
    usersOf,
    recentUsers,
    ensureDefaultAdmin: (epoch) => userCommands.ensureDefaultAdmin(epoch),
    defaultAdminSpellings: options.adminPassword === undefined ? DEFAULT_ADMIN_PASSWORD_SPELLINGS : [],
    tokenPolicy: options.tokenPolicy ?? DEFAULT_TOKEN_POLICY,
  });
  if (options.ensureDefaultAdmin ?? true) await userCommands.ensureDefaultAdmin(await epochs.current());
  // Checked lazily (one scrypt, ~0.2 s) so a Lambda cold start does not pay for it; rechecked after a reset.
  let defaultPasswordCheck: Promise<boolean> | undefined;

  return {
    config: { tableName: endpoints.tableName, bucketName: endpoints.bucketName },
    dynamo,
    blobs,
    presigner,
    fileLimits,
    clock,
    authentication,
    userCommands,
    scryptCost: hasher.cost,
    defaultPasswordInUse() {
      defaultPasswordCheck ??= epochs.current().then((epoch) => userCommands.defaultPasswordWorks(epoch, DEFAULT_ADMIN_PASSWORD));
      return defaultPasswordCheck;
    },
    scope,
    async currentScope() {
      return scope(await epochs.current());
    },
    async reset(resetOptions = {}) {
      const result = await resetRegistry({
        keepToken: resetOptions.keepToken,
        epochs,
        tokens,
        ensureDefaultAdmin: (epoch) => userCommands.ensureDefaultAdmin(epoch),
        forgetUsers: () => recentUsers.clear(),
        carryToken: (token, epoch) => authentication.carryToken(token, epoch),
        clock,
        deleteStaleEpochs: (keep) => deleteStaleEpochs(dynamo.doc, endpoints.tableName, keep),
        deleteStaleObjects: (before) => blobs.deleteOlderThan(before),
      });
      defaultPasswordCheck = undefined;
      return result;
    },
    health: new HealthMonitor(
      {
        table: async () => void (await dynamo.raw.send(new DescribeTableCommand({ TableName: endpoints.tableName }))),
        bucket: () => blobs.ping(),
      },
      clock,
      options.health,
    ),
    searches: new SearchGate(options.searchLimits ?? DEFAULT_SEARCH_LIMITS),
    destroy() {
      for (const epochScope of scopes.values()) epochScope.search.close();
      dynamo.raw.destroy();
      s3.destroy();
    },
  };
}
