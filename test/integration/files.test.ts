import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeyFor, type Sha256Hex } from '../../src/domain/artifact-files.js';
import { DEFAULT_FILE_LIMITS } from '../../src/config.js';
import { STAGING_MAX_AGE_MS } from '../../src/application/file-commands.js';
import { sweepStagingPeriodically } from '../../src/server/bootstrap.js';
import { zipEntries } from '../support/zip-entries.js';
import { errorCode, useTestRegistry } from '../support/registry-harness.js';
import { DELETE, HISTORY, INGEST, type ArtifactView } from '../support/operations.js';
import { COMPLETE_UPLOAD, CREATE_UPLOAD_URL, FILE_URLS, FILES, headersOf, httpRequest, sha256Hex, uploadFile, type UploadTicket } from '../support/files.js';

let counter = 0;
const LIMITS = { ...DEFAULT_FILE_LIMITS, maxUploadBytes: 1024 * 1024, maxArtifactBytes: 1536 * 1024, maxInlineUploadBytes: 64 * 1024 };

const t = useTestRegistry({ fileLimits: LIMITS });

/** Files behave alike for every type; a dataset from a host with no API needs no upstream recording. */
async function newArtifact(): Promise<ArtifactView> {
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'DATASET', url: `https://www.kaggle.com/datasets/org/files-${++counter}` } });
  return created.data!.ingestArtifact.artifact;
}

const blobExists = async (bytes: Uint8Array) => (await t.registry.blobs.head(blobKeyFor(sha256Hex(bytes) as Sha256Hex))) !== undefined;

async function createTicket(artifactId: string, path: string, bytes: Uint8Array, declared: { size?: number; sha256?: string } = {}) {
  return t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, {
    input: { artifactId, path, size: declared.size ?? bytes.length, sha256: declared.sha256 ?? sha256Hex(bytes), contentType: 'text/plain' },
  });
}

