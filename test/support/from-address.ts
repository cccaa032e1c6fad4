import { request } from 'node:http';
import type { GraphQLResponse } from './registry-harness.js';

export interface AnswerFrom {
  readonly status: number;
  readonly body: unknown;
  /** The Retry-After header, when the answer has one. */
  readonly retryAfter?: string;
}

/**
 * An HTTP request from a chosen loopback source address (all of 127/8 is loopback on Linux), so the
 * server sees a client of that address on its socket, as it would see distinct clients.
 */
export function requestFrom(localAddress: string, url: string, init: { method: string; body: unknown; headers?: Record<string, string> }): Promise<AnswerFrom> {
  const target = new URL(url);
  const payload = JSON.stringify(init.body);
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), ...init.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: init.method, localAddress, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      const retryAfter = res.headers['retry-after'];
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, ...(retryAfter !== undefined && { retryAfter }) }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GraphQL POST from a chosen loopback source address. */
export async function postFrom(localAddress: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const answer = await requestFrom(localAddress, url, { method: 'POST', body, headers });
  return { status: answer.status, ...(answer.body as object) };
}
