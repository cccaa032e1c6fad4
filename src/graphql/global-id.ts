import { decodeArtifactGlobalId, type ArtifactRef } from '../domain/global-id.js';
import type { ArtifactId } from '../domain/ids.js';
import { appError, err, ok, type Result } from '../domain/result.js';

export { TYPENAME_BY_ARTIFACT_TYPE } from '../domain/global-id.js';

/** Decodes the Relay global id of an artifact to its type and stored id; anything else is BAD_USER_INPUT naming `field`. */
export function parseArtifactRef(raw: string, field = 'id'): Result<ArtifactRef> {
  const ref = decodeArtifactGlobalId(raw);
  return ref ? ok(ref) : err(appError('BAD_USER_INPUT', `${field} is not an artifact id`, { field }));
}
