import { describe, expect, it } from 'vitest';
import { normalizeName, parseArtifactName } from '../../src/domain/artifact-name.js';

describe('artifact names', () => {
  it('stores names verbatim, case and spacing included', () => {
    expect(parseArtifactName(' BERT base ')).toEqual({ ok: true, value: ' BERT base ' });
  });

  it.each(['', '   ', '*', ' * ', 'x'.repeat(257), 'tab\there'])('rejects %j', (raw) => {
    expect(parseArtifactName(raw)).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
  });

  it.each([
    ['a zero-width space', 'bert\u200bbase'],
    ['a right-to-left override', 'model\u202egnp.exe'],
    ['a left-to-right isolate', '\u2066bert\u2069'],
    ['a byte-order mark', '\ufeffbert'],
    ['a zero-width joiner', 'be\u200drt'],
    ['a soft hyphen', 'ber\u00adt'],
    ['a Hangul filler', '\u3164'],
    ['a variation selector', 'bert\ufe0f'],
    ['a line separator', 'bert\u2028base'],
    ['a lone high surrogate', 'bert\ud800'],
    ['a lone low surrogate', '\udc00bert'],
    ['a fullwidth asterisk', '\uff0a'],
    ['a small asterisk', ' \ufe61 '],
    ['an asterisk operator', '\u2217'],
    ['an asterisk with a zero-width space', '*\u200b'],
    ['a name that NFKC expands past the key budget', '\ufdfa'.repeat(100)],
  ])('rejects %s', (_label, raw) => {
    const result = parseArtifactName(raw);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', details: { field: 'name' } } });
  });

  it('accepts ordinary non-ASCII names, emoji and names that merely contain *', () => {
    for (const name of ['Straße-modell', 'модель', '模型 v2', '🤗 bert', 'a*b', '**']) expect(parseArtifactName(name).ok).toBe(true);
  });

  it('folds compatibility forms and case fully, so look-alike spellings search alike', () => {
    expect(normalizeName('ＢＥＲＴ base')).toBe(normalizeName('bert-base'));
    expect(normalizeName('STRASSE')).toBe(normalizeName('straße'));
    expect(normalizeName('ẞ')).toBe('ss');
    expect(normalizeName('ΟΔΟΣ')).toBe(normalizeName('οδος'));
    expect(normalizeName('ﬁne-tune')).toBe('finetune');
  });

  it('folds case, whitespace, _, - and . for search', () => {
    const forms = ['bert-base-uncased', 'BERT_Base_Uncased', 'bert base uncased', 'bert.base.uncased', 'BertBaseUncased'];
    expect(new Set(forms.map(normalizeName))).toEqual(new Set(['bertbaseuncased']));
    expect(normalizeName('whisper-v3')).not.toBe(normalizeName('whisper-v2'));
  });
});