describe('direct upload through a presigned PUT', () => {
  it('uploads, verifies, records the file and serves it back through a presigned GET', async () => {
    const artifact = await newArtifact();
    const bytes = Buffer.from('{"hidden_size": 768}\n');
    const completed = await uploadFile(t, artifact.id, 'config.json', bytes, 'application/json');
    expect(completed.errors).toBeUndefined();
    const file = completed.data!.completeUpload.file;
    expect(file).toMatchObject({ path: 'config.json', size: bytes.length, sha256: sha256Hex(bytes), contentType: 'application/json' });

    const download = await httpRequest('GET', file.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.body.equals(bytes)).toBe(true);

    const listed = await t.gql<{ artifact: { version: number; storedBytes: number; files: unknown[] } }>(FILES, { id: artifact.id });
    expect(listed.data!.artifact.files).toEqual([{ path: 'config.json', size: bytes.length, sha256: sha256Hex(bytes), contentType: 'application/json' }]);
    expect(listed.data!.artifact.storedBytes).toBe(bytes.length);
    // registered, file added; the download (the completeUpload payload asked for a URL) is no change
    expect(listed.data!.artifact.version).toBe(2);
    const history = await t.gql<{ artifact: { history: { edges: { node: { type: string; actor: string; changes: string } }[] } } }>(HISTORY, { id: artifact.id, first: 10 });
    expect(history.data!.artifact.history.edges.map((e) => e.node.type)).toEqual(['REGISTERED', 'FILE_ADDED', 'FILE_DOWNLOADED']);
    expect(history.data!.artifact.history.edges[2]!.node).toMatchObject({ actor: 'ece30861defaultadminuser', changes: '{"path":"config.json"}' });
    const staged = [];
    for await (const page of t.registry.blobs.list('staging/')) staged.push(...page);
    expect(staged).toEqual([]); // moved to its content address
  });

  it('replaces a file added again under the same path', async () => {
    const artifact = await newArtifact();
    await uploadFile(t, artifact.id, 'a.txt', Buffer.from('one'));
    await uploadFile(t, artifact.id, 'a.txt', Buffer.from('two!'));
    const listed = await t.gql<{ artifact: { storedBytes: number; files: { path: string; size: number }[] } }>(FILES, { id: artifact.id });
    expect(listed.data!.artifact.files.map((f) => [f.path, f.size])).toEqual([['a.txt', 4]]);
    expect(listed.data!.artifact.storedBytes).toBe(4);
    expect(await blobExists(Buffer.from('one'))).toBe(false); // nobody holds the replaced bytes any more
  });

  it('rejects bytes whose SHA-256 differs from the declared one, and drops them', async () => {
    const artifact = await newArtifact();
    const declared = Buffer.from('the real content');
    const sent = Buffer.from('the fake content');
    const ticket = (await createTicket(artifact.id, 'weights.bin', declared)).data!.createUploadUrl;
    // s3rver does not check V4 signatures or x-amz-checksum-sha256 (AWS would refuse this PUT);
    // completeUpload hashes the staged object itself and catches it.
    expect((await httpRequest('PUT', ticket.url, headersOf(ticket), sent)).status).toBe(200);
    const completed = await t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } });
    expect(errorCode(completed)).toBe('BAD_USER_INPUT');
    expect(completed.errors![0]!.message).toMatch(/SHA-256/);
    expect(await t.registry.blobs.head(`staging/${ticket.uploadId}`)).toBeUndefined();
    const listed = await t.gql<{ artifact: { files: unknown[] } }>(FILES, { id: artifact.id });
    expect(listed.data!.artifact.files).toEqual([]);
  });

  it('rejects a size different from the declared one', async () => {
    const artifact = await newArtifact();
    const ticket = (await createTicket(artifact.id, 'w.bin', Buffer.alloc(10), { size: 11 })).data!.createUploadUrl;
    const headers = { ...headersOf(ticket), 'content-length': '10' };
    expect((await httpRequest('PUT', ticket.url, headers, Buffer.alloc(10))).status).toBe(200);
    expect(errorCode(await t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } }))).toBe('BAD_USER_INPUT');
  });

  it("does not let another user complete someone's upload", async () => {
    const artifact = await newArtifact();
    const bytes = Buffer.from('mine');
    const ticket = (await createTicket(artifact.id, 'm.txt', bytes)).data!.createUploadUrl;
    await httpRequest('PUT', ticket.url, headersOf(ticket), bytes);
    await t.gql('mutation { registerUser(input: { username: "other-uploader", password: "a long enough password", permissions: [UPLOAD] }) { user { username } } }');
    const other = await t.login('other-uploader', 'a long enough password');
    expect(errorCode(await t.gqlAs(other, COMPLETE_UPLOAD.replace(' downloadUrl', ''), { input: { uploadId: ticket.uploadId } }))).toBe('NOT_FOUND');
    expect((await t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } })).errors).toBeUndefined();
  });

  it('refuses completing before uploading, and unknown upload ids', async () => {
    const artifact = await newArtifact();
    const ticket = (await createTicket(artifact.id, 'x.bin', Buffer.from('x'))).data!.createUploadUrl;
    expect(errorCode(await t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql(COMPLETE_UPLOAD, { input: { uploadId: 'nope' } }))).toBe('NOT_FOUND');
  });

  it('refuses files over the per-file and per-artifact limits with PAYLOAD_TOO_LARGE', async () => {
    const artifact = await newArtifact();
    const tooBig = await createTicket(artifact.id, 'big.bin', Buffer.alloc(0), { size: LIMITS.maxUploadBytes + 1, sha256: 'a'.repeat(64) });
    expect(errorCode(tooBig)).toBe('PAYLOAD_TOO_LARGE');
    const first = randomBytes(LIMITS.maxUploadBytes);
    expect((await uploadFile(t, artifact.id, 'part1.bin', first)).errors).toBeUndefined();
    const over = await createTicket(artifact.id, 'part2.bin', Buffer.alloc(0), { size: LIMITS.maxArtifactBytes - first.length + 1, sha256: 'b'.repeat(64) });
    expect(errorCode(over)).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each(['../etc/passwd', '/abs/path', 'a//b', 'a/./b', 'dir/', 'C:/x', 'a\\b', ''])('refuses the path %j', async (path) => {
    const artifact = await newArtifact();
    expect(errorCode(await createTicket(artifact.id, path, Buffer.from('x')))).toBe('BAD_USER_INPUT');
  });

  it('refuses a malformed SHA-256 and an unknown artifact', async () => {
    const artifact = await newArtifact();
    expect(errorCode(await createTicket(artifact.id, 'f', Buffer.from('x'), { sha256: 'xyz' }))).toBe('BAD_USER_INPUT');
    await t.gql(DELETE, { input: { id: artifact.id, expectedVersion: 1 } });
    expect(errorCode(await createTicket(artifact.id, 'f', Buffer.from('x')))).toBe('NOT_FOUND');
  });
});

