import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { startRegistryProcess, stopRegistryProcess, type StartedRegistry } from '../support/child-registry.js';
import { startReplayServers, type ReplayServers } from '../support/replay-server.js';

/**
 * The README's examples, run as written: its shell blocks in order, in one bash, against `npm start`
 * (the Hub and GitHub replayed from the recordings), so the documentation cannot rot unnoticed.
 * The one liberty taken: localhost:4000 becomes the port the server got.
 */
const SHELL_SECTIONS = ['Authentication', 'Examples', 'Files', 'REST API'];

function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function codeBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map((match) => match[1]!);
}

let readme: string;
let workDir: string;
let dataDir: string;
let upstream: ReplayServers;
let server: StartedRegistry | undefined;

beforeAll(async () => {
  readme = await readFile('README.md', 'utf8');
  workDir = await mkdtemp(path.join(tmpdir(), 'registry-readme-'));
  dataDir = path.join(workDir, '.data');
  upstream = await startReplayServers();
  server = await startRegistryProcess({ DATA_DIR: dataDir, HF_ENDPOINT: upstream.hfEndpoint, GITHUB_API_URL: upstream.githubApiUrl });
}, 300_000);

afterAll(async () => {
  if (server) await stopRegistryProcess(server);
  await upstream?.close();
  await rm(workDir, { recursive: true, force: true });
});

function bash(script: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('README', () => {
  it('runs the Authentication, Examples, Files and REST API shell blocks as written, in order, without an error', { timeout: 300_000 }, async () => {
    const blocks = SHELL_SECTIONS.flatMap((title) => codeBlocks(section(readme, title), 'sh'));
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const origin = new URL(server!.url).host;
    const script = ['set -euo pipefail', ...blocks.map((block) => block.replaceAll('localhost:4000', origin))].join('\n');
    const { code, stdout, stderr } = await bash(script, workDir);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    // curl -s succeeds on any HTTP answer: the GraphQL answers themselves must carry no error.
    expect(stdout).not.toContain('"errors"');
    expect(stdout).toContain('"name":"bert-base-uncased"');
    expect(stdout).toContain('"netScore":{"value":');
    expect(stdout).toContain('"username":"ci-bot"');
    expect(stdout).toContain('"completeUpload":{"file":{"path":"config.json"');
    expect(stdout).toContain('same bytes');
    expect(stdout).toContain('"uploadFile":{"file":{"path":"README.md"');
    // The REST block: the URL echoed as sent, a rating in the contract's shape, an empty registry after the reset.
    expect(stdout).toContain('"data":{"url":"https://github.com/PyGithub/PyGithub.git"');
    expect(stdout).toContain('"net_score":');
    expect(stdout).toContain('"plannedTracks":');
    expect(stdout.trimEnd().endsWith('[]')).toBe(true);
    expect(upstream.unknown).toEqual([]);
  });

  it('every GraphiQL example is a valid document for the schema', () => {
    const examples = codeBlocks(section(readme, 'Examples'), 'graphql').flatMap((block) => block.split(/\n\s*\n/));
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) expect(validate(schema, parse(example)).map((e) => e.message), example).toEqual([]);
  });

  it('the configuration table is one table', () => {
    const lines = section(readme, 'Configuration').split('\n');
    const first = lines.findIndex((line) => line.startsWith('| variable |'));
    const rows = lines.slice(first).findIndex((line) => !line.startsWith('|'));
    const table = lines.slice(first, first + rows);
    expect(table.join('\n')).toContain('`MAX_UPLOAD_BYTES`');
    expect(table.join('\n')).toContain('`HOST`');
    for (const row of table) expect(row.split(/(?<!\\)\|/).length, row).toBe(5);
  });
});
