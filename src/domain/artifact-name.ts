import { appError, err, ok, type Result } from './result.js';
import type { Brand } from './ids.js';
import { DEFAULT_KEY_LIMITS, utf8Bytes } from './key-limits.js';

export type ArtifactName = Brand<string, 'ArtifactName'>;
/**
 * The search key for names: compatibility forms (NFKC) and case folded, whitespace, `_`, `-` and
 * `.` removed, so `ＢＥＲＴ base`, `bert-base` and `BERT_Base` search alike.
 */
export type NormalizedName = Brand<string, 'NormalizedName'>;

export const MAX_NAME_LENGTH = DEFAULT_KEY_LIMITS.maxNameChars;

/**
 * Characters that render as nothing or move other text around: controls (Cc), format characters
 * (Cf: zero-width space and joiners, bidi embeddings and overrides such as RLO, BOM, soft hyphen),
 * line/paragraph separators, and the rest of Unicode's default-ignorables (variation selectors,
 * Hangul fillers). A name holding one can look exactly like another name, or like `*`.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * `*` means "all artifacts" in the REST contract our users come from, so no artifact may bear it,
 * nor anything that shows as it: NFKC already maps `＊` and `﹡`; these are the remaining asterisks
 * (Unicode confusables of U+002A, and the asterisk dingbats).
 */
const ASTERISK_LOOKALIKES = /[\u066d\u204e\u2217\u2731\u2732\u2733\u273a\u273b\u273c\u273d\u2749\u274a\u274b\u{1031f}]/gu;
/** With the u flag a well-formed surrogate pair is one code point, so only a lone half is Cs. */
const LONE_SURROGATE = /\p{Cs}/u;
const RESERVED_NAMES = new Set(['*']);

const bad = (message: string) => err(appError('BAD_USER_INPUT', message, { field: 'name' }));

const codePoint = (char: string): string => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

export function parseArtifactName(raw: string): Result<ArtifactName> {
  if (raw.trim().length === 0) return bad('name must not be empty');
  if (raw.length > MAX_NAME_LENGTH) return bad(`name is longer than ${MAX_NAME_LENGTH} characters`);
  // A lone surrogate is no character at all; it cannot even be encoded as UTF-8.
  if (LONE_SURROGATE.test(raw)) return bad('name must be well-formed Unicode (it holds a lone surrogate)');
  const invisible = INVISIBLE.exec(raw);
  if (invisible) return bad(`name must not contain invisible or control characters (${codePoint(invisible[0])} at ${invisible.index})`);
  const shown = raw.normalize('NFKC').replace(ASTERISK_LOOKALIKES, '*').replace(/\s+/g, '');
  if (RESERVED_NAMES.has(shown)) return bad(`name ${JSON.stringify(raw)} is reserved`);
  const search = parseNameSearch(raw);
  if (!search.ok) return search;
  return ok(raw as ArtifactName);
}

/**
 * NFKC, then full case folding (upper then lower case, so `ß` and `ẞ` meet `SS` and a final `ς`
 * meets `σ`), then the separators go, then NFKC again: removing a separator can put a combining mark
 * next to a letter it composes with. The key must be a fixed point (a printed key searches as
 * itself); the property test in test/unit/canonical-keys.property.test.ts holds it to that.
 */
export function normalizeName(name: string): NormalizedName {
  const folded = name.normalize('NFKC').toUpperCase().toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');
  return folded.replace(/[\s_.-]+/g, '').normalize('NFKC') as NormalizedName;
}

/** A client's name search key (`normalizedName` filter, or a new name): normalized, within the key budget. */
export function parseNameSearch(raw: string, field = 'name'): Result<NormalizedName> {
  if (LONE_SURROGATE.test(raw)) return err(appError('BAD_USER_INPUT', `${field} must be well-formed Unicode`, { field }));
  const normalized = normalizeName(raw);
  const max = DEFAULT_KEY_LIMITS.maxNormalizedNameBytes;
  if (utf8Bytes(normalized) > max) return err(appError('BAD_USER_INPUT', `${field} is longer than ${max} bytes once normalized`, { field }));
  return ok(normalized);
}
