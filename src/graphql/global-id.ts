import { decodeGlobalID } from '@pothos/plugin-relay';
import type { ArtifactType } from '../domain/artifact-type.js';
import { parseArtifactId, type ArtifactId } from '../domain/ids.js';
import { appError, err, ok, type Result } from '../domain/result.js';

export const TYPENAME_BY_ARTIFACT_TYPE = { MODEL: 'Model', DATASET: 'Dataset', CODE: 'Code' } as const satisfies Record<ArtifactType, string>;
const ARTIFACT_TYPENAMES = new Set<string>(Object.values(TYPENAME_BY_ARTIFACT_TYPE));

/** Decodes the Relay global id of any artifact type to the stored id. */
export function parseArtifactGlobalId(raw: string, field = 'id'): Result<ArtifactId> {
  const bad = err(appError('BAD_USER_INPUT', `${field} is not an artifact id`, { field }));
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(raw);
  } catch {
    return bad;
  }
  const id = parseArtifactId(decoded.id);
  return ARTIFACT_TYPENAMES.has(decoded.typename) && id ? ok(id) : bad;
}