describe('presigned URLs on s3rver', () => {
  it('refuses an expired GET URL (s3rver checks X-Amz-Date + X-Amz-Expires, not the V4 signature)', async () => {
    const artifact = await newArtifact();
    const bytes = Buffer.from('expiring');
    await uploadFile(t, artifact.id, 'e.txt', bytes);
    const key = blobKeyFor(sha256Hex(bytes) as Sha256Hex);
    const expired = await t.registry.presigner.get(key, 60, 'e.txt', new Date(Date.now() - 5 * 60_000));
    expect((await httpRequest('GET', expired)).status).toBe(403);
    const fresh = await t.registry.presigner.get(key, 60, 'e.txt');
    expect((await httpRequest('GET', fresh)).status).toBe(200);
  });

  it('refuses an expired PUT URL', async () => {
    const bytes = Buffer.from('late');
    const expired = await t.registry.presigner.put('staging/expired-test', bytes.length, sha256Hex(bytes), 'text/plain', 60, new Date(Date.now() - 5 * 60_000));
    const put = await httpRequest('PUT', expired.url, Object.fromEntries(expired.headers.map((h) => [h.name, h.value])), bytes);
    expect(put.status).toBe(403);
  });
});

describe('GraphQL multipart upload', () => {
  const UPLOAD = 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path size sha256 contentType } } }';

  async function multipart(artifactId: string, path: string, bytes: Uint8Array, type = 'text/plain') {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: UPLOAD, variables: { input: { artifactId, path, file: null } } }));
    form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.set('0', new Blob([new Uint8Array(bytes)], { type }), 'upload.txt');
    const response = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'x-graphql-yoga-csrf': 'upload' }, body: form });
    return { status: response.status, ...((await response.json()) as { data?: { uploadFile: { file: Record<string, unknown> } }; errors?: { extensions: { code: string } }[] }) };
  }

  it('stores a small file sent in the request itself', async () => {
    const artifact = await newArtifact();
    const bytes = Buffer.from('# README\n');
    const uploaded = await multipart(artifact.id, 'README.md', bytes, 'text/markdown');
    expect(uploaded.errors).toBeUndefined();
    expect(uploaded.data!.uploadFile.file).toEqual({ path: 'README.md', size: bytes.length, sha256: sha256Hex(bytes), contentType: 'text/markdown' });
    const urls = await t.gql<{ artifact: { files: { downloadUrl: string }[] } }>(FILE_URLS, { id: artifact.id });
    expect((await httpRequest('GET', urls.data!.artifact.files[0]!.downloadUrl)).body.equals(bytes)).toBe(true);
  });

  it('refuses files over MAX_INLINE_UPLOAD_BYTES with PAYLOAD_TOO_LARGE', async () => {
    const artifact = await newArtifact();
    const slightlyOver = await multipart(artifact.id, 'a.bin', Buffer.alloc(LIMITS.maxInlineUploadBytes + 1));
    expect(slightlyOver.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const farOver = await multipart(artifact.id, 'b.bin', Buffer.alloc(LIMITS.maxInlineUploadBytes * 4));
    expect(farOver.status).toBe(413); // refused from its content-length, before parsing
    expect(farOver.errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

// Concurrent downloads, and how they are recorded: test/integration/download-records.test.ts.

describe('download permission', () => {
  it('gives a SEARCH-only user the files but FORBIDDEN on downloadUrl, and records nothing', async () => {
    const artifact = await newArtifact();
    await uploadFile(t, artifact.id, 'f.txt', Buffer.from('secret-ish'));
    await t.gql('mutation { registerUser(input: { username: "searcher", password: "a long enough password", permissions: [SEARCH] }) { user { username } } }');
    const token = await t.login('searcher', 'a long enough password');
    const downloads = async () => (await t.gql<{ artifact: { history: { edges: { node: { type: string } }[] } } }>(HISTORY, { id: artifact.id, first: 100 })).data!.artifact.history.edges.filter((e) => e.node.type === 'FILE_DOWNLOADED').length;
    const before = await downloads();
    const response = await t.gqlAs<{ artifact: { files: { path: string; downloadUrl: string | null }[] } }>(token, FILE_URLS, { id: artifact.id });
    expect(response.data!.artifact.files).toEqual([{ path: 'f.txt', downloadUrl: null }]);
    expect(errorCode(response)).toBe('FORBIDDEN');
    const whole = await t.gqlAs<{ artifact: { downloadUrl: string | null } }>(token, 'query($id: ID!) { artifact(id: $id) { downloadUrl } }', { id: artifact.id });
    expect(whole.data!.artifact.downloadUrl).toBeNull();
    expect(errorCode(whole)).toBe('FORBIDDEN');
    expect(await downloads()).toBe(before);
  });
});

describe('blob lifetime', () => {
  it('stores equal bytes once, and deletes a blob only with its last holder', async () => {
    const shared = randomBytes(1000);
    const own = randomBytes(1000);
    const a = await newArtifact();
    const b = await newArtifact();
    await uploadFile(t, a.id, 'shared.bin', shared);
    await uploadFile(t, a.id, 'own.bin', own);
    await uploadFile(t, b.id, 'copy-of-shared.bin', shared);
    await uploadFile(t, a.id, 'same-bytes-other-path.bin', shared);
    const listed = await t.gql<{ artifact: { version: number; storedBytes: number } }>(FILES, { id: a.id });
    expect(listed.data!.artifact.storedBytes).toBe(2000); // three paths, two distinct contents

    expect((await t.gql(DELETE, { input: { id: a.id, expectedVersion: listed.data!.artifact.version } })).errors).toBeUndefined();
    expect(await blobExists(own)).toBe(false);
    expect(await blobExists(shared)).toBe(true); // b still holds it
    const bVersion = (await t.gql<{ artifact: { version: number } }>(FILES, { id: b.id })).data!.artifact.version;
    expect((await t.gql(DELETE, { input: { id: b.id, expectedVersion: bVersion } })).errors).toBeUndefined();
    expect(await blobExists(shared)).toBe(false);
  });
});

describe('whole-package download', () => {
  const PACKAGE_URL = 'query($id: ID!) { artifact(id: $id) { version downloadUrl } }';
  const packageKeys = async () => {
    const keys: string[] = [];
    for await (const page of t.registry.blobs.list('packages/')) keys.push(...page.map((o) => o.key));
    return keys;
  };

  it('serves a zip of every file, built once and reused, and records the download', async () => {
    const artifact = await newArtifact();
    const files = { 'config.json': Buffer.from('{"a":1}'), 'weights/model.bin': randomBytes(300_000) };
    for (const [path, bytes] of Object.entries(files)) await uploadFile(t, artifact.id, path, bytes);
    const before = await packageKeys();
    const first = await t.gql<{ artifact: { version: number; downloadUrl: string } }>(PACKAGE_URL, { id: artifact.id });
    expect(first.errors).toBeUndefined();
    const zip = await httpRequest('GET', first.data!.artifact.downloadUrl);
    expect(zip.status).toBe(200);
    const entries = zipEntries(zip.body);
    expect([...entries.keys()]).toEqual(['config.json', 'weights/model.bin']);
    for (const [path, bytes] of Object.entries(files)) expect(entries.get(path)!.equals(bytes)).toBe(true);
    const built = (await packageKeys()).filter((key) => !before.includes(key));
    expect(built).toHaveLength(1);

    const second = await t.gql<{ artifact: { version: number; downloadUrl: string } }>(PACKAGE_URL, { id: artifact.id });
    expect(second.data!.artifact.version).toBe(first.data!.artifact.version); // downloads change no version
    expect((await packageKeys()).filter((key) => !before.includes(key))).toEqual(built);
    const history = await t.gql<{ artifact: { history: { edges: { node: { type: string; changes: string } }[] } } }>(HISTORY, { id: artifact.id, first: 20 });
    expect(history.data!.artifact.history.edges.at(-1)!.node).toEqual({ ...history.data!.artifact.history.edges.at(-1)!.node, type: 'FILE_DOWNLOADED', changes: '{"path":null}' });

    // Downloads leave the version a client read valid.
    expect((await t.gql(DELETE, { input: { id: artifact.id, expectedVersion: second.data!.artifact.version } })).errors).toBeUndefined();
    expect(await t.registry.blobs.head(built[0]!)).toBeUndefined();
  });

  it('answers NOT_FOUND for an artifact without files', async () => {
    const artifact = await newArtifact();
    expect(errorCode(await t.gql(PACKAGE_URL, { id: artifact.id }))).toBe('NOT_FOUND');
  });
});

describe('cleanup', () => {
  it('sweeps staged uploads older than a day in embedded mode, and keeps younger ones', async () => {
    await t.registry.blobs.put('staging/abandoned', Buffer.from('x'), 'text/plain');
    const now = { ...t.registry, clock: { now: () => new Date() } };
    clearInterval(sweepStagingPeriodically(now));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await t.registry.blobs.head('staging/abandoned')).toBeDefined();
    const dayLater = { ...t.registry, clock: { now: () => new Date(Date.now() + STAGING_MAX_AGE_MS + 60_000) } };
    clearInterval(sweepStagingPeriodically(dayLater));
    await expect.poll(() => t.registry.blobs.head('staging/abandoned')).toBeUndefined();
  });

  // Last: the reset invalidates the admin token the other tests use.
  it('resetRegistry removes every file blob', async () => {
    const artifact = await newArtifact();
    const bytes = randomBytes(64);
    await uploadFile(t, artifact.id, 'r.bin', bytes);
    expect(await blobExists(bytes)).toBe(true);
    // The reset keeps objects of its own second (S3 times have one-second resolution): wait it out.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await t.gql('mutation { resetRegistry { ok } }')).errors).toBeUndefined();
    expect(await blobExists(bytes)).toBe(false);
    const left = [];
    for await (const page of t.registry.blobs.list()) left.push(...page);
    expect(left).toEqual([]);
  });
});
