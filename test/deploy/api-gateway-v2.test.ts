import { describe, expect, it } from 'vitest';
import { isTextual, requestFromEvent, resultFromResponse } from '../../src/lambda/api-gateway-v2.js';
import { httpApiEvent } from '../support/http-api-events.js';

describe('requestFromEvent', () => {
  it('rebuilds the URL from host, raw path and raw query string, keeping percent-encoding', () => {
    const request = requestFromEvent(httpApiEvent({ method: 'GET', rawQueryString: 'query=%7B%20health%20%7B%20status%20%7D%20%7D&x=a%2Cb' }));
    expect(request.method).toBe('GET');
    expect(request.url).toBe('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/graphql?query=%7B%20health%20%7B%20status%20%7D%20%7D&x=a%2Cb');
  });

  it('joins payload 2.0 cookies into one cookie header', () => {
    const request = requestFromEvent(httpApiEvent({ method: 'GET', cookies: ['session=abc', 'theme=dark'] }));
    expect(request.headers.get('cookie')).toBe('session=abc; theme=dark');
  });

  it('passes headers through, comma-joined values included', () => {
    const request = requestFromEvent(httpApiEvent({ method: 'GET', headers: { accept: 'application/json, text/plain', 'x-custom': 'a,b' } }));
    expect(request.headers.get('accept')).toBe('application/json, text/plain');
    expect(request.headers.get('x-custom')).toBe('a,b');
  });

  it('decodes a base64 body to the original bytes', async () => {
    const body = JSON.stringify({ query: '{ health { status } }', variables: { name: 'naïve – ünïcode ✓' } });
    const request = requestFromEvent(httpApiEvent({ method: 'POST', headers: { 'content-type': 'application/json' }, body, base64: true }));
    expect(await request.text()).toBe(body);
  });

  it('drops a body on GET, which Fetch refuses', () => {
    const event = { ...httpApiEvent({ method: 'GET' }), body: '' };
    expect(requestFromEvent(event).body).toBeNull();
  });
});

describe('resultFromResponse', () => {
  it('returns text bodies as text with lower-case header names', async () => {
    const response = new Response('{"data":{}}', { status: 201, headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': 'r1' } });
    expect(await resultFromResponse(response)).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r1' },
      body: '{"data":{}}',
      isBase64Encoded: false,
    });
  });

  it('moves every set-cookie header to cookies', async () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
    headers.append('set-cookie', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT');
    const result = await resultFromResponse(new Response('ok', { headers }));
    expect(result.cookies).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT']);
    expect(result.headers).toEqual({ 'content-type': 'text/plain' });
  });

  it('base64-encodes binary and compressed bodies', async () => {
    const bytes = new Uint8Array([0, 255, 1, 128]);
    const binary = await resultFromResponse(new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
    expect(binary).toMatchObject({ isBase64Encoded: true, body: Buffer.from(bytes).toString('base64') });
    const gzipped = await resultFromResponse(new Response(bytes, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }));
    expect(gzipped.isBase64Encoded).toBe(true);
  });

  it('knows which media types are text', () => {
    for (const type of ['application/json', 'application/graphql-response+json; charset=utf-8', 'text/html', 'TEXT/PLAIN', 'image/svg+xml', null]) expect(isTextual(type)).toBe(true);
    for (const type of ['application/octet-stream', 'image/png', 'application/zip']) expect(isTextual(type)).toBe(false);
  });
});
