import { describe, expect, it } from 'vitest';
import { normalizeName, parseArtifactName } from '../../src/domain/artifact-name.js';

describe('artifact names', () => {
  it('stores names verbatim, case and spacing included', () => {
    expect(parseArtifactName(' BERT base ')).toEqual({ ok: true, value: ' BERT base ' });
  });

  it.each(['', '   ', '*', ' * ', 'x'.repeat(257), 'tab\there'])('rejects %j', (raw) => {
    expect(parseArtifactName(raw)).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
  });

  it('folds case, whitespace, _, - and . for search', () => {
    const forms = ['bert-base-uncased', 'BERT_Base_Uncased', 'bert base uncased', 'bert.base.uncased', 'BertBaseUncased'];
    expect(new Set(forms.map(normalizeName))).toEqual(new Set(['bertbaseuncased']));
    expect(normalizeName('whisper-v3')).not.toBe(normalizeName('whisper-v2'));
  });
});
