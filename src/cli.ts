import type { OpenRegistry } from './server/bootstrap.js';

/**
 * `npm run registry -- <command>`. In embedded mode a command opens DATA_DIR itself, so it refuses
 * to run while `npm start` holds that directory (LevelDB allows one process).
 */
interface Command {
  readonly name: string;
  readonly summary: string;
  run(opened: OpenRegistry): Promise<void>;
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
];

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 'help'.length) + 2;
  return [
    'usage: npm run registry -- <command>',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}Show this list (also --help, -h).`,
    '',
    'Configuration comes from the environment, as for npm start (STORAGE, DATA_DIR, TABLE_NAME, ...; see README, "Configuration").',
    'With embedded storage, stop npm start first: one process at a time may use DATA_DIR.',
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
// Loaded only now: the storage and AWS SDK modules take a second or two, which --help need not wait for.
const { configOrExit, openRegistry } = await import('./server/bootstrap.js');
const { exitWithFailure } = await import('./server/startup-failure.js');
const result = await openRegistry(configOrExit(process.env));
const opened = result.ok ? result.value : exitWithFailure(result.error);
try {
  await command.run(opened);
} finally {
  await opened.close();
}
