import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';
import { appError, err, ok, type Result } from '../result.js';

/**
 * Patterns are RE2 syntax, run by re2js (a pure-JS port of RE2): every match is linear in the text,
 * whatever the pattern. Both caps bound the work one request can ask for: the length keeps parsing
 * cheap, the instruction count bounds the automaton each character of each text is run through.
 */
export const PATTERN_LIMITS = { maxLength: 1_000, maxInstructions: 1_000 } as const;

/** A match as offsets into the text it was found in (UTF-16 code units, like every JS string). */
export interface TextMatch {
  readonly start: number;
  readonly end: number;
}

/** A validated, compiled search pattern. */
export interface SearchPattern {
  readonly source: string;
  /** Compiled RE2 instructions: the most automaton states each character can cost. */
  readonly instructions: number;
  /**
   * Characters this pattern has run the engine over so far, every test and every step of a
   * locate. Times `instructions`, the bound on its work (RE2 is linear in both).
   */
  readonly charsRun: number;
  /** Whether the pattern matches anywhere in `text` (unanchored; RE2's DFA, no positions). */
  test(text: string): boolean;
  /** Where the pattern matches in `text`, or undefined. */
  locate(text: string): TextMatch | undefined;
}

const reject = (reason: string, position: number | undefined) =>
  err(appError('BAD_USER_INPUT', `regex is not a valid RE2 pattern: ${reason}${position === undefined ? '' : ` (at character ${position})`}`, {
    field: 'regex',
    reason,
    ...(position !== undefined && { position }),
  }));

/**
 * Compiles a client's pattern. Backreferences, lookaround and other constructs RE2 cannot run in
 * linear time are refused with RE2's own reason and where in the pattern it stopped.
 */
export function parseSearchPattern(source: string): Result<SearchPattern> {
  if (source.length === 0) return reject('the pattern is empty', undefined);
  if (source.length > PATTERN_LIMITS.maxLength) return reject(`the pattern is longer than ${PATTERN_LIMITS.maxLength} characters`, PATTERN_LIMITS.maxLength);
  let compiled: RE2JS;
  try {
    // No flags: case-sensitive unless the pattern says (?i); `.` stops at newlines unless (?s).
    compiled = RE2JS.compile(source);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) {
      const fragment = error.getPattern();
      const at = fragment ? source.indexOf(fragment) : -1;
      return reject(fragment ? `${error.getDescription()}: \`${fragment}\`` : error.getDescription(), at >= 0 ? at : undefined);
    }
    if (error instanceof RE2JSException) return reject(error.message, undefined);
    throw error;
  }
  if (compiled.programSize() > PATTERN_LIMITS.maxInstructions) {
    return reject(`the pattern compiles to ${compiled.programSize()} instructions, more than ${PATTERN_LIMITS.maxInstructions}`, undefined);
  }
  return ok(new Re2Pattern(source, compiled, compiled.programSize()));
}

class Re2Pattern implements SearchPattern {
  /**
   * RE2 finds positions with its NFA, several times slower per character than the DFA behind
   * `test`. On a long text the match is first narrowed with DFA runs over windows (see locate).
   */
  private static readonly DIRECT_LOCATE_CHARS = 2_048;
  private readonly assertsEnd: boolean;
  private readonly assertsStart: boolean;
  charsRun = 0;

  constructor(
    readonly source: string,
    private readonly re: RE2JS,
    readonly instructions: number,
  ) {
    // Textual and conservative: `[$]` counts too, which only costs the slower exact path.
    this.assertsEnd = /\$|\\[zbB]/.test(source);
    this.assertsStart = /\^|\\[AbB]/.test(source);
  }

  test(text: string): boolean {
    this.charsRun += text.length;
    return this.re.test(text);
  }

  locate(text: string): TextMatch | undefined {
    if (text.length <= Re2Pattern.DIRECT_LOCATE_CHARS || (this.assertsEnd && this.assertsStart)) return this.find(text, 0);
    return this.assertsEnd ? this.locateFromEnd(text) : this.locateFromStart(text);
  }

  private find(text: string, offset: number): TextMatch | undefined {
    this.charsRun += text.length;
    const matcher = this.re.matcher(text);
    return matcher.find() ? { start: offset + matcher.start(), end: offset + matcher.end() } : undefined;
  }

  /**
   * No end assertion: a match inside a prefix is a match of the whole text. The shortest prefix
   * holding one is found with DFA runs (doubling, then bisecting), and the NFA runs on that prefix
   * only, from the latest start that still matches when the pattern cannot see where text starts.
   */
  private locateFromStart(text: string): TextMatch | undefined {
    const end = smallestTrue(text.length, (k) => this.test(text.slice(0, k)));
    if (end === undefined) return undefined;
    if (this.assertsStart) return this.find(text.slice(0, end), 0);
    const start = largestTrue(end, (s) => this.test(text.slice(s, end))) ?? 0;
    return this.find(text.slice(start, end), start);
  }

  /** An end assertion and none at the start: the mirror image, over suffixes. */
  private locateFromEnd(text: string): TextMatch | undefined {
    const start = largestTrue(text.length, (s) => this.test(text.slice(s)));
    if (start === undefined) return undefined;
    return this.find(text.slice(start), start);
  }
}

/** Smallest k in 1..n with fits(k), for fits monotone in k (false then true); undefined if fits(n) is false. */
function smallestTrue(n: number, fits: (k: number) => boolean): number | undefined {
  let hi = Math.min(n, 256);
  let lo = 0;
  while (!fits(hi)) {
    if (hi === n) return undefined;
    lo = hi;
    hi = Math.min(n, hi * 4);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Largest s in 0..n-1 with fits(s), for fits monotone (true then false); undefined if fits(0) is false. */
function largestTrue(n: number, fits: (s: number) => boolean): number | undefined {
  const flipped = smallestTrue(n, (k) => fits(n - k));
  return flipped === undefined ? undefined : n - flipped;
}
