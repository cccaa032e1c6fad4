import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { blobKeyFor, type Sha256Hex } from '../../src/domain/artifact-files.js';
import { DEFAULT_FILE_LIMITS } from '../../src/config.js';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { errorCode, postMultipart, useTestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { COMPLETE_UPLOAD, CREATE_UPLOAD_URL, FILE_URLS, headersOf, httpRequest, sha256Hex, uploadFile, type UploadTicket } from '../support/files.js';

/**
 * Issue 11, item 5: a stored blob is exactly the bytes of its SHA-256. The uploader races other
 * bytes against completeUpload through the same presigned URL, and bytes planted at a content
 * address (s3rver takes unsigned writes from anyone on loopback) are never served as that content.
 */
const t = useTestRegistry({ fileLimits: { ...DEFAULT_FILE_LIMITS, maxUploadBytes: 1024 * 1024 } });

const ROUNDS = 20;
const SIZE = 128 * 1024;
let counter = 0;

/** Blobs behave alike for every type; a dataset from a host with no API needs no upstream recording. */
async function newArtifact(): Promise<string> {
  const created = await t.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'DATASET', url: `https://www.kaggle.com/datasets/org/blob-${++counter}` } });
  return created.data!.ingestArtifact.artifact.id;
}

/** Every file the artifact lists, downloaded through its presigned URL, paired with the digest it claims. */
async function served(artifactId: string): Promise<{ claimed: string; actual: string }[]> {
  const listed = await t.gql<{ artifact: { files: { path: string; downloadUrl: string }[] } }>(FILE_URLS, { id: artifactId });
  const files = await t.gql<{ artifact: { files: { path: string; sha256: string }[] } }>('query($id: ID!) { artifact(id: $id) { files { path sha256 } } }', { id: artifactId });
  return Promise.all(
    listed.data!.artifact.files.map(async (file) => {
      const body = (await httpRequest('GET', file.downloadUrl)).body;
      return { claimed: files.data!.artifact.files.find((f) => f.path === file.path)!.sha256, actual: sha256Hex(body) };
    }),
  );
}

/** PUTs to the presigned URL, the other bytes every third time, until `until` settles. */
async function keepPutting(ticket: UploadTicket, genuine: Buffer, other: Buffer, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  let puts = 0;
  while (!done) {
    await httpRequest('PUT', ticket.url, headersOf(ticket), puts % 3 === 1 ? other : genuine);
    puts += 1;
  }
  return puts;
}

