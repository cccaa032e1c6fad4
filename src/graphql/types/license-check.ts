import { licenseCheck } from '../../application/license-check.js';
import type { LicensePairVerdict } from '../../domain/license-pairs.js';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { session } from '../session.js';
import { ARTIFACT_REFS } from './artifact.js';

const LicenseCheckRef = builder.objectRef<LicensePairVerdict>('LicenseCheck').implement({
  description: 'Whether a GitHub project\'s code may be used to fine-tune this model and run inference (table and sources: docs/licenses.md).',
  fields: (t) => ({
    compatible: t.exposeBoolean('compatible', { description: 'False also when either license is missing or unknown.' }),
    modelLicense: t.exposeString('modelLicense', { nullable: true, description: 'The model\'s license id as stored at ingest.' }),
    codeLicense: t.exposeString('codeLicense', { nullable: true, description: 'The SPDX id GitHub detects in the repository, lower-cased.' }),
    reason: t.exposeString('reason', { description: 'Why, in words: which license is missing or unknown, or the rule of docs/licenses.md that decides for this pair.' }),
  }),
});

builder.objectField(ARTIFACT_REFS.MODEL, 'licenseCheck', (t) =>
  t.field({
    type: LicenseCheckRef,
    description:
      'Checks the license of a GitHub project against this model\'s for fine-tuning and inference (docs/licenses.md). The code license is GitHub\'s detected one; ' +
      'answers are remembered for 5 minutes, and one request checks at most 5 distinct repositories (QUERY_TOO_COMPLEX). GitHub failing is UPSTREAM_UNAVAILABLE, never false.',
    args: {
      githubUrl: t.arg.string({ required: true, description: 'A GitHub repository, https://github.com/<owner>/<repo>; anything else is BAD_USER_INPUT.' }),
    },
    resolve: async (model, args, ctx) => unwrap(await licenseCheck(session(ctx).licenses, model, args.githubUrl)),
  }),
);
