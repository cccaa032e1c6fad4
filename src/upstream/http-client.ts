import type { z } from 'zod';
import { cappedText } from '../http/capped-body.js';
import { err, ok, type Result } from '../domain/result.js';
import { Semaphore } from './semaphore.js';

/** The platform `fetch` signature the clients need; tests pass a replay of recorded responses. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Why an upstream call gave no usable answer. `not-found` and `refused` are answers about the thing
 * asked for; `unavailable` and `pending` say the service could not answer now.
 */
export type UpstreamFailure =
  | { readonly kind: 'not-found'; readonly service: string; readonly url: string; readonly status: number }
  | {
      readonly kind: 'refused';
      readonly service: string;
      readonly url: string;
      readonly status: number;
      /** Whether the request carried the configured token: a refused token is a configuration problem. */
      readonly withToken: boolean;
    }
  | { readonly kind: 'pending'; readonly service: string; readonly url: string; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly service: string; readonly url: string; readonly reason: string; readonly status?: number };

export type UpstreamResult<T> = Result<T, UpstreamFailure>;

export interface UpstreamResponse {
  /** The URL that finally answered, after redirects. */
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * A successful answer whose body is still on the wire (see HttpClient.getStream). The caller must
 * read `body` to its end or cancel it.
 */
export interface UpstreamStream {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array>;
}

export interface HttpClientOptions {
  /** Named in failures ("Hugging Face Hub", "GitHub"). */
  readonly service: string;
  /** Base URL the relative paths are appended to; may carry a path prefix. */
  readonly baseUrl: string;
  /** Sent as a bearer token, and only to the base URL's origin. Never logged, never in failures. */
  readonly token?: string;
  readonly fetch?: FetchFn;
  /** Shared by every client of one registry, so the cap holds across services and ingests. */
  readonly limiter?: Semaphore;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly backoffBaseMs?: number;
  /** Longest wait between attempts; a Retry-After beyond it fails at once instead of stalling ingest. */
  readonly maxBackoffMs?: number;
  readonly maxRedirects?: number;
  readonly maxBodyBytes?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  backoffBaseMs: 300,
  maxBackoffMs: 5_000,
  maxRedirects: 5,
  maxBodyBytes: 8 * 1024 * 1024,
  concurrency: 8,
} as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** What an answer must show for redirects to be followed. */
interface AnswerHead {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
}

type Attempt<R = UpstreamResponse> =
  | { readonly kind: 'answer'; readonly response: R }
  | { readonly kind: 'retry'; readonly reason: string; readonly status?: number; readonly retryAfterMs?: number }
  | { readonly kind: 'fail'; readonly failure: UpstreamFailure };

/**
 * GET over `fetch` with per-attempt timeouts, bounded retries with jittered exponential backoff
 * (honoring Retry-After) on 429, 5xx, network errors and GitHub's 202 "still computing", redirects
 * followed here rather than inside `fetch` so that they are capped, visible to tests that replay
 * recorded 307s, and never carry the token to another origin.
 */
export class HttpClient {
  readonly service: string;
  private readonly base: URL;
  private readonly fetchFn: FetchFn;
  private readonly limiter: Semaphore;
  private readonly settings: Required<Omit<HttpClientOptions, 'token' | 'fetch' | 'limiter' | 'headers' | 'service' | 'baseUrl' | 'sleep' | 'random'>>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.service = options.service;
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.fetchFn = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.limiter = options.limiter ?? new Semaphore(HTTP_DEFAULTS.concurrency);
    this.settings = {
      timeoutMs: options.timeoutMs ?? HTTP_DEFAULTS.timeoutMs,
      maxAttempts: options.maxAttempts ?? HTTP_DEFAULTS.maxAttempts,
      backoffBaseMs: options.backoffBaseMs ?? HTTP_DEFAULTS.backoffBaseMs,
      maxBackoffMs: options.maxBackoffMs ?? HTTP_DEFAULTS.maxBackoffMs,
      maxRedirects: options.maxRedirects ?? HTTP_DEFAULTS.maxRedirects,
      maxBodyBytes: options.maxBodyBytes ?? HTTP_DEFAULTS.maxBodyBytes,
    };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** `path` (starting with `/`, query included) under the base URL, or an absolute URL as is (Link headers). */
  resolve(target: string): string {
    if (/^https?:\/\//i.test(target)) return target;
    return new URL(target.replace(/^\/+/, ''), this.base).toString();
  }

  async get(target: string, accept = 'application/json'): Promise<UpstreamResult<UpstreamResponse>> {
    return this.follow(target, (url) => this.attempt(url, accept));
  }

  /**
   * GET whose body is handed back unread, for files too large to buffer (mirroring streams GBs into
   * S3). The head gets everything `get` gives: the per-attempt timeout, retries with backoff on 429,
   * 5xx and network errors, capped redirects without the token off-origin, and a permit of the
   * shared cap while the request waits for its head. The body is then the caller's: it holds no
   * permit (a long download must not starve ingests of the cap), has no size cap (the caller
   * counts), and fails when no bytes arrive for `timeoutMs` while the caller waits for them, so a
   * stalled Hub cannot hold a mirror forever. A failure mid-body is not retried.
   */
  async getStream(target: string, accept = '*/*'): Promise<UpstreamResult<UpstreamStream>> {
    return this.follow(target, (url) => this.attemptStream(url, accept));
  }

  /** Follows redirects (capped) over one kind of attempt; each hop is retried on its own. */
  private async follow<R extends AnswerHead>(target: string, attempt: (url: string) => Promise<Attempt<R>>): Promise<UpstreamResult<R>> {
    let url = this.resolve(target);
    for (let hop = 0; ; hop++) {
      const result = await this.getOnce(url, attempt);
      if (!result.ok) return result;
      const response = result.value;
      if (!REDIRECTS.has(response.status)) return ok(response);
      const location = response.headers.get('location');
      if (!location) return err(this.unavailable(url, `redirect ${response.status} without a Location header`, response.status));
      if (hop >= this.settings.maxRedirects) return err(this.unavailable(url, `more than ${this.settings.maxRedirects} redirects`));
      // Relative Locations (the Hub answers `/api/models/<new id>`) resolve against the URL that redirected.
      url = new URL(location, url).toString();
    }
  }

  /**
   * GET and parse JSON with `schema`; a body that is not JSON or not of the expected shape is the
   * service failing. `whenEmpty` stands in for a 204 (GitHub lists an empty repository's
   * contributors that way).
   */
  async getJson<S extends z.ZodType>(target: string, schema: S, options: { accept?: string; whenEmpty?: unknown } = {}): Promise<UpstreamResult<{ data: z.infer<S>; response: UpstreamResponse }>> {
    const result = await this.get(target, options.accept);
    if (!result.ok) return result;
    const response = result.value;
    let json: unknown;
    try {
      json = response.status === 204 && 'whenEmpty' in options ? options.whenEmpty : JSON.parse(response.body);
    } catch {
      return err(this.unavailable(response.url, 'answered with a body that is not JSON', response.status));
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return err(this.unavailable(response.url, `answered with an unexpected shape${where}: ${issue?.message ?? 'invalid'}`, response.status));
    }
    return ok({ data: parsed.data, response });
  }

  /** One URL, retried as needed; a redirect comes back as an answer for `follow` to follow. */
  private async getOnce<R>(url: string, attempt: (url: string) => Promise<Attempt<R>>): Promise<UpstreamResult<R>> {
    let last: Extract<Attempt, { kind: 'retry' }> | undefined;
    for (let n = 1; n <= this.settings.maxAttempts; n++) {
      const outcome = await this.limiter.run(() => attempt(url));
      if (outcome.kind === 'answer') return ok(outcome.response);
      if (outcome.kind === 'fail') return err(outcome.failure);
      last = outcome;
      if (n === this.settings.maxAttempts) break;
      const backoff = this.random() * Math.min(this.settings.maxBackoffMs, this.settings.backoffBaseMs * 2 ** (n - 1));
      const delay = outcome.retryAfterMs ?? backoff;
      if (delay > this.settings.maxBackoffMs) {
        return err(this.unavailable(url, `${outcome.reason}; asked to retry after ${Math.ceil(delay / 1000)} s`, outcome.status));
      }
      await this.sleep(delay);
    }
    const reason = `${last?.reason ?? 'no answer'} (after ${this.settings.maxAttempts} attempts)`;
    if (last?.status === 202) return err({ kind: 'pending', service: this.service, url, reason });
    return err(this.unavailable(url, reason, last?.status));
  }

  private async attempt(url: string, accept: string): Promise<Attempt> {
    const headers = this.requestHeaders(url, accept);
    let response: Response;
    let body: string;
    try {
      response = await this.fetchFn(url, { method: 'GET', headers, redirect: 'manual', signal: AbortSignal.timeout(this.settings.timeoutMs) });
      body = await readCapped(response, this.settings.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return { kind: 'fail', failure: this.unavailable(url, error.message) };
      return { kind: 'retry', reason: describeFetchError(error, this.settings.timeoutMs) };
    }
    return this.judge(url, response, 'authorization' in headers, { url, status: response.status, headers: response.headers, body });
  }

  /** Like `attempt`, but the timeout covers the head only and a 2xx body is handed back unread. */
  private async attemptStream(url: string, accept: string): Promise<Attempt<UpstreamStream>> {
    const headers = this.requestHeaders(url, accept);
    const controller = new AbortController();
    const timeout = (what: string) => controller.abort(new DOMException(`${what} within ${this.settings.timeoutMs} ms`, 'TimeoutError'));
    const headTimer = setTimeout(() => timeout('no answer'), this.settings.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchFn(url, { method: 'GET', headers, redirect: 'manual', signal: controller.signal });
    } catch (error) {
      return { kind: 'retry', reason: describeFetchError(error, this.settings.timeoutMs) };
    } finally {
      clearTimeout(headTimer);
    }
    const verdict = this.judge(url, response, 'authorization' in headers, { url, status: response.status, headers: response.headers, body: emptyBody() });
    const { status } = response;
    if (verdict.kind !== 'answer' || REDIRECTS.has(status)) {
      // Nobody reads these bodies: release the connection.
      await response.body?.cancel().catch(() => undefined);
      return verdict;
    }
    return { kind: 'answer', response: { ...verdict.response, body: response.body ? idleTimed(response.body, this.settings.timeoutMs, () => timeout('no bytes')) : emptyBody() } };
  }

  private requestHeaders(url: string, accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept, ...this.options.headers };
    // The token belongs to the configured service: a redirect to another origin goes without it.
    if (this.options.token && new URL(url).origin === this.base.origin) headers['authorization'] = `Bearer ${this.options.token}`;
    return headers;
  }

  /** What a status means: an answer, worth another attempt, or a failure about the thing asked for. */
  private judge<R>(url: string, response: Response, withToken: boolean, answer: R): Attempt<R> {
    const { status } = response;
    if (status === 202) return { kind: 'retry', reason: 'still computing (202)', status, ...retryAfter(response.headers) };
    if ((status >= 200 && status < 300) || REDIRECTS.has(status)) return { kind: 'answer', response: answer };
    if (RETRYABLE.has(status) || isRateLimited(response)) return { kind: 'retry', reason: `HTTP ${status}`, status, ...retryAfter(response.headers) };
    if (status === 404 || status === 410) return { kind: 'fail', failure: { kind: 'not-found', service: this.service, url, status } };
    if (status === 401 || status === 403) return { kind: 'fail', failure: { kind: 'refused', service: this.service, url, status, withToken } };
    return { kind: 'fail', failure: this.unavailable(url, `HTTP ${status}`, status) };
  }

  private unavailable(url: string, reason: string, status?: number): UpstreamFailure {
    return status === undefined ? { kind: 'unavailable', service: this.service, url, reason } : { kind: 'unavailable', service: this.service, url, reason, status };
  }
}

class BodyTooLarge extends Error {}

const emptyBody = (): ReadableStream<Uint8Array> => new ReadableStream({ start: (controller) => controller.close() });

/**
 * `body`, failing when no bytes arrive for `idleMs` while a reader waits. The clock runs only
 * inside `pull`, i.e. while the consumer asked for bytes: a consumer that is slow to read (an S3
 * part upload) is not mistaken for a stalled upstream.
 */
function idleTimed(body: ReadableStream<Uint8Array>, idleMs: number, onIdle: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const timer = setTimeout(onIdle, idleMs);
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/** Reads the body, refusing one larger than `limit` bytes instead of buffering it all. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    throw new BodyTooLarge(`response of ${declared} bytes exceeds the ${limit}-byte limit`);
  }
  const text = await cappedText(response.body, limit);
  if (text === undefined) throw new BodyTooLarge(`response exceeds the ${limit}-byte limit`);
  return text;
}

/** GitHub signals an exhausted rate limit with 403 (or 429) and `x-ratelimit-remaining: 0`. */
function isRateLimited(response: Response): boolean {
  return response.status === 403 && response.headers.get('x-ratelimit-remaining') === '0';
}

/** Retry-After in seconds or as an HTTP date; GitHub's x-ratelimit-reset (epoch seconds) as a fallback. */
function retryAfter(headers: Headers): { retryAfterMs?: number } {
  const value = headers.get('retry-after');
  if (value !== null) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return { retryAfterMs: Math.max(0, seconds * 1000) };
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return { retryAfterMs: Math.max(0, date - Date.now()) };
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
  if (headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return { retryAfterMs: Math.max(0, reset * 1000 - Date.now()) };
  return {};
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  // undici puts the socket-level reason in `cause`; its message names the address ("connect
  // ECONNREFUSED 10.0.0.5:443"), which clients must not see, so only its code (ECONNREFUSED) is kept.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${socketErrorCode(error.cause) ?? error.cause.name}` : '';
  return `${error instanceof Error ? error.message : 'request failed'}${cause}`;
}

function socketErrorCode(error: Error): string | undefined {
  const code = 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** `<url>; rel="next", <url>; rel="last"` as a map from rel to URL. */
export function parseLinkHeader(header: string | null): Readonly<Record<string, string>> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match) for (const rel of match[2]!.split(/\s+/)) links[rel] = match[1]!;
  }
  return links;
}
