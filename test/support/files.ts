import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { TestRegistry } from './registry-harness.js';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const CREATE_UPLOAD_URL = `mutation($input: CreateUploadUrlInput!) { createUploadUrl(input: $input) { uploadId url headers { name value } expiresAt } }`;
export const COMPLETE_UPLOAD = `mutation($input: CompleteUploadInput!) { completeUpload(input: $input) { file { path size sha256 contentType downloadUrl } } }`;
export const FILES = `query($id: ID!) { artifact(id: $id) { version storedBytes files { path size sha256 contentType } } }`;
export const FILE_URLS = `query($id: ID!) { artifact(id: $id) { files { path downloadUrl } } }`;

export interface UploadTicket {
  uploadId: string;
  url: string;
  headers: { name: string; value: string }[];
  expiresAt: string;
}

export interface HttpResult {
  status: number;
  body: Buffer;
}

/** A plain HTTP request with exactly these headers, as curl would send it. */
export function httpRequest(method: string, url: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const headersOf = (ticket: UploadTicket): Record<string, string> => Object.fromEntries(ticket.headers.map((h) => [h.name, h.value]));

/** createUploadUrl, PUT, completeUpload: the whole direct-to-S3 upload as a client does it. */
export async function uploadFile(t: TestRegistry, artifactId: string, path: string, bytes: Uint8Array, contentType = 'application/octet-stream') {
  const created = await t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, {
    input: { artifactId, path, size: bytes.length, sha256: sha256Hex(bytes), contentType },
  });
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  const ticket = created.data.createUploadUrl;
  const put = await httpRequest('PUT', ticket.url, headersOf(ticket), bytes);
  if (put.status !== 200) throw new Error(`PUT answered ${put.status}: ${put.body.toString()}`);
  return t.gql<{ completeUpload: { file: { path: string; size: number; sha256: string; contentType: string; downloadUrl: string } } }>(COMPLETE_UPLOAD, {
    input: { uploadId: ticket.uploadId },
  });
}
