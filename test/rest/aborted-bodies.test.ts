import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { useTestRegistry } from '../support/registry-harness.js';

/** Issue 25, item 6: every aborted request body logged a full stack (and counted as a server fault). */
const details: string[] = [];
const t = useTestRegistry({ yoga: { logDetail: (message) => details.push(message) } });

/** Sends the head and part of a body, then hangs up. */
function hangUpMidBody(method: string, path: string, headers: string, partialBody: string): void {
  const { hostname, port } = new URL(t.origin);
  const socket = connect(Number(port), hostname, () => {
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: registry\r\nContent-Type: application/json\r\n${headers}\r\n${partialBody}`);
    // Closed once the server has begun reading the body: then only the connection's end tells it.
    setTimeout(() => socket.destroy(), 100);
  });
  socket.on('error', () => undefined);
}

describe('a client that hangs up mid-body', () => {
  it('leaves one log line per request, no stack and no server error (REST and GraphQL)', async () => {
    hangUpMidBody('PUT', '/authenticate', 'Content-Length: 5000\r\n', '{"user":');
    await vi.waitFor(() => expect(details).toHaveLength(1), { timeout: 10_000 });
    expect(details[0]).toBe('PUT /authenticate: the client closed the connection before its body ended');
    hangUpMidBody('POST', '/graphql', 'Content-Length: 5000\r\n', '{"query":');
    hangUpMidBody('POST', '/artifacts', `Transfer-Encoding: chunked\r\nX-Authorization: bearer ${t.adminToken}\r\n`, 'a\r\n[{"name":"\r\n');
    // The server still answers; what it logged is checked by the harness (no server errors) and here.
    expect((await fetch(`${t.origin}/health`)).status).toBe(200);
    await vi.waitFor(() => expect(details.length).toBeLessThanOrEqual(3), { timeout: 1_000 });
    for (const line of details) expect(line).not.toMatch(/\n|at /);
  });
});
