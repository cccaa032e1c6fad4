import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';
import { ContractValidator, restClient, type RestClient } from '../support/rest-contract.js';
import { DEFAULT_REQUEST_LIMITS } from '../../src/config.js';

/** CORS and body caps on the REST paths, as for GraphQL (SECURITY.md, "REST API"). */
const ALLOWED = 'https://app.example.com';
const t = useTestRegistry({ yoga: { corsOrigins: [ALLOWED] } });
let rest: RestClient;

beforeAll(async () => {
  rest = restClient(t.origin, await ContractValidator.load());
});

const preflight = (origin: string) =>
  fetch(`${t.origin}/artifacts`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-authorization' } });

describe('CORS on REST paths', () => {
  it('grants a configured origin its preflight (X-Authorization allowed, no credentials) and exposes offset', async () => {
    const answer = await preflight(ALLOWED);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/x-authorization/);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    const listed = await rest('POST', '/artifacts', { token: `bearer ${t.adminToken}`, body: [{ name: '*' }], headers: { origin: ALLOWED } });
    expect(listed.headers.get('access-control-expose-headers')).toMatch(/offset/);
  });

  it('gives any other origin nothing', async () => {
    const answer = await preflight('https://evil.example.com');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect((await rest('GET', '/tracks', { headers: { origin: 'https://evil.example.com' } })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('body caps', () => {
  it('refuses a body over the cap with 413, declared or streamed', async () => {
    const big = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}` })));
    expect(big.length).toBeGreaterThan(DEFAULT_REQUEST_LIMITS.maxAnonymousBodyBytes);
    expect((await rest('POST', '/artifacts', { rawBody: big })).status).toBe(413);
    // Chunked, no content-length: cut off while it streams (a token's cap is 1 MiB).
    const huge = new TextEncoder().encode(`[${'{"name":"*"},'.repeat(100_000)}{"name":"*"}]`);
    const stream = new ReadableStream({ start(controller) { controller.enqueue(huge); controller.close(); } });
    const answer = await fetch(`${t.origin}/artifacts`, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', 'x-authorization': `bearer ${t.adminToken}` } } as RequestInit);
    expect(answer.status).toBe(413);
  });

  it('keeps the anonymous cap until the token is verified: a header that is no working token lifts nothing', async () => {
    const body = Buffer.from(JSON.stringify({ user: { name: 'x', is_admin: false }, secret: { password: 'p'.repeat(DEFAULT_REQUEST_LIMITS.maxAnonymousBodyBytes) } }));
    // PUT /authenticate never verifies a token: its body is anonymous whatever is sent.
    for (const header of ['bearer garbage', `bearer ${t.adminToken}`]) expect(await chunkedStatus('PUT', '/authenticate', header, body), header).toBe(413);
    const listed = Buffer.from(JSON.stringify(Array.from({ length: 8_000 }, () => ({ name: '*' }))));
    expect(listed.byteLength).toBeGreaterThan(DEFAULT_REQUEST_LIMITS.maxAnonymousBodyBytes);
    expect(await chunkedStatus('POST', '/artifacts', 'bearer garbage', listed)).toBe(403);
    // A verified token reads the same body (and answers the contract's 413 for more than 50 queries, from the parsed body).
    expect(await chunkedAnswer('POST', '/artifacts', `bearer ${t.adminToken}`, listed)).toMatchObject({ status: 413, text: expect.stringMatching(/at most 50 queries/) });
  });
});

/**
 * The status of a request whose body streams without Content-Length, on a connection of its own (a
 * refused body ends its connection, which fetch could otherwise reuse).
 */
function chunkedStatus(method: string, path: string, authorization: string, body: Buffer): Promise<number> {
  return chunkedAnswer(method, path, authorization, body).then((answer) => answer.status);
}

function chunkedAnswer(method: string, path: string, authorization: string, body: Buffer): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(t.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method, agent: false, headers: { 'content-type': 'application/json', 'x-authorization': authorization } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may close the connection before the whole body is written: the answer is what counts.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
    req.end();
  });
}
