import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEntryPoint, startRegistryProcess, stopRegistryProcess, type StartedRegistry } from '../support/child-registry.js';
import { defaultAdminToken, postGraphQL, postMultipart } from '../support/registry-harness.js';
import { BY_URL, INGEST, type ArtifactView } from '../support/operations.js';
import { LOCK_FILE_NAME } from '../../src/server/data-dir-lock.js';
import { SHARED_STORAGE_FILE } from '../../src/server/shared-storage.js';

/**
 * `npm run registry -- <command>` while `npm start` serves the same DATA_DIR (issue 17, item 5):
 * the command uses the server's embedded stores, so an export sees what the server committed and
 * an import is served at once, search included. Real processes; each costs seconds of CPU.
 */
const TIMEOUT_MS = 300_000;
const UPLOAD = 'mutation($input: UploadFileInput!) { uploadFile(input: $input) { file { path sha256 } } }';
const FILE = 'query($url: String!) { artifactByUrl(url: $url) { id name files { path sha256 downloadUrl } } }';
const SEARCH = 'query($regex: String!) { searchArtifacts(regex: $regex) { indexed edges { node { id name } } } }';

let root: string;
let source: StartedRegistry | undefined;
let target: StartedRegistry | undefined;
const cli = (args: readonly string[], dataDir: string) => runEntryPoint('src/cli.ts', args, { STORAGE: undefined, DATA_DIR: dataDir });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'registry-cli-beside-'));
});
afterAll(async () => {
  for (const server of [source, target]) if (server && server.child.exitCode === null) await stopRegistryProcess(server);
  await rm(root, { recursive: true, force: true });
});

describe('a CLI command while npm start serves DATA_DIR', { timeout: TIMEOUT_MS }, () => {
  const bytes = Buffer.from('weights beside a running server\n');
  const urls = ['https://gitlab.com/beside/alpha-tool', 'https://gitlab.com/beside/beta-tool'];

  it('exports what the running server committed, blobs included, and leaves the server serving', async () => {
    const dataDir = path.join(root, 'source');
    source = await startRegistryProcess({ DATA_DIR: dataDir });
    const token = await defaultAdminToken(source.url);
    for (const url of urls) {
      const ingested = await postGraphQL<{ ingestArtifact: { artifact: ArtifactView } }>(source.url, INGEST, { input: { type: 'CODE', url } }, token);
      expect(ingested.errors).toBeUndefined();
    }
    const owner = await postGraphQL<{ artifactByUrl: ArtifactView }>(source.url, BY_URL, { url: urls[0] }, token);
    const uploaded = await postMultipart(source.url, UPLOAD, { input: { artifactId: owner.data!.artifactByUrl.id, path: 'weights.bin', file: null } }, { 'input.file': bytes }, token);
    expect(uploaded.errors).toBeUndefined();

    const file = path.join(root, 'registry.ndjson');
    const exported = await cli(['export', '--out', file, '--with-blobs', path.join(root, 'blobs')], dataDir);
    expect(exported.code, exported.output).toBe(0);
    expect(exported.stderr).toContain(`npm start (pid ${source.pid}) is serving DATA_DIR; using its storage`);
    expect(exported.stdout).toMatch(/^export: \d+ items and 1 blobs as of \S+ written to /m);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    for (const url of urls) expect(lines.some((line) => line.includes(url)), url).toBe(true);

    // The command left the server's lock and shared stores in place, and the server answers.
    expect(await readFile(path.join(dataDir, LOCK_FILE_NAME), 'utf8')).toBe(`${source.pid}\n`);
    await access(path.join(dataDir, SHARED_STORAGE_FILE));
    const after = await postGraphQL<{ artifactByUrl: ArtifactView }>(source.url, BY_URL, { url: urls[1] }, token);
    expect(after.data?.artifactByUrl.url).toBe(urls[1]);

    const rebuilt = await cli(['rebuild-projections'], dataDir);
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuild-projections: 2 streams read, 0 projections repaired$/m);
  });

  it('imports into a running empty registry, which serves the import at once (search and downloads included)', async () => {
    const dataDir = path.join(root, 'target');
    target = await startRegistryProcess({ DATA_DIR: dataDir });
    // The server's search index is loaded before the import: it must catch up, not answer stale.
    const before = await postGraphQL<{ searchArtifacts: { indexed: number } }>(target.url, SEARCH, { regex: 'tool' }, await defaultAdminToken(target.url));
    expect(before.data?.searchArtifacts.indexed).toBe(0);

    const imported = await cli(['import', path.join(root, 'registry.ndjson'), '--blobs', path.join(root, 'blobs')], dataDir);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.stderr).toContain(`npm start (pid ${target.pid}) is serving DATA_DIR`);
    expect(imported.stdout).toMatch(/1 blobs written; 2 artifacts and 1 users rebuilt, 2 URLs claimed/);

    // The exported administrator (same default password) replaced the server's untouched one.
    const token = await defaultAdminToken(target.url);
    const found = await postGraphQL<{ searchArtifacts: { indexed: number; edges: { node: { name: string } }[] } }>(target.url, SEARCH, { regex: '-tool$' }, token);
    expect(found.data?.searchArtifacts.indexed).toBe(2);
    expect(found.data?.searchArtifacts.edges.map((edge) => edge.node.name).sort()).toEqual(['alpha-tool', 'beta-tool']);
    const withFile = await postGraphQL<{ artifactByUrl: { files: { path: string; sha256: string; downloadUrl: string }[] } }>(target.url, FILE, { url: urls[0] }, token);
    const [stored] = withFile.data!.artifactByUrl.files;
    expect(stored?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const download = await fetch(stored!.downloadUrl);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it('a server killed during a command ends the command with one line, and the next start repairs', async () => {
    const dataDir = path.join(root, 'killed');
    const doomed = await startRegistryProcess({ DATA_DIR: dataDir });
    let killed = false;
    // An export beside a server waits 5 s past its cut before scanning: the kill lands in that wait.
    const exported = await runEntryPoint('src/cli.ts', ['export', '--out', path.join(root, 'never.ndjson')], { STORAGE: undefined, DATA_DIR: dataDir }, (output) => {
      if (!killed && output.includes('using its storage')) {
        killed = true;
        process.kill(doomed.pid, 'SIGKILL');
      }
    });
    expect(exported.code, exported.output).toBe(1);
    expect(exported.output).not.toMatch(/^\s+at /m);
    expect(exported.stderr).toContain(`error: the registry process (pid ${doomed.pid}) whose storage this command uses stopped answering; run the command again`);
    // The dead server's lock and endpoints file are stale: the next command holds DATA_DIR itself.
    const rebuilt = await cli(['rebuild-projections'], dataDir);
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stderr).not.toContain('using its storage');
    expect(rebuilt.stdout).toContain('no clean-shutdown marker');
    await expect(access(path.join(dataDir, SHARED_STORAGE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('once the server stops, the next command opens DATA_DIR itself', async () => {
    expect(await stopRegistryProcess(target!)).toBe(0);
    const dataDir = path.join(root, 'target');
    await expect(access(path.join(dataDir, SHARED_STORAGE_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    const rebuilt = await cli(['rebuild-projections'], dataDir);
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stderr).not.toContain('using its storage');
    expect(rebuilt.stdout).toMatch(/^rebuild-projections: 2 streams read, 0 projections repaired$/m);
  });
});
