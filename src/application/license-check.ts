import { checkLicensePair, type LicensePairVerdict } from '../domain/license-pairs.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { parseArtifactUrl } from '../domain/artifact-url.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { RequestLicenses } from './repository-licenses.js';

const badGithubUrl = (message: string) => err(appError('BAD_USER_INPUT', message, { field: 'githubUrl' }));

/**
 * Checks a GitHub project's license against a model's for fine-tuning and inference. The model's
 * license is the one stored at ingest; the project's is GitHub's detected SPDX id (RepositoryLicenses:
 * cached a few minutes, and budgeted per request). A repository without a license is an answer (not
 * compatible, with the reason); a repository that does not exist is the client's mistake
 * (BAD_USER_INPUT); a failing GitHub is neither.
 */
export async function licenseCheck(licenses: RequestLicenses, model: ArtifactState, githubUrl: string): Promise<Result<LicensePairVerdict>> {
  const parsed = parseArtifactUrl(githubUrl, 'CODE');
  if (!parsed.ok) return badGithubUrl(parsed.error.message);
  if (parsed.value.source.kind !== 'github') return badGithubUrl('githubUrl must be a GitHub repository URL');
  const { owner, repo } = parsed.value.source;
  const modelLicense = model.metadata?.source === 'huggingface-model' ? model.metadata.license : undefined;
  const license = await licenses.licenseOf(owner, repo);
  return license.ok ? ok(checkLicensePair(modelLicense, license.value)) : license;
}
