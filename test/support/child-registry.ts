import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** `npm start` and `npm run registry` as a user runs them: the real entry points in child processes. */
const TSX = path.resolve('node_modules/.bin/tsx');

export interface StartedRegistry {
  readonly child: ChildProcess;
  /** The registry's own process: tsx runs it as a child of the one spawned here. */
  readonly pid: number;
  readonly url: string;
  readonly output: () => string;
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

/** Starts src/main.ts on a random port and resolves once it announces GraphiQL. */
export function startRegistryProcess(env: Record<string, string>): Promise<StartedRegistry> {
  const child = spawn(TSX, ['src/main.ts'], { env: { ...process.env, PORT: '0', STORAGE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /registry ready \(pid (\d+)\): GraphiQL at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, pid: Number(match[1]), url: match[2]!, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}

/**
 * Signals the registry itself, as Ctrl-C in a terminal does, and resolves with the exit code. Not
 * through tsx: it relays a signal only if the child acknowledges it within 30 ms, else it kills the
 * child and exits with 130, which on a busy machine turns a clean shutdown into a SIGKILL.
 */
export function stopRegistryProcess(started: StartedRegistry, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolve(code));
    process.kill(started.pid, signal);
  });
}

/**
 * Runs an entry point (src/main.ts, src/cli.ts) to its exit; `env` replaces variables, undefined
 * removes them. `onOutput` sees stdout and stderr as they arrive (to act at a point of the run).
 */
export function runEntryPoint(entry: string, args: readonly string[], env: Record<string, string | undefined>, onOutput?: (output: string) => void): Promise<Finished> {
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) merged[name] = value;
  const child = spawn(TSX, [entry, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), (output += c.toString()), onOutput?.(output)));
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), (output += c.toString()), onOutput?.(output)));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, output })));
}

/** A registry started as node with tsx's loader (no tsx wrapper process), so a SIGKILL hits the server itself. */
export interface ServerChild {
  readonly process: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

export function startServerChild(env: Record<string, string>): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: '0', STORAGE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /GraphiQL at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ process: child, url: match[1]!.replace('localhost', '127.0.0.1'), output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`exited with ${code ?? signal} before ready:\n${output}`)));
  });
}
