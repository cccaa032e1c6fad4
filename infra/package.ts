/**
 * `npm run package [-- --stage prod] [-- --package DIR]`: builds the deployable artifact offline
 * and checks it. Runs `osls package` (whose build plugin bundles the handler first), then the
 * template checks of infra/template-checks.ts on the generated CloudFormation template. Needs no
 * AWS credentials and no network: nothing in serverless.yml is resolved through AWS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './build-lambda.js';
import { checkTemplate, type CfnTemplate } from './template-checks.js';

export const OSLS_BIN = createRequire(import.meta.url).resolve('osls/bin/serverless.js');

export interface PackageResult {
  readonly stage: string;
  readonly directory: string;
  readonly template: CfnTemplate;
  readonly problems: readonly string[];
}

/** The value of `--name VALUE` or `--name=VALUE` (or `-s` for the stage), if given. */
function option(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (names.includes(arg)) return args[i + 1];
    const prefix = names.find((name) => arg.startsWith(`${name}=`));
    if (prefix) return arg.slice(prefix.length + 1);
  }
  return undefined;
}

export interface PackageOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Capture osls's output (shown only when it fails) instead of printing it. */
  readonly quiet?: boolean;
}

export function packageService(args: readonly string[], options: PackageOptions = {}): PackageResult {
  const run = spawnSync(process.execPath, [OSLS_BIN, 'package', ...args], {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    throw new Error(`osls package ${args.join(' ')} exited with ${run.status ?? run.signal}${options.quiet ? `:\n${run.stdout}${run.stderr}` : ''}`);
  }
  const directory = path.resolve(REPO_ROOT, option(args, ['--package', '-p']) ?? '.serverless');
  const template = JSON.parse(readFileSync(path.join(directory, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  // The stage osls resolved (from --stage, or serverless.yml's default), not a guess from args.
  const state = JSON.parse(readFileSync(path.join(directory, 'serverless-state.json'), 'utf8')) as { service: { provider: { stage: string } } };
  const stage = state.service.provider.stage;
  return { stage, directory, template, problems: checkTemplate(template, { stage }) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(REPO_ROOT, 'infra/package.ts')) {
  const result = packageService(process.argv.slice(2));
  if (result.problems.length > 0) {
    console.error(`template check failed for stage ${result.stage}:`);
    for (const problem of result.problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  console.log(`template checks passed for stage ${result.stage}: ${path.relative(REPO_ROOT, result.directory)}/`);
}
