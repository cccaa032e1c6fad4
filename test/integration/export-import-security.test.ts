import { chmod, mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { FILE_URLS, httpRequest, sha256Hex, uploadFile } from '../support/files.js';
import { blobPathIn, exportRegistry } from '../../src/application/registry-export.js';
import { ImportRefused, importRegistry } from '../../src/application/registry-import.js';
import { SILENT_PROGRESS } from '../../src/application/progress.js';
import { PortableItems } from '../../src/store/portable-items.js';
import { DEFAULT_ADMIN_PASSWORD } from '../../src/config.js';
import { DEFAULT_ADMIN_USERNAME } from '../../src/application/users/user-commands.js';

/**
 * The security review's findings on export and import (issue 25): an export file and its blobs
 * directory are whatever their bearer made of them, so an import checks them before it writes.
 */
let storage: EmbeddedStorage;
let source: TestRegistry;
let dir: string;
let artifactId = '';
const ALICE_PASSWORD = 'correct horse battery staple';
const CONFIG = Buffer.from('{"hidden_size": 768, "layers": 12}');
const WEIGHTS = Buffer.from('0123456789abcdef'.repeat(64));

beforeAll(async () => {
  storage = await startStorage();
  source = await startTestRegistry(storage);
  dir = await mkdtemp(join(tmpdir(), 'registry-export-security-'));
  const registered = await source.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', {
    input: { username: 'alice', password: ALICE_PASSWORD, permissions: ['SEARCH', 'DOWNLOAD'] },
  });
  expect(registered.errors).toBeUndefined();
  const ingested = await source.gql<{ ingestArtifact: { artifact: ArtifactView } }>(INGEST, { input: { type: 'CODE', url: 'https://gitlab.com/org/export-security' } });
  expect(ingested.errors).toBeUndefined();
  artifactId = ingested.data!.ingestArtifact.artifact.id;
  for (const [path, bytes] of [['config.json', CONFIG], ['weights.bin', WEIGHTS]] as const) expect((await uploadFile(source, artifactId, path, bytes)).errors).toBeUndefined();
});

afterAll(async () => {
  expect(source.serverErrors).toEqual([]);
  await source.close();
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** The export's lines, each item as JSON: a test edits one as an attacker would. */
async function exportLines(name: string, blobsDir?: string): Promise<{ file: string; lines: Record<string, unknown>[] }> {
  const file = join(dir, name);
  await exportRegistry(source.registry, file, { settleMs: 0, progress: SILENT_PROGRESS, ...(blobsDir !== undefined && { blobsDir }) });
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { file, lines };
}

const writeLines = (file: string, lines: readonly unknown[]): Promise<void> => writeFile(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);

/** The portable items of the registry's epoch: 1 while only the default administrator is there. */
async function storedItems(t: TestRegistry): Promise<number> {
  const scope = await t.scope();
  return new PortableItems(t.registry.dynamo.doc, t.registry.config.tableName, scope.entities, scope.epoch).count();
}

async function bucketKeys(t: TestRegistry): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of t.registry.blobs.list()) keys.push(...page.map((object) => object.key));
  return keys;
}

/** Nothing of a refused import is left: the default administrator still signs in, alone, and the bucket is empty. */
async function expectUntouched(t: TestRegistry): Promise<void> {
  expect(await storedItems(t)).toBe(1);
  expect(await bucketKeys(t)).toEqual([]);
  expect(await t.login(DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_PASSWORD)).toEqual(expect.any(String));
}

describe('password hashes in an export file', () => {
  it("refuses a hash costlier than the registry's own scrypt, naming the user, before writing anything", async () => {
    const { file, lines } = await exportLines('scrypt.ndjson');
    const alice = lines.find((line) => line['entity'] === 'userEvent' && (line['attributes'] as Record<string, unknown>)['streamId'] === 'alice')!;
    const attributes = alice['attributes'] as Record<string, unknown>;
    const payload = JSON.parse(attributes['payload'] as string) as { password: Record<string, unknown> };
    // 2^20 blocks: 10.6 s and 1 GiB per login in the review's measurement.
    payload.password['N'] = 2 ** 20;
    attributes['payload'] = JSON.stringify(payload);
    const costly = join(dir, 'scrypt-costly.ndjson');
    await writeLines(costly, lines);

    const target = await startTestRegistry(storage);
    try {
      const refused = importRegistry(target.registry, costly, { progress: SILENT_PROGRESS });
      await expect(refused).rejects.toThrow(ImportRefused);
      await expect(refused).rejects.toThrow(`user alice: password hash refused: scrypt parameters N=1048576, r=8, p=1 exceed this registry's N=1024, r=8, p=1`);
      await expectUntouched(target);

      // The same file as exported imports, and alice signs in with her password.
      await importRegistry(target.registry, file, { progress: SILENT_PROGRESS });
      expect(await target.login('alice', ALICE_PASSWORD)).toEqual(expect.any(String));
    } finally {
      await target.close();
    }
  });
});

