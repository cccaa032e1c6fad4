import { normalizeLicenseId } from './rating/license-compatibility.js';

/**
 * Whether code under one license may be used to fine-tune a model under another and run inference
 * with the result. The table and its sources are in docs/licenses.md. Unknown or missing licenses
 * are never compatible: nothing grants the use.
 */
export type CodeFamily = 'permissive' | 'weak-copyleft' | 'gpl-2.0' | 'gpl-3.0' | 'agpl-3.0';
export type ModelFamily = 'permissive' | 'apache-2.0' | 'gpl-2.0' | 'gpl-3.0' | 'agpl-3.0' | 'share-alike-4.0' | 'restricted';

export interface LicensePairVerdict {
  readonly compatible: boolean;
  readonly modelLicense: string | null;
  readonly codeLicense: string | null;
  readonly reason: string;
}

const CODE: Readonly<Record<string, CodeFamily>> = {
  mit: 'permissive', 'apache-2.0': 'permissive', 'bsd-2-clause': 'permissive', 'bsd-3-clause': 'permissive', 'bsd-3-clause-clear': 'permissive',
  isc: 'permissive', zlib: 'permissive', unlicense: 'permissive', '0bsd': 'permissive', 'bsl-1.0': 'permissive', 'cc0-1.0': 'permissive',
  'python-2.0': 'permissive', 'artistic-2.0': 'permissive', wtfpl: 'permissive', 'upl-1.0': 'permissive', 'ncsa': 'permissive',
  'lgpl-2.1': 'weak-copyleft', 'lgpl-2.1-only': 'weak-copyleft', 'lgpl-2.1-or-later': 'weak-copyleft', 'lgpl-3.0': 'weak-copyleft', 'lgpl-3.0-only': 'weak-copyleft',
  'lgpl-3.0-or-later': 'weak-copyleft', 'mpl-2.0': 'weak-copyleft', 'epl-2.0': 'weak-copyleft', 'epl-1.0': 'weak-copyleft', 'eupl-1.2': 'weak-copyleft',
  'gpl-2.0': 'gpl-2.0', 'gpl-2.0-only': 'gpl-2.0', 'gpl-2.0-or-later': 'gpl-3.0',
  'gpl-3.0': 'gpl-3.0', 'gpl-3.0-only': 'gpl-3.0', 'gpl-3.0-or-later': 'gpl-3.0',
  'agpl-3.0': 'agpl-3.0', 'agpl-3.0-only': 'agpl-3.0', 'agpl-3.0-or-later': 'agpl-3.0',
};

const MODEL: Readonly<Record<string, ModelFamily>> = {
  mit: 'permissive', 'bsd-2-clause': 'permissive', 'bsd-3-clause': 'permissive', 'bsd-3-clause-clear': 'permissive', isc: 'permissive',
  unlicense: 'permissive', 'cc0-1.0': 'permissive', 'cc-by-4.0': 'permissive', 'cc-by-3.0': 'permissive', 'cc-by-2.0': 'permissive', 'odc-by': 'permissive',
  'cdla-permissive-2.0': 'permissive', 'bsl-1.0': 'permissive', zlib: 'permissive',
  'apache-2.0': 'apache-2.0',
  'gpl-2.0': 'gpl-2.0', 'gpl-3.0': 'gpl-3.0', 'agpl-3.0': 'agpl-3.0', 'lgpl-2.1': 'permissive', 'lgpl-3.0': 'permissive',
  'cc-by-sa-4.0': 'share-alike-4.0',
  openrail: 'restricted', 'openrail++': 'restricted', 'creativeml-openrail-m': 'restricted', 'bigscience-openrail-m': 'restricted',
  'bigcode-openrail-m': 'restricted', 'bigscience-bloom-rail-1.0': 'restricted',
  llama2: 'restricted', llama3: 'restricted', 'llama3.1': 'restricted', 'llama3.2': 'restricted', 'llama3.3': 'restricted', llama4: 'restricted', gemma: 'restricted',
  'cc-by-nc-4.0': 'restricted', 'cc-by-nc-sa-4.0': 'restricted', 'cc-by-nc-nd-4.0': 'restricted', 'cc-by-nc-2.0': 'restricted', 'cc-by-nc-3.0': 'restricted',
  'cc-by-nc-sa-3.0': 'restricted', 'cc-by-nd-4.0': 'restricted', 'fair-noncommercial-research-license': 'restricted',
};

