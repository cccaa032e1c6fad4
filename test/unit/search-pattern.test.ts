import { describe, expect, it } from 'vitest';
import { parseSearchPattern, type SearchPattern } from '../../src/domain/search/search-pattern.js';
import { MAX_SNIPPET_CHARS, snippetOf } from '../../src/domain/search/snippet.js';

const compile = (source: string): SearchPattern => {
  const parsed = parseSearchPattern(source);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};

describe('search patterns', () => {
  it('locates a real match in a long text, narrowing it with DFA runs first', () => {
    const text = `${'filler line of words\n'.repeat(500)}the bert-base model\n${'more filler\n'.repeat(500)}`;
    for (const source of ['bert', 'b[a-z]+t-base', '.*bert.*', '(?i)BERT-BASE', '(?m)model$']) {
      const located = compile(source).locate(text);
      expect(located, source).toBeDefined();
      expect(text.slice(located!.start, located!.end), source).toMatch(/bert|model|the/);
    }
    expect(compile('(?m)^the bert').locate(text)!.start).toBe(text.indexOf('the bert'));
    expect(compile('nowhere').locate(text)).toBeUndefined();
  });

  it('places an end-anchored match at the end of the text', () => {
    const text = `${'x'.repeat(10_000)}aaa`;
    const located = compile('a+$').locate(text)!;
    expect(located.end).toBe(text.length);
    expect(compile('a$').locate(`${'a'.repeat(5_000)}b`)).toBeUndefined();
  });

  it('cuts snippets to 200 characters around the match, keeping surrogate pairs whole', () => {
    const text = `${'😀'.repeat(300)}needle${'😀'.repeat(300)}`;
    const start = text.indexOf('needle');
    const snippet = snippetOf(text, { start, end: start + 6 });
    expect(snippet.text.length).toBeLessThanOrEqual(MAX_SNIPPET_CHARS);
    expect(snippet.text.slice(snippet.start, snippet.end)).toBe('needle');
    expect(snippet.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const long = snippetOf('z'.repeat(1_000), { start: 10, end: 900 });
    expect(long).toEqual({ text: 'z'.repeat(200), start: 0, end: 200 });
  });

  it('refuses patterns whose automaton exceeds the instruction cap', () => {
    const parsed = parseSearchPattern('[a-z]{1000}[0-9]{1000}');
    expect(parsed.ok).toBe(false);
  });
});
