import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/lambda/handler.js';
import { isTextual } from '../../src/lambda/binary-bodies.js';
import type { AppEnv } from '../../src/server/app-env.js';
import { httpApiEvent } from '../support/http-api-events.js';

/**
 * The API Gateway payload 2.0 transport (hono/aws-lambda under createHandler), against an app that
 * records the Fetch request it gets and answers what the test asks: what the registry's routes see
 * of an event, and what API Gateway gets back.
 */
function echo(answer: () => Response = () => new Response('ok', { headers: { 'content-type': 'text/plain' } })) {
  const seen: Request[] = [];
  const hono = new Hono<AppEnv>();
  hono.all('*', (c) => {
    seen.push(c.req.raw.clone());
    return answer();
  });
  return { seen, handler: createHandler(async () => ({ app: { hono } })) };
}

describe('API Gateway event to Fetch request', () => {
  it('rebuilds the URL from the domain, raw path and raw query string, keeping percent-encoding', async () => {
    const { seen, handler } = echo();
    await handler(httpApiEvent({ method: 'GET', rawQueryString: 'query=%7B%20health%20%7B%20status%20%7D%20%7D&x=a%2Cb' }));
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/graphql?query=%7B%20health%20%7B%20status%20%7D%20%7D&x=a%2Cb');
  });

  it('joins payload 2.0 cookies into one cookie header', async () => {
    const { seen, handler } = echo();
    await handler(httpApiEvent({ method: 'GET', cookies: ['session=abc', 'theme=dark'] }));
    expect(seen[0]!.headers.get('cookie')).toBe('session=abc; theme=dark');
  });

  it('passes headers through, comma-joined values included', async () => {
    const { seen, handler } = echo();
    await handler(httpApiEvent({ method: 'GET', headers: { accept: 'application/json, text/plain', 'x-custom': 'a,b' } }));
    expect(seen[0]!.headers.get('accept')).toBe('application/json, text/plain');
    expect(seen[0]!.headers.get('x-custom')).toBe('a,b');
  });

  it('decodes a base64 body to the original bytes', async () => {
    const { seen, handler } = echo();
    const body = JSON.stringify({ query: '{ health { status } }', variables: { name: 'naïve – ünïcode ✓' } });
    await handler(httpApiEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body, base64: true }));
    expect(await seen[0]!.text()).toBe(body);
  });

  it('drops an empty body on GET, which Fetch refuses', async () => {
    const { seen, handler } = echo();
    const result = await handler({ ...httpApiEvent({ method: 'GET' }), body: '' });
    expect(result.statusCode).toBe(200);
    expect(seen[0]!.body).toBeNull();
  });
});

describe('Fetch response to API Gateway result', () => {
  it('returns text bodies as text with lower-case header names', async () => {
    const { handler } = echo(() => new Response('{"data":{}}', { status: 201, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'r1' } }));
    expect(await handler(httpApiEvent({ method: 'GET' }))).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
      body: '{"data":{}}',
      isBase64Encoded: false,
    });
  });

  it('moves every set-cookie header to cookies', async () => {
    const { handler } = echo(() => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
      headers.append('set-cookie', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
      return new Response('ok', { headers });
    });
    const result = await handler(httpApiEvent({ method: 'GET' }));
    expect(result.cookies).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT']);
    expect(result.headers).toEqual({ 'content-type': 'text/plain' });
  });

  it('base64-encodes binary and compressed bodies', async () => {
    const bytes = new Uint8Array([0, 255, 1, 128]);
    const binary = await echo(() => new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } })).handler(httpApiEvent({ method: 'GET' }));
    expect(binary).toMatchObject({ isBase64Encoded: true, body: Buffer.from(bytes).toString('base64') });
    const gzipped = await echo(() => new Response(bytes, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } })).handler(httpApiEvent({ method: 'GET' }));
    expect(gzipped.isBase64Encoded).toBe(true);
    expect(Buffer.from(gzipped.body!, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('knows which media types are text', () => {
    for (const type of ['application/json', 'application/graphql-response+json; charset=utf-8', 'text/html', 'TEXT/PLAIN', 'image/svg+xml', null]) expect(isTextual(type)).toBe(true);
    for (const type of ['application/octet-stream', 'image/png', 'application/zip']) expect(isTextual(type)).toBe(false);
  });
});
