import type { ArtifactState } from '../domain/artifact-state.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import type { ArtifactId } from '../domain/ids.js';

/** The REST contract's artifact types: the domain's, in lower case. */
export const REST_ARTIFACT_TYPES = ['model', 'dataset', 'code'] as const;
export type RestArtifactType = (typeof REST_ARTIFACT_TYPES)[number];

export const restTypeOf = (type: ArtifactType): RestArtifactType => type.toLowerCase() as RestArtifactType;
export const domainTypeOf = (type: RestArtifactType): ArtifactType => type.toUpperCase() as ArtifactType;

export interface ArtifactMetadataView {
  readonly name: string;
  /** The artifact's own id (its ULID): what every REST path takes. */
  readonly id: ArtifactId;
  readonly type: RestArtifactType;
}

export const metadataOf = (state: ArtifactState): ArtifactMetadataView => ({ name: state.name, id: state.id, type: restTypeOf(state.type) });

/** This server's route that records a download and redirects to a presigned S3 URL. */
export const downloadPathOf = (state: Pick<ArtifactState, 'type' | 'id'>): string => `/artifacts/${restTypeOf(state.type)}/${state.id}/download`;

/**
 * The contract's Artifact envelope. `data.url` is the URL as the client registered it (clients
 * compare it verbatim); the normalized `url` is only the uniqueness key.
 */
export function envelopeOf(state: ArtifactState, origin: string) {
  return {
    metadata: metadataOf(state),
    data: { url: state.sourceUrl ?? state.url, download_url: `${origin}${downloadPathOf(state)}` },
  };
}
