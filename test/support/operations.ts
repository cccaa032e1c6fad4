/** GraphQL documents shared by the integration tests. */
export const ARTIFACT_FIELDS = 'id type name url version createdAt updatedAt';

export const INGEST = `mutation($input: IngestArtifactInput!) { ingestArtifact(input: $input) { artifact { ${ARTIFACT_FIELDS} } } }`;
export const UPDATE = `mutation($input: UpdateArtifactInput!) { updateArtifact(input: $input) { artifact { ${ARTIFACT_FIELDS} } } }`;
export const DELETE = `mutation($input: DeleteArtifactInput!) { deleteArtifact(input: $input) { deletedId } }`;
export const GET = `query($id: ID!) { artifact(id: $id) { ${ARTIFACT_FIELDS} } }`;
export const BY_URL = `query($url: String!) { artifactByUrl(url: $url) { ${ARTIFACT_FIELDS} } }`;
export const LIST = `query($filter: ArtifactFilter, $first: Int, $after: String) {
  artifacts(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${ARTIFACT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
export const HISTORY = `query($id: ID!, $first: Int, $after: String) {
  artifact(id: $id) { history(first: $first, after: $after) { edges { cursor node { version type actor at changes } } pageInfo { hasNextPage endCursor } } }
}`;

export interface ArtifactView {
  id: string;
  type: string;
  name: string;
  url: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArtifactPage {
  artifacts: { edges: { cursor: string; node: ArtifactView }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
