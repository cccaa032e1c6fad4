import type { TextMatch } from './search-pattern.js';

/** Longest snippet a search match shows. */
export const MAX_SNIPPET_CHARS = 200;

export interface Snippet {
  readonly text: string;
  /** The match within `text`; a match longer than the snippet is cut at its end. */
  readonly start: number;
  readonly end: number;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The match with as much context on each side as fits in MAX_SNIPPET_CHARS, never cutting a
 * surrogate pair in half (a snippet is valid UTF-16 whatever the text holds).
 */
export function snippetOf(text: string, match: TextMatch): Snippet {
  const length = match.end - match.start;
  let from: number;
  let to: number;
  if (length >= MAX_SNIPPET_CHARS) {
    from = match.start;
    to = match.start + MAX_SNIPPET_CHARS;
  } else {
    const context = MAX_SNIPPET_CHARS - length;
    from = Math.max(0, match.start - Math.floor(context / 2));
    to = Math.min(text.length, from + MAX_SNIPPET_CHARS);
    from = Math.max(0, to - MAX_SNIPPET_CHARS);
  }
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from += 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to -= 1;
  return { text: text.slice(from, to), start: match.start - from, end: Math.min(match.end, to) - from };
}
