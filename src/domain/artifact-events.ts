import type { ActorId, ArtifactId } from './ids.js';
import type { ArtifactType } from './artifact-type.js';
import type { ArtifactName } from './artifact-name.js';
import type { NormalizedUrl } from './artifact-url.js';
import type { ArtifactMetadata } from './artifact-metadata.js';
import type { Rating } from './rating/rating.js';
import type { ArtifactFile, FilePath, MirrorStatus } from './artifact-files.js';
import type { ArtifactLink } from './artifact-links.js';

/** Stream versions start at 1; version 0 means "no stream yet". */
export type StreamVersion = number;

/**
 * What reading an artifact's source yielded: its metadata, a Hub model's rating (gated), and the
 * capped README. Recorded by registration and by a URL change, in the event that commits it.
 */
export interface SourceRecord {
  readonly metadata: ArtifactMetadata;
  readonly rating?: Rating;
  /** README text, capped (see MAX_README_BYTES); projected into the artifact's detail item. */
  readonly readme?: string;
}

export type ArtifactEventBody =
  | {
      readonly type: 'ArtifactRegistered';
      readonly payload: {
        readonly artifactType: ArtifactType;
        readonly name: ArtifactName;
        readonly url: NormalizedUrl;
        /** The URL exactly as the client wrote it, when that differs from `url` (REST echoes it verbatim). */
        readonly sourceUrl?: string;
        /** What the source said at ingest; absent on artifacts registered before ingest read sources. */
        readonly metadata?: ArtifactMetadata;
        /** A model's rating at ingest: registration and rating commit together. */
        readonly rating?: Rating;
        /** README text, capped (see MAX_README_BYTES); projected into the artifact's detail item. */
        readonly readme?: string;
      };
    }
  | {
      readonly type: 'ArtifactUpdated';
      readonly payload: {
        readonly name?: ArtifactName;
        readonly url?: NormalizedUrl;
        /** With `url`: the URL as the client wrote it, when that differs from `url`. */
        readonly sourceUrl?: string;
        /**
         * The new URL's source, read, rated and gated with the change: it replaces the metadata,
         * the rating (none when the new source has none to give) and the links derived from the old
         * source. Absent on renames, and on URL changes recorded before the gate applied to them.
         */
        readonly reading?: SourceRecord;
      };
    }
  | { readonly type: 'ArtifactDeleted'; readonly payload: Readonly<Record<string, never>> }
  | { readonly type: 'ModelRated'; readonly payload: { readonly rating: Rating } }
  | {
      /**
       * References of a model resolved to registered artifacts (parents, datasets, code). On the
       * model's (the child's) stream, so linking is an ordinary versioned commit of that model.
       */
      readonly type: 'ArtifactLinked';
      readonly payload: { readonly links: readonly ArtifactLink[] };
    }
  | {
      /**
       * The ingest gate refused a model. Written as version 1 of a stream of its own, for audit: it
       * claims no URL and creates no artifact.
       */
      readonly type: 'IngestRefused';
      readonly payload: {
        readonly artifactType: ArtifactType;
        readonly name: ArtifactName;
        readonly url: NormalizedUrl;
        readonly reason: string;
        /** Absent: the model's source is one the registry cannot rate (only Hub models are rated). */
        readonly rating?: Rating;
        /** Set when the refused model was the new URL of this registered artifact (updateArtifact). */
        readonly updateOf?: ArtifactId;
      };
    }
  /** A file's bytes are stored at `blobKey`; a path added again replaces the earlier file. */
  | { readonly type: 'FileAdded'; readonly payload: ArtifactFile & { readonly blobKey: string } }
  /** A download URL was issued: for one file, or for the whole package when `path` is null. */
  | { readonly type: 'FileDownloaded'; readonly payload: { readonly path: FilePath | null } }
  | { readonly type: 'MirrorStatusChanged'; readonly payload: MirrorStatus };

export type ArtifactEventType = ArtifactEventBody['type'];

/** An event as committed: the body plus who, when and where in the stream. */
export type ArtifactEvent = ArtifactEventBody & {
  readonly artifactId: ArtifactId;
  readonly version: StreamVersion;
  readonly at: string;
  readonly actor: ActorId;
};

/**
 * The README text the stream last recorded, with the version that recorded it. A re-read source
 * without a README ends the search: the older text belongs to the old source.
 */
export function latestReadme(events: readonly ArtifactEvent[]): { readonly version: StreamVersion; readonly text: string } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const readme = event.type === 'ArtifactRegistered' ? event.payload.readme : event.type === 'ArtifactUpdated' && event.payload.reading ? (event.payload.reading.readme ?? null) : undefined;
    if (readme === null) return undefined;
    if (readme !== undefined) return { version: event.version, text: readme };
  }
  return undefined;
}
