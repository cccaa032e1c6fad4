import { ArtifactQueries } from '../application/artifact-queries.js';
import type { RequestLicenses } from '../application/repository-licenses.js';
import type { RequestSearches } from '../application/search-budget.js';
import type { Viewer } from '../application/users/authentication.js';
import { actorOf } from '../application/users/user-commands.js';
import type { ActorId } from '../domain/ids.js';
import { ok, type Result } from '../domain/result.js';
import type { EpochScope, Registry } from '../registry.js';

/** What an authenticated request works with, in GraphQL and REST alike: its user, that user's epoch, its loaders. */
export interface RequestSession {
  readonly viewer: Viewer;
  readonly actor: ActorId;
  readonly scope: EpochScope;
  readonly queries: ArtifactQueries;
  /** License answers for this request: shared with the process, at most a few distinct repositories. */
  readonly licenses: RequestLicenses;
  /** The token the request presented: a reset by the default administrator keeps it (requirements §5). */
  readonly token: string;
  /** The request's search budget, shared by all its searches (GraphQL aliases, REST's pages). */
  readonly searches: RequestSearches;
}

/**
 * The bearer token of a request: `Authorization: Bearer t`, or the REST contract's
 * `X-Authorization: bearer t` (the string `PUT /authenticate` returns). Undefined when neither is sent.
 */
export function bearerTokenOf(headers: Headers): string | undefined {
  return bearerToken(headers.get('authorization')) ?? bearerToken(headers.get('x-authorization'));
}

function bearerToken(header: string | null): string | undefined {
  const match = header === null ? null : /^\s*(?:bearer\s+)?(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Spends one call of the token and opens its user's session (one DynamoDB call when its user was read in the last second). */
export async function openSession(registry: Registry, token: string): Promise<Result<RequestSession>> {
  const viewer = await registry.authentication.viewerFor(token);
  if (!viewer.ok) return viewer;
  const scope = registry.scope(viewer.value.epoch);
  return ok({
    viewer: viewer.value,
    actor: actorOf(viewer.value),
    scope,
    queries: new ArtifactQueries(scope.store, { seesDeletedPast: viewer.value.permissions.includes('ADMIN') }),
    licenses: scope.licenses.forRequest(),
    token,
    searches: registry.searches.forRequest(viewer.value.username),
  });
}
