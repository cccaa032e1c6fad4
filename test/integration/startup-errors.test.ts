import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { access, chmod, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_STORAGE_FILE } from '../../src/server/shared-storage.js';
import { runEntryPoint, startRegistryProcess, stopRegistryProcess, type Finished, type StartedRegistry } from '../support/child-registry.js';

/**
 * Start-up and CLI mistakes, each in a fresh child process as a user would make them: exit code 1,
 * one `error:` line naming the problem and the fix, and no stack trace.
 */
let root: string;
let lockedDir: string;
let server: StartedRegistry;
let serverPid: number;
let stalePid: number;

/** A pid that just exited, so nothing runs under it (for a stale lock). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

/** An existing directory this user cannot write: chmod works unless we are root, whom /sys refuses too. */
async function unwritableDir(): Promise<string | undefined> {
  const dir = await mkdtemp(path.join(root, 'readonly-'));
  await chmod(dir, 0o500);
  const writable = await access(dir, constants.W_OK).then(() => true, () => false);
  if (!writable) return dir;
  const sys = '/sys/kernel';
  const sysWritable = await writeFile(path.join(sys, 'registry.lock'), '', { flag: 'wx' }).then(() => true, () => false);
  return sysWritable ? undefined : sys;
}

/** A loopback port that was free a moment ago: nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the mistakes that need no running server a few at a time: each child costs a second or two of CPU. */
async function inPool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const start = (env: Record<string, string | undefined>) => runEntryPoint('src/main.ts', [], { PORT: '0', STORAGE: undefined, ...env });
const cli = (args: readonly string[], env: Record<string, string | undefined> = {}) => runEntryPoint('src/cli.ts', args, { STORAGE: undefined, ...env });

/** The one-line contract: exit 1, exactly one `error:` line, and no stack frames anywhere. */
function expectOneLineFailure(result: Finished, ...fragments: string[]): string {
  expect(result.code, result.output).toBe(1);
  expect(result.output).not.toMatch(/^\s+at /m);
  const lines = result.stderr.split('\n').filter((line) => /^(error|configuration error): /.test(line));
  expect(lines, result.output).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  return lines[0]!;
}

const cases: Record<string, () => Promise<Finished>> = {
  dataDirIsFile: async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a directory');
    return start({ DATA_DIR: file });
  },
  dataDirUnderFile: () => start({ DATA_DIR: path.join(root, 'a-file', 'data') }),
  portOutOfRange: () => start({ DATA_DIR: path.join(root, 'port'), PORT: '99999' }),
  hostUnresolvable: () => start({ DATA_DIR: path.join(root, 'host'), HOST: 'no-such-host.invalid' }),
  awsWithoutCredentials: () =>
    start({
      STORAGE: 'aws',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'no-credentials'),
      AWS_CONFIG_FILE: path.join(root, 'no-config'),
      // Off EC2 the metadata lookup only times out; skipping it keeps the test quick.
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
  // This test process is alive and holds the lock in both: it is no registry, so it shares nothing.
  cliBesideUnsharedHolder: async () => {
    const dir = path.join(root, 'held');
    await mkdir(dir);
    await writeFile(path.join(dir, 'registry.lock'), `${process.pid}\n`);
    return cli(['rebuild-projections'], { DATA_DIR: dir });
  },
  // ... or it claims stores on a port nothing listens on: a server killed a moment ago.
  cliBesideStoppedServer: async () => {
    const dir = path.join(root, 'stopped');
    await mkdir(dir);
    await writeFile(path.join(dir, 'registry.lock'), `${process.pid}\n`);
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    await writeFile(path.join(dir, SHARED_STORAGE_FILE), JSON.stringify({ format: 1, pid: process.pid, engine: 'dynalite', dynamodbEndpoint: endpoint, s3Endpoint: endpoint }));
    return cli(['rebuild-projections'], { DATA_DIR: dir });
  },
  cliHelp: () => cli(['--help']),
  cliUnknown: () => cli(['rebuild-everything']),
  cliNone: () => cli([]),
};
let results: Record<string, Finished>;

/** Spawning tsx costs seconds of CPU per process, and much more on a busy machine: generous bounds only. */
const SPAWN_TIMEOUT_MS = 300_000;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'registry-startup-'));
  lockedDir = path.join(root, 'locked');
  // A lock left by a process that died: the server takes it over.
  await mkdir(lockedDir);
  stalePid = deadPid();
  await writeFile(path.join(lockedDir, 'registry.lock'), `${stalePid}\n`);
  const names = Object.keys(cases);
  const serverStarted = startRegistryProcess({ DATA_DIR: lockedDir }).then((started) => (server = started));
  const finished = await inPool(names.map((name) => cases[name]!), 2);
  results = Object.fromEntries(names.map((name, i) => [name, finished[i]!]));
  serverPid = (await serverStarted).pid;
}, SPAWN_TIMEOUT_MS);

