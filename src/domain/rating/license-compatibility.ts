/**
 * Whether a license lets the registry's users fine-tune a model and run inference with it inside an
 * LGPL-2.1 project. Keys are Hugging Face license ids (https://huggingface.co/docs/hub/repositories-licenses),
 * which are lower-cased SPDX ids where SPDX has one; GitHub's SPDX ids are lower-cased to match.
 * The reasoning per class is in docs/metrics.md.
 */
export type LicenseClass = 'permissive' | 'lgpl' | 'weak-copyleft' | 'use-restricted' | 'incompatible';

export const LICENSE_CLASS_SCORE: Readonly<Record<LicenseClass, number>> = {
  permissive: 1,
  lgpl: 1,
  'weak-copyleft': 0.5,
  'use-restricted': 0.5,
  incompatible: 0,
};

const CLASS_REASON: Readonly<Record<LicenseClass, string>> = {
  permissive: 'a permissive license: code under it may be combined with LGPL-2.1 code and the result distributed under LGPL-2.1',
  lgpl: 'an LGPL license: the same family as LGPL-2.1',
  'weak-copyleft': 'a weak-copyleft or share-alike license: combinable with LGPL-2.1 only under conditions a person must check',
  'use-restricted': 'a responsible-AI (RAIL) license: it restricts fields of use, which LGPL-2.1 does not allow to add; compatibility is unclear',
  incompatible: 'incompatible with LGPL-2.1 for fine-tuning and inference',
};

const TABLE: Readonly<Record<string, LicenseClass>> = {
  // Permissive: only attribution (and for some, patent or trademark terms LGPL-2.1 does not conflict with).
  'apache-2.0': 'permissive',
  mit: 'permissive',
  bsd: 'permissive',
  'bsd-2-clause': 'permissive',
  'bsd-3-clause': 'permissive',
  'bsd-3-clause-clear': 'permissive',
  isc: 'permissive',
  zlib: 'permissive',
  unlicense: 'permissive',
  wtfpl: 'permissive',
  postgresql: 'permissive',
  ncsa: 'permissive',
  'bsl-1.0': 'permissive',
  'afl-3.0': 'permissive',
  'artistic-2.0': 'permissive',
  'ecl-2.0': 'permissive',
  'cc0-1.0': 'permissive',
  'cc-by-2.0': 'permissive',
  'cc-by-2.5': 'permissive',
  'cc-by-3.0': 'permissive',
  'cc-by-4.0': 'permissive',
  'cdla-permissive-1.0': 'permissive',
  'cdla-permissive-2.0': 'permissive',
  'odc-by': 'permissive',
  pddl: 'permissive',
  'etalab-2.0': 'permissive',
  'openmdw-1.0': 'permissive',
  // The LGPL family itself.
  lgpl: 'lgpl',
  'lgpl-2.1': 'lgpl',
  'lgpl-2.1-only': 'lgpl',
  'lgpl-2.1-or-later': 'lgpl',
  'lgpl-3.0': 'lgpl',
  'lgpl-3.0-only': 'lgpl',
  'lgpl-3.0-or-later': 'lgpl',
  'lgpl-lr': 'lgpl',
  // Weak copyleft and share-alike: file-level or share-alike terms that need a person's reading.
  'mpl-2.0': 'weak-copyleft',
  'epl-1.0': 'weak-copyleft',
  'epl-2.0': 'weak-copyleft',
  'eupl-1.1': 'weak-copyleft',
  'eupl-1.2': 'weak-copyleft',
  'osl-3.0': 'weak-copyleft',
  'ms-pl': 'weak-copyleft',
  'lppl-1.3c': 'weak-copyleft',
  'ofl-1.1': 'weak-copyleft',
  gfdl: 'weak-copyleft',
  odbl: 'weak-copyleft',
  'cdla-sharing-1.0': 'weak-copyleft',
  'cc-by-sa-3.0': 'weak-copyleft',
  'cc-by-sa-4.0': 'weak-copyleft',
  cc: 'weak-copyleft',
  // Open but use-restricted (OpenRAIL family).
  openrail: 'use-restricted',
  'openrail++': 'use-restricted',
  'creativeml-openrail-m': 'use-restricted',
  'bigscience-openrail-m': 'use-restricted',
  'bigcode-openrail-m': 'use-restricted',
  'bigscience-bloom-rail-1.0': 'use-restricted',
  // Strong copyleft: the combination would have to be GPL/AGPL, not LGPL-2.1.
  gpl: 'incompatible',
  'gpl-2.0': 'incompatible',
  'gpl-2.0-only': 'incompatible',
  'gpl-2.0-or-later': 'incompatible',
  'gpl-3.0': 'incompatible',
  'gpl-3.0-only': 'incompatible',
  'gpl-3.0-or-later': 'incompatible',
  'agpl-3.0': 'incompatible',
  'agpl-3.0-only': 'incompatible',
  'agpl-3.0-or-later': 'incompatible',
  // Non-commercial, no-derivatives and research-only licenses forbid uses LGPL-2.1 permits.
  'cc-by-nc-2.0': 'incompatible',
  'cc-by-nc-3.0': 'incompatible',
  'cc-by-nc-4.0': 'incompatible',
  'cc-by-nd-4.0': 'incompatible',
  'cc-by-nc-nd-3.0': 'incompatible',
  'cc-by-nc-nd-4.0': 'incompatible',
  'cc-by-nc-sa-2.0': 'incompatible',
  'cc-by-nc-sa-3.0': 'incompatible',
  'cc-by-nc-sa-4.0': 'incompatible',
  'c-uda': 'incompatible',
  'h-research': 'incompatible',
  'intel-research': 'incompatible',
  'apple-ascl': 'incompatible',
  'apple-amlr': 'incompatible',
  'deepfloyd-if-license': 'incompatible',
  'fair-noncommercial-research-license': 'incompatible',
  // Vendor community licenses: acceptable-use policies, user caps and naming duties LGPL-2.1 forbids adding.
  llama2: 'incompatible',
  llama3: 'incompatible',
  'llama3.1': 'incompatible',
  'llama3.2': 'incompatible',
  'llama3.3': 'incompatible',
  llama4: 'incompatible',
  gemma: 'incompatible',
};

export interface LicenseVerdict {
  readonly id: string;
  readonly licenseClass: LicenseClass;
  readonly score: number;
  readonly reason: string;
}

/** Lower-case, `Apache 2.0` -> `apache-2.0`; GitHub's `NOASSERTION` means "could not tell". */
export function normalizeLicenseId(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+license$/, '').replace(/[\s_]+/g, '-');
}

/** Classifies a license id; unknown ids are not assumed compatible. */
export function classifyLicense(raw: string): LicenseVerdict {
  const id = normalizeLicenseId(raw);
  const known = TABLE[id] ?? (/^llama/.test(id) ? 'incompatible' : undefined);
  if (known) return { id, licenseClass: known, score: LICENSE_CLASS_SCORE[known], reason: CLASS_REASON[known] };
  const reason =
    id === 'other'
      ? 'a custom license ("other"): nothing shows it allows fine-tuning and inference under LGPL-2.1; read it'
      : id === 'unknown' || id === 'noassertion'
        ? 'declared as unknown: no license grants the use'
        : `an unrecognized license id: not assumed compatible until a person classifies it`;
  return { id, licenseClass: 'incompatible', score: 0, reason };
}

/** True for values that name no license at all. */
export const isUndeterminedLicense = (raw: string | undefined): boolean =>
  raw === undefined || ['', 'other', 'unknown', 'noassertion'].includes(normalizeLicenseId(raw));
