import type { ArtifactQueries } from '../application/artifact-queries.js';
import type { ActorId } from '../domain/ids.js';
import type { Registry } from '../registry.js';

/** Per-request context: shared registry services plus this request's loaders and actor. */
export interface GraphQLContext {
  readonly registry: Registry;
  readonly queries: ArtifactQueries;
  readonly actor: ActorId;
}