describe('completeUpload keeps exactly the bytes it hashed', () => {
  it('keeps the hashed bytes when the client PUTs other bytes just before the registry copies them', async () => {
    const artifactId = await newArtifact();
    const genuine = randomBytes(SIZE);
    const other = randomBytes(SIZE);
    const created = await t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, {
      input: { artifactId, path: 'swapped.bin', size: SIZE, sha256: sha256Hex(genuine), contentType: 'application/octet-stream' },
    });
    const ticket = created.data!.createUploadUrl;
    expect((await httpRequest('PUT', ticket.url, headersOf(ticket), genuine)).status).toBe(200);
    // The worst moment, made deterministic: the client's second PUT lands right before the registry's first copy.
    let armed = true;
    const { client } = await t.registry.blobs.connection();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (armed && context.commandName === 'CopyObjectCommand') {
          armed = false;
          expect((await httpRequest('PUT', ticket.url, headersOf(ticket), other)).status).toBe(200);
        }
        return next(args);
      },
      { step: 'initialize', name: 'putBeforeCopy' },
    );
    try {
      const completed = await t.gql<{ completeUpload: { file: { sha256: string } } }>(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } });
      expect(completed.errors).toBeUndefined();
      expect(armed).toBe(false);
    } finally {
      client.middlewareStack.remove('putBeforeCopy');
    }
    expect(await served(artifactId)).toEqual([{ claimed: sha256Hex(genuine), actual: sha256Hex(genuine) }]);
  });

  // A torn read (s3rver rewrites an object in place) can hold a round for a few seconds: generous timeout.
  // Retried: s3rver itself sometimes answers 500 to a copy racing a PUT of the same key (1 of ~6
  // runs), which completeUpload reports as INTERNAL_SERVER_ERROR. Noted on issue 11.
  it(`never serves bytes other than the recorded SHA-256 when PUTs race completeUpload (${ROUNDS} rounds)`, { timeout: 180_000, retry: 2 }, async () => {
    // s3rver's 500 reaches the server log too: this attempt's own outcome check fails on it (as
    // INTERNAL_SERVER_ERROR), so the log entry is dropped and a retry starts from a clean log.
    const loggedBefore = t.serverErrors.length;
    onTestFinished(() => {
      const emulatorRaces = t.serverErrors.slice(loggedBefore).filter((error) => (error as Partial<S3ServiceException> | undefined)?.$metadata?.httpStatusCode === 500);
      for (const error of emulatorRaces) t.serverErrors.splice(t.serverErrors.indexOf(error), 1);
    });
    const artifactId = await newArtifact();
    const outcomes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const genuine = randomBytes(SIZE);
      const other = randomBytes(SIZE);
      const created = await t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, {
        input: { artifactId, path: `race-${round}.bin`, size: SIZE, sha256: sha256Hex(genuine), contentType: 'application/octet-stream' },
      });
      const ticket = created.data!.createUploadUrl;
      expect((await httpRequest('PUT', ticket.url, headersOf(ticket), genuine)).status).toBe(200);
      const completing = t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } });
      const [completed] = await Promise.all([completing, keepPutting(ticket, genuine, other, completing)]);
      const code = completed.errors ? String(completed.errors[0]!.extensions?.['code']) : 'OK';
      outcomes[code] = (outcomes[code] ?? 0) + 1;
    }
    const files = await served(artifactId);
    expect(files.filter((file) => file.actual !== file.claimed)).toEqual([]);
    expect(files.length).toBe(outcomes['OK'] ?? 0);
    // A race is the client's doing: it may be refused, but only as a client error.
    expect(Object.keys(outcomes).filter((code) => !['OK', 'BAD_USER_INPUT', 'CONFLICT'].includes(code))).toEqual([]);
  });
});

describe('on S3, which verifies the checksum of a PUT', () => {
  it('pins the copy to the ETag of the version whose checksum S3 reported: a replaced object is a CONFLICT and nothing is kept', async () => {
    const artifactId = await newArtifact();
    const genuine = randomBytes(4096);
    const other = randomBytes(4096);
    const created = await t.gql<{ createUploadUrl: UploadTicket }>(CREATE_UPLOAD_URL, {
      input: { artifactId, path: 'pinned.bin', size: genuine.length, sha256: sha256Hex(genuine), contentType: 'application/octet-stream' },
    });
    const ticket = created.data!.createUploadUrl;
    const staging = `staging/${ticket.uploadId}`;
    expect((await httpRequest('PUT', ticket.url, headersOf(ticket), genuine)).status).toBe(200);
    // What s3rver lacks and S3 does: HeadObject reports the SHA-256 the signed PUT carried, and
    // CopyObject honours CopySourceIfMatch. The client's second PUT lands just before the copy.
    const copies: { CopySourceIfMatch?: string }[] = [];
    const { client } = await t.registry.blobs.connection();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; CopySource?: string; CopySourceIfMatch?: string };
        if (context.commandName === 'CopyObjectCommand' && input.CopySource?.endsWith(staging)) {
          copies.push({ ...(input.CopySourceIfMatch !== undefined && { CopySourceIfMatch: input.CopySourceIfMatch }) });
          expect((await httpRequest('PUT', ticket.url, headersOf(ticket), other)).status).toBe(200);
          const current = await t.registry.blobs.head(staging);
          if (input.CopySourceIfMatch !== undefined && input.CopySourceIfMatch !== current?.etag) {
            throw new S3ServiceException({ name: 'PreconditionFailed', $fault: 'client', $metadata: { httpStatusCode: 412 }, message: 'At least one of the pre-conditions you specified did not hold' });
          }
        }
        const result = await next(args);
        if (context.commandName === 'HeadObjectCommand' && input.Key === staging) {
          (result.output as { ChecksumSHA256?: string }).ChecksumSHA256 = Buffer.from(sha256Hex(genuine), 'hex').toString('base64');
        }
        return result;
      },
      { step: 'initialize', name: 's3Semantics' },
    );
    let completed;
    try {
      completed = await t.gql(COMPLETE_UPLOAD, { input: { uploadId: ticket.uploadId } });
    } finally {
      client.middlewareStack.remove('s3Semantics');
    }
    expect(copies).toEqual([{ CopySourceIfMatch: expect.stringMatching(/^"[0-9a-f]{32}"$/) }]);
    expect(errorCode(completed)).toBe('CONFLICT');
    expect(completed.errors![0]!.message).toMatch(/changed while it was being completed/);
    expect(await served(artifactId)).toEqual([]);
    expect(await t.registry.blobs.head(blobKeyFor(sha256Hex(genuine) as Sha256Hex))).toBeUndefined();
    expect(await t.registry.blobs.head(staging)).toBeUndefined();
  });
});

