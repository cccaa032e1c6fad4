import type { RegistryStore } from '../../src/application/registry-store.js';
import type { ArtifactEvent } from '../../src/domain/artifact-events.js';
import type { ArtifactState } from '../../src/domain/artifact-state.js';
import { parseArtifactName } from '../../src/domain/artifact-name.js';
import { parseArtifactUrl } from '../../src/domain/artifact-url.js';
import { artifactGlobalId } from '../../src/domain/global-id.js';
import { newArtifactId, SYSTEM_ACTOR } from '../../src/domain/ids.js';
import type { ArtifactView } from './operations.js';

/**
 * A MODEL from a host the registry cannot rate (Kaggle, GitLab, a Space ...), as registries before
 * "every model holds a passing rating" wrote one: registered from its URL alone, with no rating.
 * Ingest refuses such a model now, but stores still hold them, so tests of old data (and listings
 * of more models than the recordings have) seed them here: the URL claimed and the registration
 * committed through the store's own claim, stream and projection code, as ingest did then.
 */
export async function seedUnratedModel(
  store: RegistryStore,
  rawUrl: string,
  options: { readonly name?: string; readonly at?: Date } = {},
): Promise<ArtifactView & { readonly state: ArtifactState }> {
  const url = parseArtifactUrl(rawUrl, 'MODEL');
  if (!url.ok) throw new Error(`not a model URL: ${rawUrl}: ${url.error.message}`);
  // A Hub model was always rated: an unrated one would be data no registry ever wrote.
  if (url.value.source.kind === 'huggingface-model') throw new Error(`${rawUrl} is a Hub model: ingest it instead`);
  const name = parseArtifactName(options.name ?? url.value.derivedName);
  if (!name.ok) throw new Error(`not an artifact name: ${options.name}`);
  const at = options.at ?? new Date();
  const id = newArtifactId(at.getTime());
  const claim = await store.claims.claim(url.value.url, id, at.toISOString(), 'MODEL');
  if (!claim.claimed) throw new Error(`${url.value.url} is held already`);
  const event: ArtifactEvent = {
    type: 'ArtifactRegistered',
    artifactId: id,
    version: 1,
    at: at.toISOString(),
    actor: SYSTEM_ACTOR,
    payload: {
      artifactType: 'MODEL',
      name: name.value,
      url: url.value.url,
      ...(rawUrl !== url.value.url && { sourceUrl: rawUrl }),
      metadata: { source: 'other', host: new URL(url.value.url).host, readme: { status: 'unavailable' } },
    },
  };
  const outcome = await store.stream.commit(undefined, event);
  if (!('committed' in outcome)) throw new Error(`seeding ${url.value.url} lost a race`);
  const state = outcome.committed;
  // What ingest answers over the API, and the stored state for callers that go on beneath it.
  return { id: artifactGlobalId(state), type: state.type, name: state.name, url: state.url, version: state.version, createdAt: state.createdAt, updatedAt: state.updatedAt, state };
}
