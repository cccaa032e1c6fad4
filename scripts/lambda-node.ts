/**
 * Runs a command on the Node.js major version the Lambda function deploys to (serverless.yml's
 * `runtime: nodejs<major>.x`), whatever Node runs npm here: the machine may have an older one.
 * The binary comes from the npm registry (the `node-<platform>-<arch>` package the `node` package
 * itself installs; no install script), cached under node_modules/.cache, and goes first on PATH so
 * every process the command spawns (tsx, test children, npm start) runs on it too.
 *
 *   tsx scripts/lambda-node.ts <command> [args...]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export function lambdaNodeMajor(serverlessYml: string): number {
  const match = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(serverlessYml);
  if (!match) throw new Error('serverless.yml declares no nodejs<major>.x runtime');
  return Number(match[1]);
}

/** The bin folder of a Node `major` for this platform, installed from the npm registry when missing. */
function ensureNode(major: number): string {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const dir = path.join(root, 'node_modules', '.cache', `lambda-node-${major}`);
  const bin = path.join(dir, 'node_modules', pkg, 'bin');
  const installed = existsSync(path.join(bin, 'node')) && spawnSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout.startsWith(`v${major}.`);
  if (!installed) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, description: `Node ${major} for tests on the Lambda runtime` }));
    const npm = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${major}`], { cwd: dir, stdio: 'inherit' });
    if (npm.status !== 0) throw new Error(`npm could not install ${pkg}@${major}`);
  }
  return bin;
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx scripts/lambda-node.ts <command> [args...]');
  process.exit(2);
}
const major = lambdaNodeMajor(readFileSync(path.join(root, 'serverless.yml'), 'utf8'));
const bin = ensureNode(major);
const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` };
const version = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
console.log(`lambda-node: running "${[command, ...args].join(' ')}" on Node ${version} (serverless.yml: nodejs${major}.x)`);
const child = spawn(command, args, { env, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