describe('blobs given to an import', () => {
  const keyOf = (bytes: Buffer): string => `blobs/sha256/${sha256Hex(bytes)}`;

  it('stores only bytes of the declared SHA-256 and size; the first file that differs refuses the import, naming it, and leaves nothing', async () => {
    const blobs = join(dir, 'blobs');
    const { file } = await exportLines('blobs.ndjson', blobs);
    // Imported in key order: the later one fails after the earlier one was stored, which must go again.
    const [first, last] = [CONFIG, WEIGHTS].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const lastFile = blobPathIn(blobs, keyOf(last!));
    const declared = `the export declares ${last!.length} bytes with SHA-256 ${sha256Hex(last!)} (blob ${keyOf(last!)})`;
    const other = Buffer.alloc(last!.length, 'x');

    const target = await startTestRegistry(storage);
    try {
      const cases: [Buffer | undefined, string][] = [
        [other, `${lastFile} has SHA-256 ${sha256Hex(other)}; ${declared}; the registry is unchanged`],
        [Buffer.concat([last!, Buffer.from('!')]), `${lastFile} holds ${last!.length + 1} bytes; ${declared}; the registry is unchanged`],
        [undefined, `${lastFile} is missing; ${declared} (export it with --with-blobs); the registry is unchanged`],
      ];
      for (const [bytes, reason] of cases) {
        if (bytes) await writeFile(lastFile, bytes);
        else await unlink(lastFile);
        const refused = importRegistry(target.registry, file, { blobsDir: blobs, progress: SILENT_PROGRESS });
        await expect(refused).rejects.toThrow(ImportRefused);
        await expect(refused).rejects.toThrow(reason);
        await expectUntouched(target);
      }

      // With the exported bytes back, the same import runs, and each file downloads as declared,
      // even one whose content key already held other bytes.
      await writeFile(lastFile, last!);
      await target.registry.blobs.put(keyOf(first!), Buffer.from('planted'), 'application/octet-stream');
      expect(await importRegistry(target.registry, file, { blobsDir: blobs, progress: SILENT_PROGRESS })).toMatchObject({ blobsWritten: 2 });
      expect((await bucketKeys(target)).sort()).toEqual([keyOf(first!), keyOf(last!)]);
      const urls = await target.gql<{ artifact: { files: { path: string; downloadUrl: string }[] } }>(FILE_URLS, { id: artifactId });
      expect(urls.errors).toBeUndefined();
      for (const { path, downloadUrl } of urls.data!.artifact.files) {
        const download = await httpRequest('GET', downloadUrl);
        expect(download.body.equals(path === 'config.json' ? CONFIG : WEIGHTS)).toBe(true);
      }
    } finally {
      await target.close();
    }
  });

  it('refuses a file whose FileAdded names a blob key that is not the content key of its SHA-256, or whose end marker lists a blob nobody declares', async () => {
    const { lines } = await exportLines('keys.ndjson');
    const forged = join(dir, 'keys-forged.ndjson');
    const target = await startTestRegistry(storage);
    try {
      const added = lines.findIndex((line) => (line['attributes'] as Record<string, unknown> | undefined)?.['eventType'] === 'FileAdded');
      const attributes = { ...(lines[added]!['attributes'] as Record<string, unknown>) };
      const payload = JSON.parse(attributes['payload'] as string) as Record<string, unknown>;
      const elsewhere = `blobs/sha256/${sha256Hex(Buffer.from('other bytes'))}`;
      const renamed = lines.map((line, i) => (i === added ? { ...line, attributes: { ...attributes, payload: JSON.stringify({ ...payload, blobKey: elsewhere }) } } : line));
      await writeLines(forged, renamed);
      await expect(importRegistry(target.registry, forged, { progress: SILENT_PROGRESS })).rejects.toThrow(`:${added + 1}: artifact event ${String(attributes['streamId'])}@${String(attributes['version'])}: blob key ${elsewhere} is not the content key of its sha256`);

      const trailer = lines.at(-1)!;
      await writeLines(forged, [...lines.slice(0, -1), { ...trailer, blobs: [...(trailer['blobs'] as string[]), elsewhere] }]);
      await expect(importRegistry(target.registry, forged, { progress: SILENT_PROGRESS })).rejects.toThrow(`the end marker lists blob ${elsewhere}, which no FileAdded event declares`);
      await expectUntouched(target);
    } finally {
      await target.close();
    }
  });
});

describe('files an export writes', () => {
  const modeOf = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

  it('are readable by their owner only: the file 0600 (also when it replaces a readable one), the blobs directories 0700, their files 0600', async () => {
    const file = join(dir, 'modes.ndjson');
    await writeFile(file, 'an earlier export\n');
    await chmod(file, 0o644);
    const blobs = join(dir, 'modes-blobs');
    await exportLines('modes.ndjson', blobs);
    expect(await modeOf(file)).toBe(0o600);
    const key = `blobs/sha256/${sha256Hex(CONFIG)}`;
    const blobFile = blobPathIn(blobs, key);
    for (const directory of [blobs, join(blobs, 'blobs'), join(blobs, 'blobs', 'sha256')]) expect(await modeOf(directory)).toBe(0o700);
    expect(await modeOf(blobFile)).toBe(0o600);

    // Into a directory of the operator's (left as it is): what the export puts in it is tightened.
    const shared = join(dir, 'shared');
    await mkdir(join(shared, 'blobs', 'sha256'), { recursive: true });
    for (const directory of [shared, join(shared, 'blobs'), join(shared, 'blobs', 'sha256')]) await chmod(directory, 0o755);
    await writeFile(blobPathIn(shared, key), CONFIG);
    await chmod(blobPathIn(shared, key), 0o644);
    await exportLines('modes-again.ndjson', shared);
    expect(await modeOf(shared)).toBe(0o755);
    for (const directory of [join(shared, 'blobs'), join(shared, 'blobs', 'sha256')]) expect(await modeOf(directory)).toBe(0o700);
    expect(await modeOf(blobPathIn(shared, key))).toBe(0o600);
  });
});
