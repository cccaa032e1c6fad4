import { describe, expect, it } from 'vitest';
import { checkLicensePair } from '../../src/domain/license-pairs.js';

describe('license pairs for fine-tuning and inference', () => {
  it.each([
    // model, code (GitHub SPDX), compatible
    ['apache-2.0', 'MIT', true],
    ['mit', 'Apache-2.0', true],
    ['apache-2.0', 'GPL-3.0', true], // one-way: the combination is distributed under GPL-3.0 (FSF)
    ['apache-2.0', 'GPL-2.0', false], // patent terms are further restrictions under GPL-2.0 (FSF)
    ['llama3', 'MIT', true], // permissive code adds nothing; the Llama 3 terms govern
    ['llama3', 'GPL-3.0', false], // GPL forbids the acceptable-use restrictions
    ['llama3.1', 'LGPL-3.0', true],
    ['cc-by-nc-4.0', 'AGPL-3.0', false],
    ['gpl-3.0', 'AGPL-3.0', true],
    ['gpl-2.0', 'GPL-3.0', false],
    ['cc-by-sa-4.0', 'GPL-3.0', true],
  ] as const)('model %s with code %s: %s', (model, code, compatible) => {
    const verdict = checkLicensePair(model, code);
    expect(verdict.compatible).toBe(compatible);
    expect(verdict.reason.length).toBeGreaterThan(20);
  });

  it('is not compatible, with a reason, when a license is missing, undetermined or unknown', () => {
    expect(checkLicensePair(undefined, 'MIT')).toMatchObject({ compatible: false, modelLicense: null, codeLicense: 'mit' });
    expect(checkLicensePair('apache-2.0', undefined)).toMatchObject({ compatible: false, codeLicense: null });
    expect(checkLicensePair('apache-2.0', 'NOASSERTION').reason).toMatch(/no recognizable license/);
    expect(checkLicensePair('other', 'MIT').compatible).toBe(false);
    expect(checkLicensePair('my-own-license', 'MIT').reason).toMatch(/not in the compatibility table/);
  });
});
