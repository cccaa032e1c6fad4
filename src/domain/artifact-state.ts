import type { ArtifactEvent, StreamVersion } from './artifact-events.js';
import type { ArtifactId } from './ids.js';
import type { ArtifactType } from './artifact-type.js';
import type { ArtifactName } from './artifact-name.js';
import type { NormalizedUrl } from './artifact-url.js';
import type { ArtifactMetadata } from './artifact-metadata.js';
import type { Rating } from './rating/rating.js';
import { withFile, type ArtifactFile, type MirrorStatus } from './artifact-files.js';
import type { ArtifactLink } from './artifact-links.js';

/** Current state of one artifact, derived only from its events. The projection item stores it. */
export interface ArtifactState {
  readonly id: ArtifactId;
  readonly type: ArtifactType;
  readonly name: ArtifactName;
  readonly url: NormalizedUrl;
  /**
   * The URL as the client registered it (`.git`, `/tree/main`, letter case and all) when it differs
   * from `url`; clients of the REST contract compare it verbatim. `url` stays the uniqueness key.
   */
  readonly sourceUrl?: string;
  readonly version: StreamVersion;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deleted: boolean;
  /** What the source said at ingest or at the last URL change (no README text: that lives in the detail item). */
  readonly metadata?: ArtifactMetadata;
  /** A model's latest rating snapshot. */
  readonly rating?: Rating;
  /** Current files, one per path (bounded by MAX_FILES_PER_ARTIFACT). */
  readonly files: readonly ArtifactFile[];
  /** The last mirror from the Hub, if any. */
  readonly mirrorStatus: MirrorStatus | null;
  /** A model's resolved references (parents, datasets, code): ids and relationship only. */
  readonly links?: readonly ArtifactLink[];
}

/** Applies one event. Unexpected order is a bug in the store, not user error, so it throws. */
export function applyEvent(state: ArtifactState | undefined, event: ArtifactEvent): ArtifactState {
  const expected = (state?.version ?? 0) + 1;
  if (event.version !== expected) {
    throw new Error(`artifact ${event.artifactId}: event version ${event.version} applied to state at ${expected - 1}`);
  }
  if (event.type === 'ArtifactRegistered') {
    if (state) throw new Error(`artifact ${event.artifactId}: registered twice`);
    const { metadata, rating, sourceUrl } = event.payload;
    return {
      id: event.artifactId,
      type: event.payload.artifactType,
      name: event.payload.name,
      url: event.payload.url,
      ...(sourceUrl !== undefined && { sourceUrl }),
      version: event.version,
      createdAt: event.at,
      updatedAt: event.at,
      deleted: false,
      ...(metadata !== undefined && { metadata }),
      ...(rating !== undefined && { rating }),
      files: [],
      mirrorStatus: null,
    };
  }
  if (event.type === 'IngestRefused') throw new Error(`artifact ${event.artifactId}: a refused ingest has no artifact to apply it to`);
  if (!state) throw new Error(`artifact ${event.artifactId}: ${event.type} before ArtifactRegistered`);
  switch (event.type) {
    case 'ArtifactUpdated': {
      const { name, url, sourceUrl, reading } = event.payload;
      // A new URL brings its own spelling (or none, when it was written in normal form).
      const { sourceUrl: _previous, ...kept } = state;
      const base = url === undefined ? state : { ...kept, ...(sourceUrl !== undefined && { sourceUrl }) };
      const updated: ArtifactState = { ...base, ...definedOnly({ name, url }), version: event.version, updatedAt: event.at };
      if (!reading) return updated;
      // Everything derived from the old source goes with it: its rating, and its links (the new
      // source declares its own references, which are resolved after the change commits).
      const { rating: _rating, links: _links, ...rest } = updated;
      return { ...rest, metadata: reading.metadata, ...(reading.rating !== undefined && { rating: reading.rating }) };
    }
    case 'ArtifactDeleted':
      return { ...state, deleted: true, version: event.version, updatedAt: event.at };
    case 'ModelRated':
      return { ...state, rating: event.payload.rating, version: event.version, updatedAt: event.at };
    case 'FileAdded': {
      const { blobKey: _blobKey, ...file } = event.payload;
      return { ...state, files: withFile(state.files, file), version: event.version, updatedAt: event.at };
    }
    case 'FileDownloaded':
      // A download changes nothing about the artifact but its stream version (an audit record).
      return { ...state, version: event.version };
    case 'MirrorStatusChanged':
      return { ...state, mirrorStatus: event.payload, version: event.version, updatedAt: event.at };
    case 'ArtifactLinked':
      return { ...state, links: [...(state.links ?? []), ...event.payload.links], version: event.version, updatedAt: event.at };
  }
}

/**
 * Folds events onto a state. A stream holding only an IngestRefused event is an audit record of a
 * refused ingest, not an artifact: it folds to undefined.
 */
export function foldEvents(state: ArtifactState | undefined, events: readonly ArtifactEvent[]): ArtifactState | undefined {
  if (state === undefined && events[0]?.type === 'IngestRefused') {
    if (events.length > 1 || events[0].version !== 1) throw new Error(`artifact ${events[0].artifactId}: events after a refused ingest`);
    return undefined;
  }
  return events.reduce<ArtifactState | undefined>(applyEvent, state);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