describe('deduplication trusts a blob only once it is verified', () => {
  /** Bytes written straight to a content address, as anyone who can reach s3rver could. */
  async function plant(sha256: string, bytes: Buffer): Promise<void> {
    const url = `${t.storage.s3Endpoint}/${t.registry.blobs.bucket}/${blobKeyFor(sha256 as Sha256Hex)}`;
    expect((await httpRequest('PUT', url, { 'content-length': String(bytes.length) }, bytes)).status).toBe(200);
  }

  it('replaces planted bytes at the genuine digest with the honest upload\'s, through a presigned upload', async () => {
    const genuine = randomBytes(4096);
    const planted = randomBytes(4096);
    await plant(sha256Hex(genuine), planted);
    const artifactId = await newArtifact();
    const completed = await uploadFile(t, artifactId, 'weights.bin', genuine);
    expect(completed.errors).toBeUndefined();
    const download = await httpRequest('GET', completed.data!.completeUpload.file.downloadUrl);
    expect(sha256Hex(download.body)).toBe(sha256Hex(genuine));
  });

  it('does the same for an inline upload', async () => {
    const genuine = Buffer.from(`inline genuine ${randomBytes(8).toString('hex')}`);
    await plant(sha256Hex(genuine), Buffer.from('planted'));
    const artifactId = await newArtifact();
    const uploaded = await postMultipart<{ uploadFile: { file: { downloadUrl: string } } }>(
      t.url,
      'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { downloadUrl } } }',
      { input: { artifactId, path: 'inline.txt', file: null } },
      { 'input.file': genuine },
      t.adminToken,
    );
    expect(uploaded.errors).toBeUndefined();
    expect((await httpRequest('GET', uploaded.data!.uploadFile.file.downloadUrl)).body.equals(genuine)).toBe(true);
  });

  it('keeps an intact blob: a second upload of the same bytes deduplicates onto it', async () => {
    const bytes = randomBytes(2048);
    const [a, b] = [await newArtifact(), await newArtifact()];
    expect((await uploadFile(t, a, 'x.bin', bytes)).errors).toBeUndefined();
    const before = await t.registry.blobs.head(blobKeyFor(sha256Hex(bytes) as Sha256Hex));
    expect((await uploadFile(t, b, 'x.bin', bytes)).errors).toBeUndefined();
    expect(await t.registry.blobs.head(blobKeyFor(sha256Hex(bytes) as Sha256Hex))).toEqual(before);
    for (const id of [a, b]) for (const file of await served(id)) expect(file.actual).toBe(file.claimed);
  });
});