afterAll(async () => {
  if (server && server.child.exitCode === null) await stopRegistryProcess(server);
  await chmod(root, 0o700).catch(() => {});
  await rm(root, { recursive: true, force: true });
});

describe('a second process on the same DATA_DIR', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('the running server took over the stale lock and holds it with its pid', async () => {
    expect(serverPid).not.toBe(stalePid);
    expect(await readFile(path.join(lockedDir, 'registry.lock'), 'utf8')).toBe(`${serverPid}\n`);
  });

  it('npm start is refused naming the pid, the directory and the fix', async () => {
    const second = await start({ DATA_DIR: lockedDir });
    expectOneLineFailure(second, `another registry process (pid ${serverPid}) is using DATA_DIR=${lockedDir}`, 'stop it first');
    // The refused process left the lock alone.
    expect(await readFile(path.join(lockedDir, 'registry.lock'), 'utf8')).toBe(`${serverPid}\n`);
  });

  it('a CLI command uses the running server\'s storage instead (test/integration/cli-beside-server.test.ts has more)', async () => {
    const rebuilt = await cli(['rebuild-projections'], { DATA_DIR: lockedDir });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stderr).toContain(`npm start (pid ${serverPid}) is serving DATA_DIR; using its storage`);
    expect(await readFile(path.join(lockedDir, 'registry.lock'), 'utf8')).toBe(`${serverPid}\n`);
  });

  it('a CLI command beside a live holder that shares no storage, or whose storage is gone, fails in one line', () => {
    expectOneLineFailure(results['cliBesideUnsharedHolder']!, `another registry process (pid ${process.pid})`, 'does not share its storage', 'wait for it to finish');
    expectOneLineFailure(results['cliBesideStoppedServer']!, `the registry process (pid ${process.pid}) whose storage this command uses stopped answering`, 'run the command again');
  });

  it('a second server on the same port is refused naming the port and the fix', async () => {
    const port = new URL(server.url).port;
    expectOneLineFailure(await start({ DATA_DIR: path.join(root, 'other'), PORT: port }), `port ${port}`, 'already in use', 'set PORT to a free port');
  });

  it('GET / serves the web UI (built by npm ci into ui/dist), and GraphiQL stays at /graphql', async () => {
    const base = new URL('/', server.url);
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(base, { method });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
    const html = await (await fetch(base)).text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).toMatch(/src="\/ui-assets\/index-[\w-]+\.js"/);
    const graphiql = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
  });

  it('a clean shutdown removes the lock, and the CLI then runs', async () => {
    expect(await stopRegistryProcess(server)).toBe(0);
    await expect(access(path.join(lockedDir, 'registry.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
    const rebuilt = await cli(['rebuild-projections'], { DATA_DIR: lockedDir });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(rebuilt.stdout).toContain('rebuild-projections:');
    await expect(access(path.join(lockedDir, 'registry.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('mistakes in the settings', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('a DATA_DIR that is a file, or lies under one, names the directory and the fix', () => {
    expectOneLineFailure(results['dataDirIsFile']!, `DATA_DIR=${path.join(root, 'a-file')} is not a directory`, 'set DATA_DIR to a writable directory');
    expectOneLineFailure(results['dataDirUnderFile']!, 'is not a directory', 'set DATA_DIR to a writable directory');
  });

  it('an unwritable DATA_DIR names the directory and the fix', async () => {
    const dir = await unwritableDir();
    if (dir === undefined) return; // Neither chmod nor /sys refuses this user: nothing to test with.
    expectOneLineFailure(await start({ DATA_DIR: dir }), `DATA_DIR=${dir} is not writable`, 'fix its permissions or set DATA_DIR');
  });

  it('PORT=99999 gives the range', () => {
    expectOneLineFailure(results['portOutOfRange']!, 'PORT', 'from 0 to 65535', '"99999"');
  });

  it('a HOST that does not resolve is named with the choices', () => {
    expectOneLineFailure(results['hostUnresolvable']!, 'HOST=no-such-host.invalid does not resolve', '127.0.0.1', '0.0.0.0');
  });

  it('STORAGE=aws without credentials says which variables or profile to set', () => {
    expectOneLineFailure(results['awsWithoutCredentials']!, 'STORAGE=aws but no AWS credentials', 'AWS_ACCESS_KEY_ID', 'AWS_PROFILE');
  });
});

describe('registry CLI', () => {
  it('--help lists every command with a sentence, on stdout, exit 0', () => {
    const help = results['cliHelp']!;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}rebuild-projections +Refold every artifact's current state from its events[^\n]*\.$/m);
    expect(help.stdout).toMatch(/^ {2}help +Show this list/m);
  });

  it('an unknown command or none names the mistake and lists the commands, exit 2', () => {
    for (const [result, mistake] of [[results['cliUnknown']!, "unknown command 'rebuild-everything'"], [results['cliNone']!, 'no command given']] as const) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(mistake);
      expect(result.stderr).toContain('rebuild-projections');
      expect(result.output).not.toMatch(/^\s+at /m);
    }
  });
});
