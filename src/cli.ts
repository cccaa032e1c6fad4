import { parseArgs } from 'node:util';
import type { OpenRegistry } from './server/bootstrap.js';

/**
 * `npm run registry -- <command>`. In embedded mode a command opens DATA_DIR itself, or, while
 * `npm start` holds that directory (LevelDB allows one process), uses the server's embedded stores.
 */
interface Command {
  readonly name: string;
  readonly summary: string;
  /** Extra usage lines (arguments), shown under the summary. */
  readonly usage?: string;
  /** Checks the arguments before the registry opens: a mistake is a usage error, not a storage start. */
  parse?(args: readonly string[]): Record<string, string | undefined>;
  run(opened: OpenRegistry, args: Record<string, string | undefined>): Promise<void>;
}

/** A usage mistake: printed with the usage text, exit code 2. */
class UsageError extends Error {}

function parseOptions(args: readonly string[], options: Record<string, { type: 'string' }>, positional: number): { values: Record<string, string | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...args], options, allowPositionals: positional > 0, strict: true });
    if (parsed.positionals.length !== positional) throw new UsageError(`expected ${positional} file argument${positional === 1 ? '' : 's'}, got ${parsed.positionals.length}`);
    return { values: parsed.values as Record<string, string | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(error instanceof Error ? error.message : String(error));
  }
}

const COMMANDS: readonly Command[] = [
  {
    name: 'rebuild-projections',
    summary: "Refold every artifact's current state from its events; never overwrites a newer projection, so it is safe on a live table.",
    async run(opened) {
      const { rebuildProjections } = await import('./application/rebuild-projections.js');
      const report = await rebuildProjections((await opened.registry.currentScope()).store);
      console.log(`rebuild-projections: ${report.streams} streams read, ${report.repaired} projections repaired`);
    },
  },
  {
    name: 'search-snapshot',
    summary: "Load the search index from the tables and write its snapshot to the bucket: a cold container's first search then reads one object (see ARCHITECTURE.md, Search).",
    async run(opened) {
      const started = Date.now();
      const { artifacts, validFrom } = await (await opened.registry.currentScope()).search.writeSnapshot();
      console.log(`search-snapshot: ${artifacts} artifacts, valid from ${validFrom.toISOString()}, written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  },
  {
    name: 'export',
    summary: 'Write every stream (artifacts, users with password hashes, aliases, audit records; never tokens) as NDJSON.',
    usage: 'export --out FILE [--with-blobs DIR] [--as-of INSTANT]   DIR receives the referenced S3 objects under their keys; INSTANT (ISO-8601, default now) is the cut',
    parse(args) {
      const { values } = parseOptions(args, { out: { type: 'string' }, 'with-blobs': { type: 'string' }, 'as-of': { type: 'string' } }, 0);
      if (!values['out']) throw new UsageError('export needs --out FILE');
      const asOf = values['as-of'];
      if (asOf !== undefined) {
        const ms = Date.parse(asOf);
        if (Number.isNaN(ms)) throw new UsageError(`--as-of ${asOf} is not an ISO-8601 instant`);
        if (ms > Date.now()) throw new UsageError(`--as-of ${asOf} is in the future`);
      }
      return values;
    },
    async run(opened, args) {
      const { exportRegistry } = await import('./application/registry-export.js');
      const { terminalProgress } = await import('./server/terminal-progress.js');
      const started = Date.now();
      const out = args['out'] ?? '';
      const blobsDir = args['with-blobs'];
      const asOf = args['as-of'];
      const report = await exportRegistry(opened.registry, out, {
        ...(blobsDir !== undefined && { blobsDir }),
        ...(asOf !== undefined && { asOf: new Date(asOf) }),
        // Holding DATA_DIR, this process is the only writer: the cut needs no settling wait.
        ...(opened.embedded && { settleMs: 0 }),
        progress: terminalProgress(),
      });
      const seconds = (Date.now() - started) / 1000;
      console.log(`export: ${report.items} items${blobsDir === undefined ? '' : ` and ${report.blobs} blobs`} as of ${report.asOf} written to ${out} in ${seconds.toFixed(1)} s (export ${report.exportId})`);
    },
  },
  {
    name: 'import',
    summary: 'Load an export into an empty registry and rebuild projections and indexes; a rerun resumes (idempotent).',
    usage: 'import FILE [--blobs DIR]   DIR as written by export --with-blobs',
    parse(args) {
      const { values, positionals } = parseOptions(args, { blobs: { type: 'string' } }, 1);
      return { ...values, file: positionals[0] };
    },
    async run(opened, args) {
      const { importRegistry, ImportRefused } = await import('./application/registry-import.js');
      const { terminalProgress } = await import('./server/terminal-progress.js');
      const started = Date.now();
      const blobsDir = args['blobs'];
      try {
        const report = await importRegistry(opened.registry, args['file'] ?? '', { ...(blobsDir !== undefined && { blobsDir }), progress: terminalProgress() });
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `import: ${report.written} items written, ${report.skipped} already present, ${report.blobsWritten} blobs written; ` +
            `${report.artifacts} artifacts and ${report.users} users rebuilt, ${report.claims} URLs claimed in ${seconds.toFixed(1)} s`,
        );
      } catch (error) {
        if (!(error instanceof ImportRefused)) throw error;
        console.error(`import: ${error.message}`);
        process.exitCode = 1;
      }
    },
  },
];

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'help'.length) + 2;
  return [
    'usage: npm run registry -- <command>',
    '',
    'commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.name.padEnd(width)}${c.summary}`, ...(c.usage ? [`  ${''.padEnd(width)}usage: ${c.usage}`] : [])]),
    `  ${'help'.padEnd(width)}Show this list (also --help, -h).`,
    '',
    'Configuration comes from the environment, as for npm start (STORAGE, DATA_DIR, TABLE_NAME, ...; see README, "Configuration").',
    'With embedded storage, a command run while npm start serves DATA_DIR uses the server\'s storage.',
  ].join('\n');
}

const name = process.argv[2];
if (name !== undefined && HELP_FLAGS.has(name)) {
  console.log(usage());
  process.exit(0);
}
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  console.error(name === undefined ? 'registry: no command given' : `registry: unknown command '${name}'`);
  console.error(usage());
  process.exit(2);
}
let args: Record<string, string | undefined> = {};
try {
  args = command.parse ? command.parse(process.argv.slice(3)) : parseOptions(process.argv.slice(3), {}, 0).values;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`registry ${command.name}: ${error.message}`);
  console.error(usage());
  process.exit(2);
}
// Loaded only now: the storage and AWS SDK modules take a second or two, which --help need not wait for.
const { configOrExit, openRegistry, serverStopped, storageUnreachable } = await import('./server/bootstrap.js');
const { exitWithFailure } = await import('./server/startup-failure.js');
const result = await openRegistry(configOrExit(process.env), 'command');
const opened = result.ok ? result.value : exitWithFailure(result.error);
const attached = opened.attached;
// On stderr, as progress is: stdout carries only the command's report.
if (attached) console.error(`registry: npm start (pid ${attached.pid}) is serving DATA_DIR; using its storage (${attached.engine} at ${attached.dynamodbEndpoint}, s3rver at ${attached.s3Endpoint})`);
try {
  await command.run(opened, args);
} catch (error) {
  // The server stopped under the command: the operator's doing, not a bug.
  if (attached && storageUnreachable(error)) exitWithFailure(serverStopped(attached.pid));
  throw error;
} finally {
  await opened.close();
}
