/**
 * Export and import benchmark (issue 17 item 4): synthetic artifacts seeded through the store's
 * projection path (a registration with a short README, and a rename on every other one, so
 * streams have more than one event), exported to NDJSON, then imported into a fresh table and
 * bucket on the same dynalite process, with projections, URL claims and users rebuilt. Prints
 * seconds and items/s for each, and the file's size.
 *
 *   npm run bench:export            10,000 artifacts
 *   npm run bench:export -- --smoke 200 artifacts (CI)
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRegistry, type Registry } from '../src/registry.js';
import type { ArtifactType } from '../src/domain/artifact-type.js';
import type { ArtifactEvent } from '../src/domain/artifact-events.js';
import type { ArtifactName } from '../src/domain/artifact-name.js';
import { applyEvent } from '../src/domain/artifact-state.js';
import { SYSTEM_ACTOR } from '../src/domain/ids.js';
import { exportRegistry } from '../src/application/registry-export.js';
import { importRegistry } from '../src/application/registry-import.js';
import { SILENT_PROGRESS } from '../src/application/progress.js';
import { lineProgress } from '../src/server/terminal-progress.js';
import { seedArtifact } from '../test/support/seed-readme.js';
import { benchSize, mapConcurrent, runBench, sized, startDynaliteProcess, startS3rverProcess, type Figure } from './support.js';

const SIZE = benchSize();
const ARTIFACTS = sized(SIZE, { smoke: 200, full: 10_000 });
const SEED_CONCURRENCY = 16;
const TYPES: ArtifactType[] = ['MODEL', 'MODEL', 'DATASET', 'CODE'];
const README = 'A synthetic model card. '.repeat(40);

async function open(name: string, dynamodbEndpoint: string, s3Endpoint: string): Promise<Registry> {
  return createRegistry({ region: 'us-east-1', tableName: name, bucketName: name, dynamodbEndpoint, s3Endpoint, emulated: true }, {});
}

async function main(): Promise<Figure[]> {
  console.log(`bench:export ${SIZE === 'smoke' ? '--smoke ' : ''}: ${ARTIFACTS} artifacts, half of them renamed once`);
  const dynamo = await startDynaliteProcess();
  const s3 = await startS3rverProcess();
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-export-'));
  const source = await open('bench-export-source', dynamo.endpoint, s3.endpoint);
  const target = await open('bench-export-target', dynamo.endpoint, s3.endpoint);
  try {
    const { store } = source.scope(0);
    const seedStart = performance.now();
    let clock = Date.now() - ARTIFACTS * 1_000;
    await mapConcurrent(Array.from({ length: ARTIFACTS }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
      const state = await seedArtifact(store, { type: TYPES[i % TYPES.length]!, name: `artifact-${i}`, readme: README }, new Date((clock += 1_000)));
      if (i % 2 === 1) return;
      const rename: ArtifactEvent = { type: 'ArtifactUpdated', artifactId: state.id, version: 2, at: new Date(clock).toISOString(), actor: SYSTEM_ACTOR, payload: { name: `renamed-${i}` as ArtifactName } };
      if ((await store.events.append(rename)) !== 'appended') throw new Error(`rename of ${state.id} lost a race`);
      await store.project(applyEvent(state, rename), [rename]);
    });
    console.log(`seeded through the store in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const file = path.join(dir, 'registry.ndjson');
    const exportStart = performance.now();
    // Nothing else writes to the seeded table: no settling wait.
    const exported = await exportRegistry(source, file, { settleMs: 0, progress: SILENT_PROGRESS });
    const exportSeconds = (performance.now() - exportStart) / 1000;
    const bytes = (await stat(file)).size;
    console.log(`export: ${exported.items} items, ${(bytes / 1e6).toFixed(1)} MB in ${exportSeconds.toFixed(1)} s (${Math.round(exported.items / exportSeconds)} items/s)`);

    const importStart = performance.now();
    const imported = await importRegistry(target, file, { progress: lineProgress((line) => console.log(`  ${line}`)) });
    const importSeconds = (performance.now() - importStart) / 1000;
    console.log(
      `import: ${imported.written} items written, ${imported.artifacts} projections and ${imported.users} users rebuilt, ${imported.claims} URLs claimed ` +
        `in ${importSeconds.toFixed(1)} s (${Math.round(imported.written / importSeconds)} items/s)`,
    );
    if (imported.artifacts !== ARTIFACTS || imported.written !== exported.items) throw new Error('the import did not carry every item');

    const rerunStart = performance.now();
    const rerun = await importRegistry(target, file, { progress: SILENT_PROGRESS });
    const rerunSeconds = (performance.now() - rerunStart) / 1000;
    console.log(`rerun of the same import: ${rerun.written} written, ${rerun.skipped} already present in ${rerunSeconds.toFixed(1)} s`);

    return [
      { measure: `export of ${ARTIFACTS} artifacts (${exported.items} items)`, goal: 'tracked', value: `${exportSeconds.toFixed(1)} s, ${Math.round(exported.items / exportSeconds)} items/s` },
      { measure: `import of ${ARTIFACTS} artifacts, with rebuild`, goal: 'tracked', value: `${importSeconds.toFixed(1)} s, ${Math.round(imported.written / importSeconds)} items/s` },
      { measure: 'import rerun (every item present)', goal: 'writes nothing', value: `${rerun.written} written, ${rerunSeconds.toFixed(1)} s`, met: rerun.written === 0 },
    ];
  } finally {
    source.destroy();
    target.destroy();
    dynamo.child.kill();
    s3.child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

await runBench('bench:export', main);
