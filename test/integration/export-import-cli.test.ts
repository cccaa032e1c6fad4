import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntryPoint } from '../support/child-registry.js';

/**
 * Each run starts a process and its embedded storage (seconds on a loaded machine): generous limits.
 * `npm run registry -- export|import` as an operator runs them: separate processes, each opening
 * its own DATA_DIR with embedded storage. Not a terminal here, so progress comes as plain lines.
 */
let dir: string;
const cli = (args: readonly string[], dataDir: string) => runEntryPoint('src/cli.ts', args, { STORAGE: undefined, DATA_DIR: dataDir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-cli-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('registry export / import', () => {
  it('exports one DATA_DIR, imports it into another, and a rerun writes nothing', async () => {
    const file = join(dir, 'registry.ndjson');
    const exported = await cli(['export', '--out', file], join(dir, 'a'));
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^export: 1 items as of \S+ written to /m);
    expect(exported.stderr).toMatch(/^export items: 1 \(/m);
    // Password hashes are in both: their owner's only (issue 25).
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'a'))).mode & 0o777).toBe(0o700);

    const imported = await cli(['import', file], join(dir, 'b'));
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^import: 1 items written, 0 already present/m);
    expect(imported.stderr).toMatch(/^import items: 1\/1 \(/m);

    const again = await cli(['import', file], join(dir, 'b'));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^import: 0 items written, 1 already present/m);
  }, 240_000);

  it('a usage mistake exits 2 with the usage; a file that is no export exits 1 with one line', async () => {
    const missing = await cli(['export'], join(dir, 'c'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('registry export: export needs --out FILE');
    expect(missing.stderr).toContain('usage: import FILE [--blobs DIR]');

    const bogus = join(dir, 'bogus.ndjson');
    await writeFile(bogus, '{"hello": "world"}\n');
    const refused = await cli(['import', bogus], join(dir, 'c'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`import: ${bogus}: line 1 is not a registry export header`);
    expect(refused.output).not.toMatch(/^\s+at /m);
  }, 240_000);
});
