import { rebuildProjections } from './application/rebuild-projections.js';
import { configOrExit, openRegistry } from './server/bootstrap.js';

/**
 * `npm run registry -- <command>`. Commands:
 *   rebuild-projections   refold every artifact's current state from its events
 * In embedded mode it opens DATA_DIR itself, so stop `npm start` first (LevelDB allows one process).
 */
const COMMANDS = ['rebuild-projections'] as const;

const command = process.argv[2];
if (!command || !(COMMANDS as readonly string[]).includes(command)) {
  console.error(`usage: registry <${COMMANDS.join('|')}>`);
  process.exit(2);
}
const opened = await openRegistry(configOrExit(process.env));
try {
  const report = await rebuildProjections((await opened.registry.currentScope()).store);
  console.log(`rebuild-projections: ${report.streams} streams read, ${report.repaired} projections repaired`);
} finally {
  await opened.close();
}
