import { checkLicensePair, type LicensePairVerdict } from '../domain/license-pairs.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { parseArtifactUrl } from '../domain/artifact-url.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { Upstream } from '../upstream/upstream.js';
import { upstreamError } from './model-evidence.js';

/**
 * Checks a GitHub project's license against a model's for fine-tuning and inference. The model's
 * license is the one stored at ingest; the project's is GitHub's detected SPDX id, read now. A
 * repository without a license file is an answer (not compatible); a failing GitHub is not.
 */
export async function licenseCheck(upstream: Upstream, model: ArtifactState, githubUrl: string): Promise<Result<LicensePairVerdict>> {
  const parsed = parseArtifactUrl(githubUrl, 'CODE');
  if (!parsed.ok) return parsed;
  if (parsed.value.source.kind !== 'github') return err(appError('BAD_USER_INPUT', 'githubUrl must be a GitHub repository URL', { field: 'githubUrl' }));
  const { owner, repo } = parsed.value.source;
  const modelLicense = model.metadata?.source === 'huggingface-model' ? model.metadata.license : undefined;
  const license = await upstream.github.license(owner, repo);
  if (!license.ok) {
    // GitHub answers 404 for a repository without a detectable license file, as for a missing one.
    if (license.error.kind === 'not-found') return ok(checkLicensePair(modelLicense, undefined));
    return err(upstreamError(license.error, ''));
  }
  return ok(checkLicensePair(modelLicense, license.value.spdxId));
}
