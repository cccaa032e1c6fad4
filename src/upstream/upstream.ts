import { GitHubClient } from './github-client.js';
import { HTTP_DEFAULTS, HttpClient, type FetchFn } from './http-client.js';
import { HuggingFaceClient } from './hugging-face-client.js';
import { Semaphore } from './semaphore.js';

export interface UpstreamConfig {
  readonly hfEndpoint: string;
  readonly githubApiUrl: string;
  readonly hfToken?: string;
  readonly githubToken?: string;
  /** The transport; the platform `fetch` unless a test replays recordings. */
  readonly fetch?: FetchFn;
  /** Upstream requests in flight at once, across both services and all ingests of this process. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Where mirroring reads Hub files (HF_ENDPOINT, HF_TOKEN), with its own transport: tests serve
   * files from a fake Hub while ingest replays recordings. Defaults to hfEndpoint and the platform fetch.
   */
  readonly hubFiles?: { readonly endpoint: string; readonly token?: string; readonly fetch?: FetchFn };
}

export interface Upstream {
  readonly hf: HuggingFaceClient;
  readonly github: GitHubClient;
  /** The Hub's file and repository endpoints for mirroring: the same timeouts, retries and cap as ingest. */
  readonly hubFiles: HttpClient;
}

const USER_AGENT = 'trustworthy-model-registry (+https://github.com)';

export const DEFAULT_UPSTREAM: UpstreamConfig = { hfEndpoint: 'https://huggingface.co', githubApiUrl: 'https://api.github.com' };

/** Both clients over one concurrency cap. */
export function createUpstream(config: UpstreamConfig): Upstream {
  const limiter = new Semaphore(config.concurrency ?? HTTP_DEFAULTS.concurrency);
  const shared = {
    limiter,
    ...(config.fetch && { fetch: config.fetch }),
    ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
    ...(config.maxAttempts !== undefined && { maxAttempts: config.maxAttempts }),
    ...(config.backoffBaseMs !== undefined && { backoffBaseMs: config.backoffBaseMs }),
    ...(config.maxBackoffMs !== undefined && { maxBackoffMs: config.maxBackoffMs }),
    ...(config.sleep && { sleep: config.sleep }),
  };
  const hf = new HttpClient({
    ...shared,
    service: 'Hugging Face Hub',
    baseUrl: config.hfEndpoint,
    ...(config.hfToken && { token: config.hfToken }),
    headers: { 'user-agent': USER_AGENT },
  });
  const github = new HttpClient({
    ...shared,
    service: 'GitHub',
    baseUrl: config.githubApiUrl,
    ...(config.githubToken && { token: config.githubToken }),
    headers: { 'user-agent': USER_AGENT, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  });
  const files = config.hubFiles ?? { endpoint: config.hfEndpoint, ...(config.hfToken && { token: config.hfToken }) };
  const hubFiles = new HttpClient({
    ...shared,
    fetch: files.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    service: 'Hugging Face Hub',
    baseUrl: files.endpoint,
    ...(files.token && { token: files.token }),
    headers: { 'user-agent': USER_AGENT },
  });
  return { hf: new HuggingFaceClient(hf), github: new GitHubClient(github), hubFiles };
}
