import type { RegistryStore } from '../../src/application/registry-store.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactState } from '../../src/domain/artifact-state.js';
import type { ArtifactType } from '../../src/domain/artifact-type.js';
import type { ArtifactName } from '../../src/domain/artifact-name.js';
import type { NormalizedUrl } from '../../src/domain/artifact-url.js';
import { newArtifactId, SYSTEM_ACTOR } from '../../src/domain/ids.js';

export interface SeededArtifact {
  readonly type: ArtifactType;
  readonly name: string;
  readonly readme?: string;
}

/**
 * Registers an artifact with a README of the caller's choosing, through the event store and the
 * projection path every command uses (registration event, detail item, projection, search change),
 * without a Hub to read it from. A seeding path for tests and benchmarks only: it claims no URL.
 */
export async function seedArtifact(store: RegistryStore, seed: SeededArtifact, now: Date = new Date()): Promise<ArtifactState> {
  const id = newArtifactId(now.getTime());
  const host = 'seed.example';
  const event: ArtifactEvent = {
    type: 'ArtifactRegistered',
    artifactId: id,
    version: 1,
    at: now.toISOString(),
    actor: SYSTEM_ACTOR,
    payload: {
      artifactType: seed.type,
      name: seed.name as ArtifactName,
      url: `https://${host}/${id.toLowerCase()}` as NormalizedUrl,
      metadata: {
        source: 'other',
        host,
        readme: seed.readme === undefined ? { status: 'absent' } : { status: 'present', length: seed.readme.length, truncated: false },
      },
      ...(seed.readme !== undefined && { readme: seed.readme }),
    },
  };
  // The commit path (feed item, projection, reactions such as the search change), without a command's checks.
  const outcome = await store.stream.commit(undefined, event);
  if (!('committed' in outcome)) throw new Error(`seeding ${seed.name} lost a race`);
  return outcome.committed;
}
