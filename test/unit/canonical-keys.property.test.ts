import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, urlKeyOf } from '../../src/domain/artifact-url.js';
import { normalizeName, parseArtifactName } from '../../src/domain/artifact-name.js';

/** Fixed seed: a failure reproduces on every machine; bump it deliberately to explore further. */
const RUNS = { seed: 20_251_203, numRuns: 2_000 } as const;

/** Path pieces chosen for the rules they exercise: views, clone suffixes, encodings, dots, case. */
const segment = fc.oneof(
  fc.constantFrom('tree', 'main', 'blob', '.git', 'x.git', 'r.git.git', 'datasets', 'Datasets', 'spaces', 'models', 'PyGithub', 'é', '%C3%A9', '%c3%a9', '%2F', '%3F', '%23', 'a b', '%2E', '~', '@', ':'),
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/),
);
const host = fc.constantFrom('github.com', 'GitHub.COM', 'www.github.com', 'github.com.', 'huggingface.co', 'HF.co', 'huggingface.co.', 'www.huggingface.co', 'example.com', 'Example.com.', 'www.kaggle.com');
const port = fc.constantFrom('', ':443', ':80', ':8443', ':8080');
const tail = fc.constantFrom('', '/', '?q=1', '#frag', '?a=%20b&c#x', '/?');
const anyUrl = fc
  .tuple(fc.constantFrom('http', 'https', 'HTTPS'), host, port, fc.array(segment, { maxLength: 6 }), tail)
  .map(([scheme, h, p, segments, t]) => `${scheme}://${h}${p}/${segments.join('/')}${t}`);

describe('canonical URL (property)', () => {
  it('is idempotent: canonicalizing the canonical URL gives it and its key back', () => {
    fc.assert(
      fc.property(anyUrl, (raw) => {
        const once = canonicalizeUrl(raw);
        if (!once.ok) return;
        const twice = canonicalizeUrl(once.value.url);
        expect(twice.ok, `${raw} -> ${once.value.url}`).toBe(true);
        if (!twice.ok) return;
        expect(twice.value.url).toBe(once.value.url);
        expect(twice.value.key).toBe(once.value.key);
        expect(twice.value.source).toEqual(once.value.source);
        expect(urlKeyOf(once.value.url)).toBe(once.value.key);
        // The key is itself a canonical URL whose key is itself.
        const keyed = canonicalizeUrl(once.value.key);
        expect(keyed.ok && keyed.value.key).toBe(once.value.key);
      }),
      RUNS,
    );
  });

  const caseOf = (text: string, flips: readonly boolean[]) => [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
  const spelling = fc.record({
    scheme: fc.constantFrom('http', 'https'),
    hostFlips: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
    pathFlips: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
    www: fc.boolean(),
    dot: fc.boolean(),
    port: fc.constantFrom('', ':443', ':80'),
    git: fc.boolean(),
    view: fc.constantFrom('', '/tree/main', '/blob/main/README.md'),
    slash: fc.boolean(),
    after: fc.constantFrom('', '?tab=readme', '#readme'),
  });
  type Spelling = typeof spelling extends fc.Arbitrary<infer V> ? V : never;
  const spell = (hostName: string, path: string, s: Spelling) =>
    `${s.scheme}://${caseOf(`${s.www ? 'www.' : ''}${hostName}`, s.hostFlips)}${s.dot ? '.' : ''}${s.port}${caseOf(path, s.pathFlips)}${s.git ? '.git' : ''}${s.view}${s.slash ? '/' : ''}${s.after}`;

  it.each([
    ['github.com', '/PyGithub/PyGithub'],
    ['huggingface.co', '/google-bert/bert-base-uncased'],
    ['huggingface.co', '/datasets/stanfordnlp/imdb'],
  ])('gives every spelling of %s%s one key', (hostName, path) => {
    const expected = canonicalizeUrl(`https://${hostName}${path}`);
    expect(expected.ok).toBe(true);
    fc.assert(
      fc.property(spelling, (s) => {
        const raw = spell(hostName, path, s);
        const result = canonicalizeUrl(raw);
        expect(result.ok, raw).toBe(true);
        expect(result.ok && result.value.key, raw).toBe(expected.ok && expected.value.key);
      }),
      RUNS,
    );
  });
});

describe('names (property)', () => {
  it('normalizedName is idempotent, so a printed key searches as itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        const once = normalizeName(name);
        expect(normalizeName(once)).toBe(once);
      }),
      RUNS,
    );
  });

  it('accepts no name with an invisible or bidirectional control character anywhere', () => {
    const invisible = fc.constantFrom('\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad', '\u2060', '\u180e', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\ud800', '\udfff');
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), invisible, fc.string({ maxLength: 20 }), (before, bad, after) => {
        expect(parseArtifactName(`${before}${bad}${after}x`).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('accepts a name only if its normalized key fits the key budget', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\ufdfa', 'ß', 'é', '\u{1d400}'), maxLength: 256 }), (name) => {
        const parsed = parseArtifactName(`n${name}`);
        if (parsed.ok) expect(Buffer.byteLength(normalizeName(parsed.value))).toBeLessThanOrEqual(1024);
      }),
      RUNS,
    );
  });
});
