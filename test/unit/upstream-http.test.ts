import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, parseLinkHeader, type FetchFn } from '../../src/upstream/http-client.js';
import { Semaphore } from '../../src/upstream/semaphore.js';
import { createUpstream } from '../../src/upstream/upstream.js';
import { FixtureReplay, replayFetch } from '../support/fixture-replay.js';

const anything = z.unknown();

function client(fetch: FetchFn, options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const sleeps: number[] = [];
  const http = new HttpClient({
    service: 'GitHub',
    baseUrl: 'https://api.github.com',
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { http, sleeps };
}

/** A fetch answering from a script of responses, one per call, then the recordings. */
function scripted(script: (() => Response)[], fallback: FetchFn = replayFetch()): FetchFn & { calls: number } {
  const fn = Object.assign(
    async (url: string, init: RequestInit) => {
      fn.calls += 1;
      const next = script.shift();
      return next ? next() : fallback(url, init);
    },
    { calls: 0 },
  );
  return fn;
}

describe('retries', () => {
  it("retries GitHub's recorded 202 'still computing' a bounded number of times, then reports pending", async () => {
    const fetch = replayFetch();
    const { http, sleeps } = client(fetch, { maxAttempts: 3, backoffBaseMs: 100 });
    const result = await http.getJson('/repos/PyGithub/PyGithub/stats/contributors', anything);
    expect(result).toMatchObject({ ok: false, error: { kind: 'pending', reason: expect.stringContaining('202') } });
    expect(fetch.requests).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 100 ms, then half of 200 ms.
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries 503 and 429 with backoff, honoring Retry-After, and succeeds when the service recovers', async () => {
    const fetch = scripted([() => new Response('busy', { status: 503 }), () => new Response('slow down', { status: 429, headers: { 'retry-after': '2' } })]);
    const { http, sleeps } = client(fetch, { maxAttempts: 3, backoffBaseMs: 100 });
    const result = await http.getJson('/repos/sigmavirus24/github3.py', z.looseObject({ full_name: z.string() }));
    expect(result.ok && result.value.data.full_name).toBe('sigmavirus24/github3.py');
    expect(sleeps).toEqual([50, 2000]);
  });

  it('gives up at once when Retry-After asks for longer than it will wait', async () => {
    const fetch = scripted([() => new Response('', { status: 429, headers: { 'retry-after': '3600' } })]);
    const { http } = client(fetch, { maxAttempts: 3, maxBackoffMs: 5000 });
    const result = await http.get('/repos/a/b');
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable', status: 429, reason: expect.stringContaining('retry after 3600 s') } });
    expect(fetch.calls).toBe(1);
  });

  it('treats an exhausted GitHub rate limit (403, x-ratelimit-remaining: 0) as retryable, not as refused', async () => {
    const limited = () => new Response('{"message":"API rate limit exceeded"}', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'retry-after': '1' } });
    const fetch = scripted([limited, limited]);
    const { http } = client(fetch, { maxAttempts: 2 });
    expect(await http.get('/repos/a/b')).toMatchObject({ ok: false, error: { kind: 'unavailable', status: 403 } });
    expect(fetch.calls).toBe(2);
  });

  it('times out a request that never answers, per attempt, and reports the service unavailable', async () => {
    const hanging: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const { http } = client(hanging, { timeoutMs: 30, maxAttempts: 2 });
    const started = performance.now();
    const result = await http.get('/repos/a/b');
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: 'no answer within 30 ms (after 2 attempts)' } });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reports a refused connection as unavailable after its attempts', async () => {
    const { http } = client((url, init) => globalThis.fetch(url, init), { baseUrl: 'http://127.0.0.1:9', maxAttempts: 2 });
    expect(await http.get('/anything')).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: expect.stringContaining('after 2 attempts') } });
  });
});

describe('bodies', () => {
  it('reports malformed JSON as the service failing, naming it', async () => {
    const replay = new FixtureReplay().route('https://api.github.com/repos/sigmavirus24/github3.py', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"full_name": "sigmavirus24/github3.py", ' });
    const { http } = client(replayFetch(replay));
    expect(await http.getJson('/repos/sigmavirus24/github3.py', anything)).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', service: 'GitHub', reason: 'answered with a body that is not JSON' },
    });
  });

  it('reports a body of the wrong shape, naming the field', async () => {
    const { http } = client(replayFetch());
    const result = await http.getJson('/repos/sigmavirus24/github3.py', z.looseObject({ full_name: z.number() }));
    expect(result).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: expect.stringMatching(/unexpected shape at full_name/) } });
  });

  it('refuses a body larger than the cap instead of buffering it', async () => {
    const { http } = client(replayFetch(), { maxBodyBytes: 1000 });
    expect(await http.get('/repos/sigmavirus24/github3.py')).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: expect.stringContaining('1000-byte limit') } });
  });
});

describe('GitHub quirks', () => {
  it('reads 204 No Content (an empty repository\'s contributors) as an empty list', async () => {
    const fetch = scripted([() => new Response(null, { status: 204 })]);
    const { github } = createUpstream({ hfEndpoint: 'https://huggingface.co', githubApiUrl: 'https://api.github.com', fetch });
    expect(await github.contributors('octokit-fixture-org', 'hello-world')).toEqual({ ok: true, value: { contributors: [], truncated: false } });
  });
});

