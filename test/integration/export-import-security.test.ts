import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStorage } from '../../src/server/embedded-storage.js';
import { startStorage, startTestRegistry, type TestRegistry } from '../support/registry-harness.js';
import { INGEST, type ArtifactView } from '../support/operations.js';
import { uploadFile } from '../support/files.js';
import { exportRegistry } from '../../src/application/registry-export.js';
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
const ALICE_PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  storage = await startStorage();
  source = await startTestRegistry(storage);
  dir = await mkdtemp(join(tmpdir(), 'registry-export-security-'));
  const registered = await source.gql('mutation($input: RegisterUserInput!) { registerUser(input: $input) { user { username } } }', {
    input: { username: 'alice', password: ALICE_PASSWORD, permissions: ['SEARCH', 'DOWNLOAD'] },
  });
  expect(registered.errors).toBeUndefined();
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

/** Nothing of a refused import is left: the default administrator still signs in, alone. */
async function expectUntouched(t: TestRegistry): Promise<void> {
  expect(await storedItems(t)).toBe(1);
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
