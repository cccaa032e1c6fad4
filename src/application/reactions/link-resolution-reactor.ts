import { parseArtifactUrl } from '../../domain/artifact-url.js';
import type { ArtifactId } from '../../domain/ids.js';
import type { LinkResolution } from '../link-resolution.js';
import type { CommittedChange, Reactor } from './reactor.js';

/** What the command knew when it rated the model: the registered parents its rating saw. */
export interface RatingHints {
  /** Undefined when unknown (a replay after a crash): then any newly linked parent calls for a re-rating. */
  parentsRatedWith(id: ArtifactId, version: number): ReadonlySet<string> | undefined;
}

/**
 * Resolves a newly read source's references (an ingest, a URL change that re-read the source) in
 * both directions (LinkResolution). Idempotent: pending items are puts, links already held are not
 * appended again, and a model is re-rated only when a link was added.
 */
export class LinkResolutionReactor implements Reactor {
  readonly name = 'link-resolution';
  readonly handles = ['ArtifactRegistered', 'ArtifactUpdated'] as const;

  constructor(
    private readonly resolution: LinkResolution,
    private readonly hints: RatingHints,
  ) {}

  async react({ event, state }: CommittedChange): Promise<void> {
    if (!state || state.deleted) return;
    // A rename, or a new spelling of the same repository, reads nothing and declares nothing new.
    if (event.type === 'ArtifactUpdated' && !event.payload.reading) return;
    const parsed = parseArtifactUrl(state.url, state.type);
    if (!parsed.ok) return;
    await this.resolution.afterIngest(state, parsed.value, event.actor, this.hints.parentsRatedWith(state.id, event.version));
  }
}
