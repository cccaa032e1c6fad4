import { appError, err, ok, type Result } from './result.js';

/**
 * Path globs for choosing files: `*` matches within one path segment, `**` across segments
 * (`**\/` also matches no directory at all), `?` one character other than `/`; anything else is
 * literal. Matched by dynamic programming in O(pattern × path), so no pattern can backtrack
 * exponentially (a regex built from `*a*a*a...` could).
 */
type Token = { kind: 'literal'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'globstar' } | { kind: 'dirs' };

export interface Glob {
  readonly source: string;
  readonly tokens: readonly Token[];
}

const MAX_PATTERN_LENGTH = 200;

export function parseGlob(pattern: string): Result<Glob> {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) {
    return err(appError('BAD_USER_INPUT', `include patterns must be 1-${MAX_PATTERN_LENGTH} characters`, { field: 'include' }));
  }
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const atSegmentStart = i === 0 || pattern[i - 1] === '/';
      if (atSegmentStart && pattern[i + 2] === '/') {
        tokens.push({ kind: 'dirs' });
        i += 2;
      } else {
        tokens.push({ kind: 'globstar' });
        i += 1;
      }
    } else if (char === '*') tokens.push({ kind: 'star' });
    else if (char === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'literal', char });
  }
  return ok({ source: pattern, tokens });
}

export function matchGlob(glob: Glob, path: string): boolean {
  const n = path.length;
  // row[j]: the tokens so far match path[0, j).
  let row = new Array<boolean>(n + 1).fill(false);
  row[0] = true;
  for (const token of glob.tokens) {
    const next = new Array<boolean>(n + 1).fill(false);
    switch (token.kind) {
      case 'literal':
      case 'any':
        for (let j = 0; j < n; j++) {
          const c = path[j]!;
          if (row[j] && (token.kind === 'literal' ? c === token.char : c !== '/')) next[j + 1] = true;
        }
        break;
      case 'star':
      case 'globstar':
        for (let j = 0; j <= n; j++) {
          next[j] = row[j]! || (j > 0 && next[j - 1]! && (token.kind === 'globstar' || path[j - 1] !== '/'));
        }
        break;
      case 'dirs': {
        // Nothing, or any run of characters that ends with `/`.
        let reached = false;
        for (let j = 0; j <= n; j++) {
          if (row[j]) next[j] = true;
          if (j > 0 && reached && path[j - 1] === '/') next[j] = true;
          reached = reached || row[j]!;
        }
        break;
      }
    }
    row = next;
  }
  return row[n]!;
}

/** Whether any of the globs matches; no globs at all means "every file". */
export const matchesAny = (globs: readonly Glob[], path: string): boolean => globs.length === 0 || globs.some((glob) => matchGlob(glob, path));
