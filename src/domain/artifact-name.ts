import { appError, err, ok, type Result } from './result.js';
import type { Brand } from './ids.js';

export type ArtifactName = Brand<string, 'ArtifactName'>;
/** The search key for names: case, whitespace, `_`, `-` and `.` folded away. */
export type NormalizedName = Brand<string, 'NormalizedName'>;

export const MAX_NAME_LENGTH = 256;
/** `*` means "all artifacts" in the REST contract our users come from, so no artifact may bear it. */
const RESERVED_NAMES = new Set(['*']);

export function parseArtifactName(raw: string): Result<ArtifactName> {
  const bad = (message: string) => err(appError('BAD_USER_INPUT', message, { field: 'name' }));
  if (raw.trim().length === 0) return bad('name must not be empty');
  if (RESERVED_NAMES.has(raw.trim())) return bad(`name ${JSON.stringify(raw)} is reserved`);
  if (raw.length > MAX_NAME_LENGTH) return bad(`name is longer than ${MAX_NAME_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return bad('name must not contain control characters');
  return ok(raw as ArtifactName);
}

export function normalizeName(name: string): NormalizedName {
  return name.normalize('NFKC').toLowerCase().replace(/[\s_.-]+/g, '') as NormalizedName;
}
