import type { Registry } from '../registry.js';
import { urlKeyOf } from '../domain/artifact-url.js';
import { removeIndexPhantoms } from '../store/index-phantoms.js';
import { rebuildProjections } from './rebuild-projections.js';
import type { RegistryStore } from './registry-store.js';

export interface RepairReport {
  readonly streams: number;
  /** Projections missing or behind their stream, written from the events. */
  readonly projectionsRepaired: number;
  /** Index entries with no matching base item (dynalite only), removed. */
  readonly phantomsRemoved: number;
  /** URL claims whose artifact does not hold the URL (its writer died before committing), released. */
  readonly claimsReleased: number;
}

export const describeRepair = (report: RepairReport): string =>
  `repair: ${report.streams} streams checked, ${report.projectionsRepaired} projections rebuilt, ` +
  `${report.phantomsRemoved} phantom index entries removed, ${report.claimsReleased} dead URL claims released`;

/**
 * Brings storage back to what the committed events say after a process died mid-command: first
 * projections (so the next two steps judge against true state), then index phantoms, then claims.
 * Claims are released without waiting for them to go stale, so this must run before anything
 * serves: a young claim could otherwise belong to a command still in flight.
 */
export async function repairStorage(registry: Registry, log: (line: string) => void): Promise<RepairReport> {
  const { store } = await registry.currentScope();
  const rebuilt = await rebuildProjections(store, 8, (streams) => log(`repair: ${streams} streams refolded so far`));
  const phantoms = await removeIndexPhantoms(registry.dynamo.doc, registry.config.tableName);
  for (const phantom of phantoms) log(`repair: removed phantom ${phantom.index} entry of ${phantom.key.pk}`);
  const claimsReleased = await releaseDeadClaims(store, log);
  return { streams: rebuilt.streams, projectionsRepaired: rebuilt.repaired, phantomsRemoved: phantoms.length, claimsReleased };
}

/** A claim is live when its artifact's projection (now rebuilt) is live at that URL. */
async function releaseDeadClaims(store: RegistryStore, log: (line: string) => void): Promise<number> {
  let released = 0;
  for await (const claims of store.claims.all()) {
    const holders = await store.projections.getMany(claims.map((claim) => claim.artifactId));
    for (const [i, claim] of claims.entries()) {
      const holder = holders[i];
      if (holder && !holder.deleted && urlKeyOf(holder.url) === claim.key) continue;
      if (await store.claims.releaseIfUnchanged(claim)) {
        released += 1;
        log(`repair: released URL claim ${claim.key} (held by ${claim.artifactId}, which does not hold it)`);
      }
    }
  }
  return released;
}
