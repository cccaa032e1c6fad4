export const ARTIFACT_TYPES = ['MODEL', 'DATASET', 'CODE'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export const isArtifactType = (value: string): value is ArtifactType =>
  (ARTIFACT_TYPES as readonly string[]).includes(value);
