import type { ArtifactRef } from './global-id.js';
import type { ActorId } from './ids.js';
import type { NormalizedName } from './artifact-name.js';
import { appError, err, ok, type Result } from './result.js';
import type { Brand } from './ids.js';

/** An alias such as `production` or `v2-candidate`: lower case, short, safe in a key. */
export type AliasLabel = Brand<string, 'AliasLabel'>;

const ALIAS_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/;

export function parseAliasLabel(raw: string, field = 'alias'): Result<AliasLabel> {
  if (!ALIAS_PATTERN.test(raw)) {
    return err(appError('BAD_USER_INPUT', `${field} must be 1 to 63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit`, { field }));
  }
  return ok(raw as AliasLabel);
}

/** An alias is scoped to an artifact name (normalized: "BERT base" and "bert-base" share aliases). */
export interface AliasKey {
  readonly name: NormalizedName;
  readonly alias: AliasLabel;
}

/**
 * One move of an alias, the commit of its own versioned stream: from the artifact it named (none
 * when it was unset) to the one it names now (none when removed).
 */
export interface AliasMove extends AliasKey {
  readonly version: number;
  readonly at: string;
  readonly actor: ActorId;
  readonly from: ArtifactRef | null;
  readonly to: ArtifactRef | null;
}