const UNDETERMINED = new Set(['', 'other', 'unknown', 'noassertion']);

/** Decides one (model license, code license) pair; either may be absent. */
export function checkLicensePair(rawModel: string | undefined, rawCode: string | undefined): LicensePairVerdict {
  const modelLicense = rawModel === undefined ? null : normalizeLicenseId(rawModel);
  const codeLicense = rawCode === undefined ? null : normalizeLicenseId(rawCode);
  const verdict = (compatible: boolean, reason: string): LicensePairVerdict => ({ compatible, modelLicense, codeLicense, reason });
  if (modelLicense === null || UNDETERMINED.has(modelLicense)) return verdict(false, `the model declares ${modelLicense === null ? 'no license' : `"${modelLicense}"`}: nothing grants fine-tuning or inference`);
  if (codeLicense === null || UNDETERMINED.has(codeLicense)) return verdict(false, `GitHub detects ${codeLicense === null ? 'no license' : `"${codeLicense}" (no recognizable license)`} in the repository: without one, the code may not be used`);
  const model = MODEL[modelLicense] ?? (/^llama/.test(modelLicense) ? 'restricted' : undefined);
  const code = CODE[codeLicense];
  if (!model) return verdict(false, `the model license "${modelLicense}" is not in the compatibility table (docs/licenses.md); not assumed compatible`);
  if (!code) return verdict(false, `the code license "${codeLicense}" is not in the compatibility table (docs/licenses.md); not assumed compatible`);

  if (code === 'permissive') {
    return model === 'restricted'
      ? verdict(true, `permissive code puts no conditions on the model; the model's own terms (${modelLicense}: use restrictions, non-commercial or acceptable-use clauses) govern the fine-tuned model`)
      : verdict(true, 'permissive code (attribution only) may be used with a model under any license that allows fine-tuning');
  }
  if (code === 'weak-copyleft') {
    return verdict(true, `${codeLicense} is file-level copyleft: using the library to fine-tune and serve the model does not put the model under it; changes to the library's own files stay under ${codeLicense}`);
  }
  // Strong copyleft: a fine-tuned model shipped with the code forms a work distributed under the
  // GPL, and the GPL forbids further restrictions (GPL-3.0 §10, GPL-2.0 §6).
  if (model === 'restricted') return verdict(false, `${codeLicense} forbids adding restrictions, and the model license ${modelLicense} restricts use (fields of use, non-commercial or acceptable-use terms)`);
  if (model === 'permissive') return verdict(true, `a permissive model license is compatible with ${codeLicense}; the combined work is distributed under ${codeLicense}`);
  if (model === 'apache-2.0') {
    return code === 'gpl-2.0'
      ? verdict(false, 'Apache-2.0 is incompatible with GPL-2.0-only: its patent termination and indemnity terms are further restrictions GPL-2.0 does not allow (FSF)')
      : verdict(true, `Apache-2.0 is compatible with ${codeLicense} in one direction: the combined work is distributed under ${codeLicense} (FSF)`);
  }
  if (model === 'share-alike-4.0') {
    return code === 'gpl-2.0'
      ? verdict(false, 'CC BY-SA 4.0 is one-way compatible with GPL-3.0 only, not GPL-2.0 (Creative Commons compatible licenses list)')
      : verdict(true, `CC BY-SA 4.0 is one-way compatible with GPL-3.0: the combined work is distributed under ${codeLicense} (Creative Commons)`);
  }
  // Model under GPL-family.
  if (model === code || (model === 'gpl-3.0' && code === 'agpl-3.0') || (model === 'agpl-3.0' && code === 'gpl-3.0')) {
    return verdict(true, `${modelLicense} and ${codeLicense} combine (same license, or GPL-3.0 §13 / AGPL-3.0 §13 allow combining the two)`);
  }
  return verdict(false, `${modelLicense} and ${codeLicense} are incompatible copyleft licenses: each requires the combined work under itself (FSF)`);
}
