import { GITHUB_ORIGIN, type FixtureReplay } from './fixture-replay.js';

/**
 * A repository that exists but has no license. The pack records `octokit-fixture-org/hello-world`
 * (`repo.json`, 200, with `"license": null`: GitHub detected no license file) but not its
 * `/license` page. For such a repository GitHub answers that page 404 `Not Found`, the same answer
 * it gives for a repository that does not exist, so this routes exactly that one URL, derived from
 * the recording's null license. Every other request still replays recordings.
 */
export const UNLICENSED_REPO = 'octokit-fixture-org/hello-world';

export function routeUnlicensedRepo(replay: FixtureReplay): FixtureReplay {
  return replay.route(`${GITHUB_ORIGIN}/repos/${UNLICENSED_REPO}/license`, {
    status: 404,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest/licenses/licenses#get-the-license-for-a-repository' }),
  });
}
