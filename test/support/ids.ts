import { parseArtifactRef } from '../../src/graphql/global-id.js';
import type { ArtifactId } from '../../src/domain/ids.js';

/** The stored id behind a Relay global id, for tests that look at the event store directly. */
export function artifactIdOf(globalId: string): ArtifactId {
  const parsed = parseArtifactRef(globalId);
  if (!parsed.ok) throw new Error(`not an artifact id: ${globalId}`);
  return parsed.value.id;
}