describe('redirects and credentials', () => {
  it('sends the token only to its own service, also across redirects, and never names it in failures', async () => {
    const fetch = replayFetch(
      new FixtureReplay()
        .route('https://api.github.com/repos/moved/away', { status: 302, headers: { location: 'https://elsewhere.example/repo' }, body: '' })
        .route('https://elsewhere.example/repo', { status: 500, headers: {}, body: 'boom' }),
    );
    const { http } = client(fetch, { token: 'ghp_secret_token', maxAttempts: 1 });
    await http.get('/repos/github3py/github3.py');
    const failed = await http.get('/repos/moved/away');
    const byUrl = Object.fromEntries(fetch.requests.map((r) => [r.url, r.headers['authorization']]));
    expect(byUrl).toEqual({
      'https://api.github.com/repos/github3py/github3.py': 'Bearer ghp_secret_token',
      'https://api.github.com/repositories/4464822': 'Bearer ghp_secret_token',
      'https://api.github.com/repos/moved/away': 'Bearer ghp_secret_token',
      'https://elsewhere.example/repo': undefined,
    });
    expect(JSON.stringify(failed)).not.toContain('ghp_secret_token');
  });

  it('stops following a redirect loop', async () => {
    const loop = new FixtureReplay()
      .route('https://api.github.com/a', { status: 301, headers: { location: '/b' }, body: '' })
      .route('https://api.github.com/b', { status: 301, headers: { location: '/a' }, body: '' });
    const { http } = client(replayFetch(loop), { maxRedirects: 3 });
    expect(await http.get('/a')).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: 'more than 3 redirects' } });
  });

  it('keeps a base URL path prefix (GitHub Enterprise /api/v3)', () => {
    const { http } = client(replayFetch(), { baseUrl: 'https://ghe.example.com/api/v3' });
    expect(http.resolve('/repos/a/b?per_page=100')).toBe('https://ghe.example.com/api/v3/repos/a/b?per_page=100');
  });
});

describe('concurrency cap', () => {
  it('never has more requests in flight than the shared semaphore allows', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: FetchFn = async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      return new Response('{}', { status: 200 });
    };
    const limiter = new Semaphore(2);
    const a = client(slow, { limiter }).http;
    const b = client(slow, { limiter, service: 'Hugging Face Hub', baseUrl: 'https://huggingface.co' }).http;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).get(`/x/${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(2);
  });
});

describe('streamed bodies (getStream, for mirroring)', () => {
  /** A body that sends `first`, then nothing, erroring only when the request's signal aborts (as undici does). */
  const stalling = (first: string): FetchFn => async (_url, init) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(first));
          init.signal?.addEventListener('abort', () => controller.error(init.signal!.reason));
        },
      }),
      { status: 200 },
    );

  it('retries a 503 head, then hands back the body unread; the permit is held for the head only', async () => {
    const fetch = scripted([() => new Response('busy', { status: 503 }), () => new Response('file bytes', { status: 200 }), () => new Response('second', { status: 200 })]);
    const limiter = new Semaphore(1);
    const { http, sleeps } = client(fetch, { limiter, baseUrl: 'https://huggingface.co', service: 'Hugging Face Hub' });
    const first = await http.getStream('/org/m/resolve/main/a.bin');
    expect(first.ok && first.value.status).toBe(200);
    expect(sleeps).toHaveLength(1);
    // The first body is still unread, and the only permit is free again: a long download does not starve the cap.
    const second = await http.getStream('/org/m/resolve/main/b.bin');
    expect(second.ok).toBe(true);
    expect(await new Response(first.ok ? first.value.body : null).text()).toBe('file bytes');
  });

  it('times out a head that never comes, per attempt', async () => {
    const hanging: FetchFn = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const { http } = client(hanging, { timeoutMs: 30, maxAttempts: 2 });
    expect(await http.getStream('/x')).toMatchObject({ ok: false, error: { kind: 'unavailable', reason: 'no answer within 30 ms (after 2 attempts)' } });
  });

  it('fails a body that stops sending while it is read, instead of waiting forever', async () => {
    const { http } = client(stalling('first bytes'), { timeoutMs: 50 });
    const result = await http.getStream('/x');
    if (!result.ok) throw new Error('expected an answer');
    await expect(new Response(result.value.body).text()).rejects.toThrow(/no bytes within 50 ms/);
  });

  it('does not count the time a slow reader takes as a stall', async () => {
    const fetch: FetchFn = async () => new Response('all of it', { status: 200 });
    const { http } = client(fetch, { timeoutMs: 20 });
    const result = await http.getStream('/x');
    if (!result.ok) throw new Error('expected an answer');
    await new Promise((resolve) => setTimeout(resolve, 100)); // the consumer is busy (an S3 part upload)
    expect(await new Response(result.value.body).text()).toBe('all of it');
  });

  it('reports a 404 as not-found and releases the unread body', async () => {
    const { http } = client(scripted([() => new Response('nope', { status: 404 })]), {});
    expect(await http.getStream('/x')).toMatchObject({ ok: false, error: { kind: 'not-found', status: 404 } });
  });
});

describe('parseLinkHeader', () => {
  it('reads the recorded pagination header of github3.py contributors', () => {
    const header = '<https://api.github.com/repositories/3710711/contributors?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/3710711/contributors?per_page=100&page=2>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://api.github.com/repositories/3710711/contributors?per_page=100&page=2',
      last: 'https://api.github.com/repositories/3710711/contributors?per_page=100&page=2',
    });
    expect(parseLinkHeader(null)).toEqual({});
  });
});
