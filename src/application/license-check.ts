import { checkLicensePair, type LicensePairVerdict } from '../domain/license-pairs.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { parseArtifactUrl } from '../domain/artifact-url.js';
import { appError, err, ok, type Result } from '../domain/result.js';
import type { Upstream } from '../upstream/upstream.js';
import { upstreamError } from './model-evidence.js';

const badGithubUrl = (message: string, details: Record<string, unknown> = {}) => err(appError('BAD_USER_INPUT', message, { ...details, field: 'githubUrl' }));

/**
 * Checks a GitHub project's license against a model's for fine-tuning and inference. The model's
 * license is the one stored at ingest; the project's is GitHub's detected SPDX id, read now. A
 * repository without a license is an answer (not compatible, with the reason); a repository that
 * does not exist is the client's mistake (BAD_USER_INPUT); a failing GitHub is neither.
 */
export async function licenseCheck(upstream: Upstream, model: ArtifactState, githubUrl: string): Promise<Result<LicensePairVerdict>> {
  const parsed = parseArtifactUrl(githubUrl, 'CODE');
  if (!parsed.ok) return badGithubUrl(parsed.error.message);
  if (parsed.value.source.kind !== 'github') return badGithubUrl('githubUrl must be a GitHub repository URL');
  const { owner, repo } = parsed.value.source;
  const missing = `no such repository: ${owner}/${repo}`;
  const modelLicense = model.metadata?.source === 'huggingface-model' ? model.metadata.license : undefined;
  const license = await upstream.github.license(owner, repo);
  if (license.ok) return ok(checkLicensePair(modelLicense, license.value.spdxId));
  if (license.error.kind !== 'not-found') return err(upstreamError(license.error, missing));
  // GitHub answers `/license` 404 alike for a repository without a license file and for no
  // repository at all; the repository itself tells them apart (a second call, on this path only).
  const found = await upstream.github.repo(owner, repo);
  if (found.ok) return ok(checkLicensePair(modelLicense, found.value.license));
  if (found.error.kind === 'not-found') return badGithubUrl(missing, { upstream: found.error.service, status: found.error.status });
  return err(upstreamError(found.error, missing));
}
