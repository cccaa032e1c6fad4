import { describe, expect, it } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';

/** Issue 11 item 10: JSON bodies are bounded by what they are for, anonymous ones more tightly. */
const LIMITS = { maxJsonBodyBytes: 256 * 1024, maxAnonymousBodyBytes: 16 * 1024 };
const t = useTestRegistry({ yoga: { requestLimits: LIMITS } });

const padded = (bytes: number) => JSON.stringify({ query: '{ health { status } }', variables: { unused: 'x'.repeat(bytes) } });

async function post(body: BodyInit, headers: Record<string, string> = {}, init: RequestInit = {}) {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, ...init });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string; limit?: number } }[] } };
}

/** A body sent without Content-Length (chunked), so only the streaming check can stop it. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

describe('request body limits', () => {
  it('refuses an anonymous body over its limit with 413 and says which limit', async () => {
    const { status, body } = await post(padded(LIMITS.maxAnonymousBodyBytes + 1));
    expect(status).toBe(413);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: LIMITS.maxAnonymousBodyBytes });
    expect(body.errors![0]!.message).toMatch(/without a token/);
  });

  it('keeps the anonymous cap for a token that does not work, however it is spelled', async () => {
    for (const authorization of ['Bearer garbage', `Bearer ${t.adminToken}x`, 'Basic dXNlcjpwYXNz']) {
      const { status, body } = await post(padded(LIMITS.maxAnonymousBodyBytes + 1024), { authorization });
      expect(status, authorization).toBe(413);
      expect(body.errors![0]!.extensions.limit).toBe(LIMITS.maxAnonymousBodyBytes);
    }
  });

  it('accepts a body with a token up to the larger limit, and refuses one past it', async () => {
    const auth = { authorization: `Bearer ${t.adminToken}` };
    const within = await post(padded(LIMITS.maxAnonymousBodyBytes * 4), auth);
    expect(within.status).toBe(200);
    expect(within.body.data).toEqual({ health: { status: 'OK' } });
    const over = await post(padded(LIMITS.maxJsonBodyBytes), auth);
    expect(over.status).toBe(413);
    expect(over.body.errors![0]!.extensions.limit).toBe(LIMITS.maxJsonBodyBytes);
  });

  // Before the chunked body below: the server closes that connection, and fetch may reuse it.
  it('answers a multipart body from a caller who may not upload before reading it', async () => {
    const searcher = await t.gql('mutation { registerUser(input: { username: "body-reader", password: "a long enough password", permissions: [SEARCH] }) { user { username } } }');
    expect(searcher.errors).toBeUndefined();
    const searchToken = await t.login('body-reader', 'a long enough password');
    for (const [authorization, status, code] of [
      [undefined, 401, 'UNAUTHENTICATED'],
      ['Bearer garbage', 401, 'UNAUTHENTICATED'],
      [`Bearer ${searchToken}`, 403, 'FORBIDDEN'],
    ] as const) {
      // A body that never ends: only an answer given before reading it can arrive.
      const aborter = new AbortController();
      const endless = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('--boundary\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{"query":"'));
        },
      });
      const response = await fetch(t.url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=boundary', 'x-graphql-yoga-csrf': 'upload', ...(authorization && { authorization }) },
        body: endless,
        signal: aborter.signal,
        duplex: 'half',
      } as RequestInit);
      expect(response.status, String(authorization)).toBe(status);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(code);
      aborter.abort();
    }
  });

  it('cuts off a chunked body without Content-Length as it streams past the limit', async () => {
    const { status, body } = await post(chunked(padded(LIMITS.maxJsonBodyBytes * 8)), { authorization: `Bearer ${t.adminToken}` }, { duplex: 'half' } as RequestInit);
    expect(status).toBe(413);
    expect(body.errors![0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('still serves a normal request after the refusals', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ health { status } }' }));
    expect(status).toBe(200);
    expect(body.data).toEqual({ health: { status: 'OK' } });
  });
});
