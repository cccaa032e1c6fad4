import type { ActorId, ArtifactId } from './ids.js';
import type { ArtifactType } from './artifact-type.js';
import type { ArtifactName } from './artifact-name.js';
import type { NormalizedUrl } from './artifact-url.js';
import type { ArtifactFile, FilePath, MirrorStatus } from './artifact-files.js';

/** Stream versions start at 1; version 0 means "no stream yet". */
export type StreamVersion = number;

export type ArtifactEventBody =
  | {
      readonly type: 'ArtifactRegistered';
      readonly payload: { readonly artifactType: ArtifactType; readonly name: ArtifactName; readonly url: NormalizedUrl };
    }
  | {
      readonly type: 'ArtifactUpdated';
      readonly payload: { readonly name?: ArtifactName; readonly url?: NormalizedUrl };
    }
  | { readonly type: 'ArtifactDeleted'; readonly payload: Readonly<Record<string, never>> }
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
