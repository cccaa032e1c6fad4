import type { ArtifactType } from './artifact-type.js';
import { parseArtifactId, type ArtifactId } from './ids.js';

/**
 * Relay global ids: `base64("<Typename>:<id>")`, standard alphabet with padding (what Pothos prints).
 * Pure, so the application can name artifacts in messages and errors with the very ids the API
 * accepts.
 */
export const TYPENAME_BY_ARTIFACT_TYPE = { MODEL: 'Model', DATASET: 'Dataset', CODE: 'Code' } as const satisfies Record<ArtifactType, string>;
const ARTIFACT_TYPE_BY_TYPENAME = new Map<string, ArtifactType>(
  Object.entries(TYPENAME_BY_ARTIFACT_TYPE).map(([type, typename]) => [typename, type as ArtifactType]),
);

export const GLOBAL_ID_LIMITS = {
  /** Longest accepted global id; the longest the API prints is 48 (`Dataset:` + a 26-character ULID). */
  maxLength: 64,
} as const;

export const encodeGlobalId = (typename: string, id: string): string => Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');

export const artifactGlobalId = (artifact: { readonly type: ArtifactType; readonly id: ArtifactId }): string =>
  encodeGlobalId(TYPENAME_BY_ARTIFACT_TYPE[artifact.type], artifact.id);

export interface ArtifactRef {
  readonly type: ArtifactType;
  readonly id: ArtifactId;
}

/**
 * The artifact a global id names, or undefined. Only the canonical spelling is accepted (the one
 * encodeGlobalId prints: re-encoding must give back the input), so every id has exactly one form,
 * and the length is capped before any decoding, so no oversized string reaches a key.
 */
export function decodeArtifactGlobalId(raw: string): ArtifactRef | undefined {
  if (raw.length === 0 || raw.length > GLOBAL_ID_LIMITS.maxLength || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return undefined;
  const decoded = Buffer.from(raw, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const type = ARTIFACT_TYPE_BY_TYPENAME.get(decoded.slice(0, separator));
  const id = parseArtifactId(decoded.slice(separator + 1));
  if (type === undefined || id === undefined || artifactGlobalId({ type, id }) !== raw) return undefined;
  return { type, id };
}
